using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using LstmGen.Training;
using Xunit;

namespace LstmGen.Tests.GuitarAmp;

/// <summary>
/// <see cref="GuitarAmpModelWriter"/>: the saved text read back by an independent JSON parser gives exactly the layer's
/// and the head's PyTorch tensors and CoreAudioML's metadata; the committed files (which PyTorch loaded to make their
/// references) are what the writer writes today; bad arguments are rejected by name.
/// </summary>
public sealed class GuitarAmpModelWriterTests
{
    /// <summary>Set to 1 to rewrite tests/fixtures/agam_writer/*.json from the writer (then rerun make_agam_writer_references.py).</summary>
    private const string UpdateSwitch = "LSTMGEN_UPDATE_WRITER_FIXTURES";

    [Theory]
    [MemberData(nameof(SavedModel.Files), MemberType = typeof(SavedModel))]
    public void Saved_text_parses_back_to_the_exported_pytorch_tensors_and_coreaudioml_metadata(string file)
    {
        SavedModel model = SavedModel.All[file]();
        using JsonDocument document = JsonDocument.Parse(model.Json());
        JsonElement root = document.RootElement;
        Assert.Equal(new[] { "model_data", "state_dict" }, root.EnumerateObject().Select(p => p.Name));

        // The metadata CoreAudioML's SimpleRNN.save_model writes, in its order.
        JsonElement data = root.GetProperty("model_data");
        Assert.Equal(new[] { "model", "input_size", "skip", "output_size", "unit_type", "num_layers", "hidden_size", "bias_fl" }, data.EnumerateObject().Select(p => p.Name));
        Assert.Equal("SimpleRNN", data.GetProperty("model").GetString());
        Assert.Equal(model.InputSize, data.GetProperty("input_size").GetInt32());
        Assert.Equal(model.Skip, data.GetProperty("skip").GetInt32());
        Assert.Equal(model.OutputSize, data.GetProperty("output_size").GetInt32());
        Assert.Equal(model.IsLstm ? "LSTM" : "GRU", data.GetProperty("unit_type").GetString());
        Assert.Equal(1, data.GetProperty("num_layers").GetInt32());
        Assert.Equal(model.HiddenSize, data.GetProperty("hidden_size").GetInt32());
        Assert.True(data.GetProperty("bias_fl").GetBoolean());

        // The state_dict of SimpleRNN (rec = nn.LSTM/nn.GRU, lin = nn.Linear), in PyTorch's order, every value exact.
        JsonElement tensors = root.GetProperty("state_dict");
        Assert.Equal(new[] { "rec.weight_ih_l0", "rec.weight_hh_l0", "rec.bias_ih_l0", "rec.bias_hh_l0", "lin.weight", "lin.bias" }, tensors.EnumerateObject().Select(p => p.Name));
        var (wih, whh, bih, bhh) = model.Export();
        float[] linearWeight = new float[model.OutputSize * model.HiddenSize], linearBias = new float[model.OutputSize];
        model.Head.ExportPyTorch(linearWeight, linearBias);
        int g = model.Gates * model.HiddenSize;
        AssertMatrix(wih, g, model.InputSize, tensors.GetProperty("rec.weight_ih_l0"));
        AssertMatrix(whh, g, model.HiddenSize, tensors.GetProperty("rec.weight_hh_l0"));
        AssertVector(bih, tensors.GetProperty("rec.bias_ih_l0"));
        AssertVector(bhh, tensors.GetProperty("rec.bias_hh_l0"));
        AssertMatrix(linearWeight, model.OutputSize, model.HiddenSize, tensors.GetProperty("lin.weight"));
        AssertVector(linearBias, tensors.GetProperty("lin.bias"));
    }

