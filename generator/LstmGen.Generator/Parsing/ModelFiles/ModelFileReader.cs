using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Validation;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>A problem found while reading a model file; becomes LSTM011–LSTM014.</summary>
internal sealed class ModelFileException : Exception
{
    public ModelFileException(string id, string detail)
        : base(detail)
    {
        Id = id;
    }

    public string Id { get; }
}

/// <summary>
/// Reads a model file into a <see cref="NetworkSpec"/>: detects the format and hands the document to that format's
/// reader. Shared by the generator and the analyzer. Never throws: every failure is a <see cref="ModelFileResult"/>
/// with a diagnostic ID and a message that names the problem.
/// </summary>
internal static class ModelFileReader
{
    /// <summary>Files longer than this are refused (a small recurrent model is far below it).</summary>
    public const int MaxFileCharacters = 64 * 1024 * 1024;

    public static ModelFileResult Read(string path, string text)
    {
        try
        {
            if (text.Length > MaxFileCharacters)
            {
                return ModelFileResult.Failure(DiagnosticIds.UnreadableModelFile, path, $"it has {Rules.Format(text.Length)} characters, more than the {Rules.Format(MaxFileCharacters)} a model file may have");
            }

            JsonValue root;
            try
            {
                root = JsonReader.Parse(text);
            }
            catch (JsonSyntaxException e)
            {
                return ModelFileResult.Failure(DiagnosticIds.UnreadableModelFile, path, "invalid JSON: " + e.Message);
            }

            if (root is not JsonObject document)
            {
                return ModelFileResult.Failure(DiagnosticIds.UnreadableModelFile, path, $"the document is {root.Kind}, not an object");
            }

            NetworkSpec network = Detect(document) switch
            {
                Format.GuitarAmp => GuitarAmpReader.Read(document),
                Format.Nam => NamReader.Read(document),
                Format.RTNeural => RTNeuralReader.Read(document),
                Format.StateDict => StateDictReader.Read(document),
                _ => throw new ModelFileException(DiagnosticIds.UnreadableModelFile,
                    "no known format (a PyTorch state_dict as JSON, Automated-GuitarAmpModelling JSON with \"model_data\" and \"state_dict\", a Neural Amp Modeler .nam file, or RTNeural's Keras JSON with \"in_shape\" and \"layers\")"),
            };
            return ModelFileResult.Success(network);
        }
        catch (ModelFileException e)
        {
            return ModelFileResult.Failure(e.Id, path, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A reader bug must not crash the compiler; the file is then reported as unreadable.
            return ModelFileResult.Failure(DiagnosticIds.UnreadableModelFile, path, $"an internal error while reading it ({e.GetType().Name}: {e.Message})");
        }
    }

    private enum Format
    {
        Unknown,
        StateDict,
        GuitarAmp,
        Nam,
        RTNeural,
    }

    private static Format Detect(JsonObject document)
    {
        if (document["model_data"] is not null && document["state_dict"] is not null)
        {
            return Format.GuitarAmp;
        }

        if (document["architecture"] is not null && document["weights"] is not null)
        {
            return Format.Nam;
        }

        if (document["layers"] is not null && document["in_shape"] is not null)
        {
            return Format.RTNeural;
        }

        return document.Members.Count > 0 && document.Members.All(m => m.Value is JsonArray || m.Value is JsonNumber) ? Format.StateDict : Format.Unknown;
    }

    // ---- shared helpers for the format readers

    /// <summary>A tensor from nested arrays: its shape and its values in row-major order.</summary>
    public static (int[] Shape, float[] Values) Tensor(string name, JsonValue value)
    {
        var shape = new List<int>();
        JsonValue probe = value;
        while (probe is JsonArray array)
        {
            shape.Add(array.Items.Count);
            if (array.Items.Count == 0)
            {
                break;
            }

            probe = array.Items[0];
        }

        if (probe is not JsonNumber && !(probe is JsonArray { Items.Count: 0 }))
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"tensor '{name}' holds {probe.Kind} at {probe.Where}, not numbers");
        }

