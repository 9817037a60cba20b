using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Validation;
using static LstmGen.Generator.Parsing.ModelFiles.ModelFileReader;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>
/// Neural Amp Modeler <c>.nam</c> files with <c>"architecture": "LSTM"</c>, in the order NeuralAmpModelerCore reads
/// the flat <c>"weights"</c> array: per layer the matrix <c>[4H, I_l + H]</c> (columns: the layer's input, then its
/// hidden state; rows i, f, g, o), the bias <c>[4H]</c> (PyTorch's two biases summed), the stored initial h and c;
/// then the head weight <c>[out, H]</c> and bias <c>[out]</c>. The stored initial state is the model's initial state.
/// </summary>
internal static class NamReader
{
    public static NetworkSpec Read(JsonObject document)
    {
        string architecture = Text(document, "architecture", null);
        if (!string.Equals(architecture, "LSTM", StringComparison.Ordinal))
        {
            throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the Neural Amp Modeler architecture \"{architecture}\" (only \"LSTM\" is supported)");
        }

        if (document["config"] is not JsonObject config)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, "\"config\" must be an object");
        }

        int input = Integer(config, "input_size", 1, minimum: 1, maximum: Rules.MaxInputSize);
        int hidden = Integer(config, "hidden_size", null, minimum: 1, maximum: Rules.MaxHiddenSize);
        int layers = Integer(config, "num_layers", 1, minimum: 1, maximum: 64);
        int inChannels = Integer(config, "in_channels", input, minimum: 1, maximum: Rules.MaxInputSize);
        int output = Integer(config, "out_channels", 1, minimum: 1, maximum: Rules.MaxInputSize);
        if (inChannels != input)
        {
            throw new ModelFileException(DiagnosticIds.ModelMetadataMismatch, $"config says input_size = {input} but in_channels = {inChannels}");
        }

        if (document["weights"] is not JsonArray weights)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, "\"weights\" must be an array of numbers");
        }

        long needed = 0;
        for (int l = 0; l < layers; l++)
        {
            int layerInput = l == 0 ? input : hidden;
            needed += 4L * hidden * (layerInput + hidden) + 4L * hidden + 2L * hidden;
        }

        needed += (long)output * hidden + output;
        if (weights.Items.Count != needed)
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape,
                $"the \"weights\" array holds {weights.Items.Count} numbers, but an LSTM with input_size = {input}, hidden_size = {hidden}, num_layers = {layers} and {output} output(s) has {needed}");
        }

        int position = 0;
        float[] Take(string what, int count)
        {
            var values = new float[count];
            for (int k = 0; k < count; k++)
            {
                JsonValue item = weights.Items[position++];
                values[k] = item is JsonNumber number ? Float(what, number)
                    : throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"\"weights\" holds {item.Kind} at {item.Where}, not a number");
            }

            return values;
        }

        var stages = new List<NetworkStage>();
        for (int l = 0; l < layers; l++)
        {
            string n = l.ToString(CultureInfo.InvariantCulture);
            int layerInput = l == 0 ? input : hidden;
            int columns = layerInput + hidden;
            float[] matrix = Take($"layer {n} weights", 4 * hidden * columns);
            float[] bias = Take($"layer {n} bias", 4 * hidden);
            float[] h0 = Take($"layer {n} initial hidden state", hidden);
            float[] c0 = Take($"layer {n} initial cell state", hidden);
            var wih = new float[4 * hidden * layerInput];
            var whh = new float[4 * hidden * hidden];
            for (int r = 0; r < 4 * hidden; r++)
            {
                Array.Copy(matrix, r * columns, wih, r * layerInput, layerInput);
                Array.Copy(matrix, r * columns + layerInput, whh, r * hidden, hidden);
            }

            stages.Add(new NetworkStage(Recurrent($"layer {n}", CellKind.Lstm, layerInput, hidden, wih, whh, bias, new float[4 * hidden], h0, c0), null));
        }

        float[] headWeight = Take("head weight", output * hidden);
        float[] headBias = Take("head bias", output);
        stages.Add(new NetworkStage(null, new DenseLayer("head", hidden, output, headWeight.ToEquatableArray(), headBias.ToEquatableArray(), DenseActivation.Identity)));
        int sampleRate = document["sample_rate"] is JsonNumber rate && rate.Value >= 1 && rate.Value <= 10_000_000 && rate.Value == Math.Floor(rate.Value) ? (int)rate.Value : 0;
        return Network("Neural Amp Modeler (.nam, LSTM)", input, stages, skip: 0, sampleRate);
    }
}