    [Theory]
    [MemberData(nameof(SavedModel.Files), MemberType = typeof(SavedModel))]
    public void Saved_text_equals_the_committed_file_that_pytorch_checked(string file)
    {
        string json = SavedModel.All[file]().Json();
        if (Environment.GetEnvironmentVariable(UpdateSwitch) == "1")
        {
            Directory.CreateDirectory(SavedModel.SourceDirectory());
            File.WriteAllText(Path.Combine(SavedModel.SourceDirectory(), file), json, new UTF8Encoding(false));
            return;
        }

        Assert.Equal(File.ReadAllText(Path.Combine(SavedModel.OutputDirectory, file)), json);
    }

    [Fact]
    public void Write_creates_utf8_without_a_byte_order_mark_holding_exactly_the_text()
    {
        SavedModel model = SavedModel.All["agamwriter_gru_i2_h20_skip1.json"]();
        string path = Path.Combine(Path.GetTempPath(), $"lstmgen-writer-{Guid.NewGuid():N}.json");
        try
        {
            model.Write(path);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal(Encoding.UTF8.GetBytes(model.Json()), bytes);
            Assert.NotEqual(0xEF, bytes[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Extreme_and_integral_values_round_trip_bit_exactly_and_read_as_floats()
    {
        // Denormals, the largest float, negative zero, integers (written "1.0", not "1", so no reader takes them for
        // integers) and values with no short decimal.
        float[] special = [0f, -0f, 1f, -2f, float.Epsilon, -float.Epsilon, float.MaxValue, -float.MaxValue, 1e-8f, 0.1f, 1f / 3, 16777217f, 1.17549435e-38f, 123456.789f];
        var lstm = new Writer_Lstm_I1_H12();
        float[] wih = new float[48], whh = new float[48 * 12], bih = new float[48], bhh = new float[48];
        for (int k = 0; k < whh.Length; k++)
        {
            whh[k] = special[k % special.Length] * (k % 3 == 0 ? 1 : -1);
        }

        for (int k = 0; k < 48; k++)
        {
            wih[k] = special[(k + 5) % special.Length];
            bih[k] = special[(k + 7) % special.Length];
            bhh[k] = special[(k + 9) % special.Length];
        }

        lstm.ImportPyTorch(wih, whh, bih, bhh);
        var head = new Linear(12, 1);
        head.ImportPyTorch(special.AsSpan(0, 12), [-0f]);
        string json = GuitarAmpModelWriter.ToJson(lstm, head, skip: 1);

        Assert.Contains("\"lin.bias\": [-0.0]", json, StringComparison.Ordinal);
        Assert.Contains("\"lin.weight\": [[0.0, -0.0, 1.0, -2.0, 1.401298464324817E-45, ", json, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement tensors = document.RootElement.GetProperty("state_dict");
        AssertMatrix(wih, 48, 1, tensors.GetProperty("rec.weight_ih_l0"));
        AssertMatrix(whh, 48, 12, tensors.GetProperty("rec.weight_hh_l0"));
        AssertVector(bih, tensors.GetProperty("rec.bias_ih_l0"));
        AssertVector(bhh, tensors.GetProperty("rec.bias_hh_l0"));
        AssertMatrix(special.AsSpan(0, 12).ToArray(), 1, 12, tensors.GetProperty("lin.weight"));
        AssertVector([-0f], tensors.GetProperty("lin.bias"));
    }

    [Fact]
    public void A_head_that_does_not_read_the_hidden_state_is_rejected_naming_both_sizes()
    {
        var lstm = new Writer_Lstm_I1_H12();
        var exception = Assert.Throws<ArgumentException>(() => GuitarAmpModelWriter.ToJson(lstm, new Linear(8, 1), skip: 1));
        Assert.Equal("head", exception.ParamName);
        Assert.Contains("12", exception.Message, StringComparison.Ordinal);
        Assert.Contains("InputSize is 8", exception.Message, StringComparison.Ordinal);

        var gru = new Writer_Gru_I1_H7();
        Assert.Equal("head", Assert.Throws<ArgumentException>(() => GuitarAmpModelWriter.ToJson(gru, new Linear(12, 1), skip: 0)).ParamName);
        Assert.Throws<ArgumentNullException>(() => GuitarAmpModelWriter.ToJson(lstm, null!, skip: 0));
        Assert.Throws<ArgumentNullException>(() => GuitarAmpModelWriter.ToJson((ILstm)null!, new Linear(12, 1), skip: 0));
    }

    [Theory]
    [InlineData(1, 1, -1)] // negative
    [InlineData(1, 1, 2)]  // more inputs than the model has
    [InlineData(3, 2, 3)]  // more than 1 but not the output size
    [InlineData(2, 3, 3)]  // the output size, but more than the inputs
    public void A_skip_the_format_cannot_express_is_rejected(int inputSize, int outputSize, int skip)
    {
        ILstm lstm = inputSize switch { 1 => new Writer_Lstm_I1_H12(), 2 => new Writer_Lstm_I2_H9(), _ => new Writer_Lstm_I3_H5() };
        var exception = Assert.Throws<ArgumentException>(() => GuitarAmpModelWriter.ToJson(lstm, new Linear(lstm.HiddenSize, outputSize), skip));
        Assert.Equal("skip", exception.ParamName);
        Assert.Contains($"output size ({outputSize})", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"input size ({inputSize})", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"it is {skip}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_non_finite_weight_is_rejected_naming_its_tensor_and_element_and_nothing_is_written()
    {
        var lstm = new Writer_Lstm_I1_H12();
        lstm.InitializeParameters(3);
        float[] wih = new float[48], whh = new float[48 * 12], bih = new float[48], bhh = new float[48];
        lstm.ExportPyTorch(wih, whh, bih, bhh);
        whh[5 * 12 + 7] = float.NaN;
        lstm.ImportPyTorch(wih, whh, bih, bhh);
        var head = new Linear(12, 1);
        string path = Path.Combine(Path.GetTempPath(), $"lstmgen-writer-{Guid.NewGuid():N}.json");
        var exception = Assert.Throws<ArgumentException>(() => GuitarAmpModelWriter.Write(path, lstm, head, skip: 1));
        Assert.Equal("lstm", exception.ParamName);
        Assert.Contains("rec.weight_hh_l0[5][7] is NaN", exception.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));

        var gru = new Writer_Gru_I1_H7();
        var gruHead = new Linear(7, 2);
        gruHead.ImportPyTorch(new float[14], [0f, float.PositiveInfinity]);
        exception = Assert.Throws<ArgumentException>(() => GuitarAmpModelWriter.ToJson(gru, gruHead, skip: 1));
        Assert.Equal("head", exception.ParamName);
        Assert.Contains("lin.bias[1] is Infinity", exception.Message, StringComparison.Ordinal);
    }

    private static void AssertVector(float[] expected, JsonElement actual)
    {
        Assert.Equal(JsonValueKind.Array, actual.ValueKind);
        float[] values = actual.EnumerateArray().Select(Float).ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[k]) == BitConverter.SingleToInt32Bits(values[k]), $"element {k}: expected {expected[k]:R}, read {values[k]:R}");
        }
    }

    private static void AssertMatrix(float[] expected, int rows, int columns, JsonElement actual)
    {
        JsonElement[] rowElements = actual.EnumerateArray().ToArray();
        Assert.Equal(rows, rowElements.Length);
        for (int r = 0; r < rows; r++)
        {
            Assert.Equal(columns, rowElements[r].GetArrayLength());
            AssertVector(expected.AsSpan(r * columns, columns).ToArray(), rowElements[r]);
        }
    }

    // As PyTorch reads a JSON number into a float32 tensor: the double, rounded to float32.
    private static float Float(JsonElement number)
    {
        Assert.Equal(JsonValueKind.Number, number.ValueKind);
        string text = number.GetRawText();
        Assert.True(text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal), $"{text} reads as an integer");
        return (float)number.GetDouble();
    }
}