        // The values grow as they are found: the shape comes from the first row alone, and a file that is not
        // rectangular could claim far more values (up to an overflowing product) than it holds.
        var values = new List<float>();
        Flatten(name, value, shape, 0, values);
        return (shape.ToArray(), values.ToArray());
    }

    private static void Flatten(string name, JsonValue value, List<int> shape, int depth, List<float> values)
    {
        if (depth == shape.Count)
        {
            if (value is not JsonNumber number)
            {
                throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"tensor '{name}' is not rectangular: {value.Kind} at {value.Where} where a number belongs");
            }

            values.Add(Float(name, number));
            return;
        }

        if (value is not JsonArray array || array.Items.Count != shape[depth])
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape,
                $"tensor '{name}' is not rectangular: {(value is JsonArray a ? $"a row of {a.Items.Count}" : value.Kind)} at {value.Where} where a row of {shape[depth]} belongs");
        }

        foreach (JsonValue item in array.Items)
        {
            Flatten(name, item, shape, depth + 1, values);
        }
    }

    /// <summary>A number as written, shortened to its first and last 16 characters when longer than 40 (a message must stay readable).</summary>
    private static string Quoted(string text) => text.Length <= 40 ? text : $"{text.Substring(0, 16)}…({text.Length} characters)…{text.Substring(text.Length - 16)}";

    /// <summary>A finite float32 value (the nearest float to the number written).</summary>
    public static float Float(string name, JsonNumber number)
    {
        float value = (float)number.Value;
        if (float.IsNaN(value) || float.IsInfinity(value))
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile,
                $"'{name}' holds the non-finite value {Quoted(number.Text)} at {number.Where} (a float32 weight must be finite)");
        }

        return value;
    }

    public static string Shape(params int[] shape) => "[" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + "]";

    /// <summary>Reads a tensor and checks its shape.</summary>
    public static float[] Expect(string name, JsonValue? value, params int[] shape)
    {
        if (value is null)
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"tensor '{name}' is missing (expected shape {Shape(shape)})");
        }

        (int[] actual, float[] values) = Tensor(name, value);
        if (!actual.SequenceEqual(shape))
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"tensor '{name}' has shape {Shape(actual)}, expected {Shape(shape)}");
        }

        return values;
    }

    /// <summary>An integer setting (a JSON number without fraction), or <paramref name="fallback"/> when absent.</summary>
    public static int Integer(JsonObject owner, string key, int? fallback, int minimum = 0, int maximum = Rules.MaxHiddenSize * 16)
    {
        JsonValue? value = owner[key];
        if (value is null or JsonLiteral { Value: null })
        {
            if (fallback is int f)
            {
                return f;
            }

            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"the setting \"{key}\" is missing");
        }

        if (value is not JsonNumber number || number.Value != Math.Floor(number.Value) || number.Value < minimum || number.Value > maximum)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile,
                $"\"{key}\" at {value.Where} must be a whole number from {minimum} to {maximum}, but it is {(value is JsonNumber n ? n.Text : value.Kind)}");
        }

        return (int)number.Value;
    }

    public static string Text(JsonObject owner, string key, string? fallback)
    {
        JsonValue? value = owner[key];
        if (value is null)
        {
            return fallback ?? throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"the setting \"{key}\" is missing");
        }

        return value is JsonString s ? s.Value : throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"\"{key}\" at {value.Where} must be a string, but it is {value.Kind}");
    }

    /// <summary>Checks a recurrent layer's sizes against the limits of a generated layer.</summary>
    public static void CheckLayerSizes(string name, int inputSize, int hiddenSize)
    {
        if (inputSize < 1 || inputSize > Rules.MaxInputSize || hiddenSize < 1 || hiddenSize > Rules.MaxHiddenSize)
        {
            throw new ModelFileException(DiagnosticIds.UnsupportedModelContent,
                $"layer '{name}' with input size {inputSize} and hidden size {hiddenSize} (sizes must be 1 to {Rules.MaxInputSize} and 1 to {Rules.MaxHiddenSize})");
        }
    }

    /// <summary>Checks that each stage's input is the previous stage's output, and builds the network.</summary>
    public static NetworkSpec Network(string format, int inputSize, List<NetworkStage> stages, int skip, int sampleRate)
    {
        if (stages.Count == 0)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, "it has no layers");
        }

        if (stages.All(s => s.Recurrent is null))
        {
            throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, "a model without a recurrent (LSTM or GRU) layer");
        }

        int size = inputSize;
        foreach (NetworkStage stage in stages)
        {
            if (stage.InputSize != size)
            {
                string name = stage.Recurrent?.Name ?? stage.Dense!.Name;
                throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"layer '{name}' takes {stage.InputSize} inputs, but what comes before it gives {size}");
            }

            size = stage.OutputSize;
        }

        if (skip < 0 || skip > inputSize || (skip > 1 && skip != size))
        {
            throw new ModelFileException(DiagnosticIds.UnsupportedModelContent,
                $"skip = {skip} with {inputSize} input(s) and {size} output(s) (skip adds the first inputs to the outputs: 0, 1, or as many as there are outputs, at most the inputs)");
        }

        return new NetworkSpec(format, inputSize, size, skip, stages.ToEquatableArray(), sampleRate);
    }

    public static RecurrentLayer Recurrent(string name, CellKind cell, int inputSize, int hiddenSize, float[] wih, float[] whh, float[] bih, float[] bhh, float[]? h0 = null, float[]? c0 = null)
    {
        CheckLayerSizes(name, inputSize, hiddenSize);
        return new RecurrentLayer(name, cell, inputSize, hiddenSize, wih.ToEquatableArray(), whh.ToEquatableArray(), bih.ToEquatableArray(), bhh.ToEquatableArray(),
            (h0 ?? Array.Empty<float>()).ToEquatableArray(), (c0 ?? Array.Empty<float>()).ToEquatableArray());
    }

    /// <summary>Reorders the gate blocks of a row-major <c>[G·H, cols]</c> matrix (or a <c>[G·H]</c> vector): block g of the result is block <paramref name="order"/>[g] of the source.</summary>
    public static float[] ReorderGates(float[] source, int hiddenSize, int columns, int[] order)
    {
        var result = new float[source.Length];
        int block = hiddenSize * columns;
        for (int g = 0; g < order.Length; g++)
        {
            Array.Copy(source, order[g] * block, result, g * block, block);
        }

        return result;
    }

    /// <summary>The transpose of a row-major <c>[rows, columns]</c> matrix.</summary>
    public static float[] Transpose(float[] source, int rows, int columns)
    {
        var result = new float[source.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[c * rows + r] = source[r * columns + c];
            }
        }

        return result;
    }
}
