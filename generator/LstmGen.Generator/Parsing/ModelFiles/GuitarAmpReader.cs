using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Validation;
using static LstmGen.Generator.Parsing.ModelFiles.ModelFileReader;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>
/// Automated-GuitarAmpModelling / GuitarML JSON (the format of Proteus, NeuralPi, Chameleon and CoreAudioML's
/// <c>save_model</c>): <c>{"model_data": {"model": "SimpleRNN", "unit_type", "input_size", "hidden_size", "num_layers",
/// "output_size", "skip", "bias_fl"}, "state_dict": {"rec.weight_ih_l0", …, "lin.weight", "lin.bias"}}</c>, with
/// <c>y_t = lin(h_t) + x_t[0 : skip]</c>. Zero initial state.
/// </summary>
internal static class GuitarAmpReader
{
    public static NetworkSpec Read(JsonObject document)
    {
        if (document["model_data"] is not JsonObject data)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, "\"model_data\" must be an object");
        }

        if (document["state_dict"] is not JsonObject tensors)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, "\"state_dict\" must be an object");
        }

        string model = Text(data, "model", "SimpleRNN");
        if (!string.Equals(model, "SimpleRNN", StringComparison.Ordinal))
        {
            throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the model \"{model}\" (Automated-GuitarAmpModelling files must be \"SimpleRNN\")");
        }

        string unit = Text(data, "unit_type", null);
        CellKind cell = unit.ToUpperInvariant() switch
        {
            "LSTM" => CellKind.Lstm,
            "GRU" => CellKind.Gru,
            _ => throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the unit_type \"{unit}\" (LSTM and GRU are supported)"),
        };
        int input = Integer(data, "input_size", 1, minimum: 1, maximum: Rules.MaxInputSize);
        int hidden = Integer(data, "hidden_size", null, minimum: 1, maximum: Rules.MaxHiddenSize);
        int layers = Integer(data, "num_layers", 1, minimum: 1, maximum: 64);
        int output = Integer(data, "output_size", 1, minimum: 1, maximum: Rules.MaxInputSize);
        int skip = Integer(data, "skip", 0, minimum: 0, maximum: Rules.MaxInputSize);
        bool bias = data["bias_fl"] is not JsonLiteral { Value: false };
        int gates = CellDescriptor.For(cell).GateCount;

        // Every tensor must be one the declared model has: a layer beyond num_layers is not silently ignored.
        var expected = new HashSet<string>(StringComparer.Ordinal) { "lin.weight" };
        if (bias)
        {
            expected.Add("lin.bias");
        }

        for (int l = 0; l < layers; l++)
        {
            foreach (string name in new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" })
            {
                expected.Add($"rec.{name}_l{l.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        foreach (KeyValuePair<string, JsonValue> member in tensors.Members)
        {
            if (!expected.Contains(member.Key))
            {
                throw new ModelFileException(DiagnosticIds.UnexpectedModelTensor,
                    $"unexpected tensor '{member.Key}' (model_data declares {layers} {unit} layer(s){(bias ? string.Empty : " and bias_fl = false")})");
            }
        }

        // The metadata must agree with the weights before any shape is checked against it.
        if (tensors["rec.weight_hh_l0"] is { } hh)
        {
            int[] shape = Tensor("rec.weight_hh_l0", hh).Shape;
            if (shape.Length == 2 && shape[1] != hidden)
            {
                throw new ModelFileException(DiagnosticIds.ModelMetadataMismatch, $"model_data says hidden_size = {hidden}, but 'rec.weight_hh_l0' has {shape[1]} units (shape {Shape(shape)})");
            }

            if (shape.Length == 2 && shape[0] != gates * hidden && (shape[0] == 4 * hidden || shape[0] == 3 * hidden))
            {
                throw new ModelFileException(DiagnosticIds.ModelMetadataMismatch, $"model_data says unit_type = {unit}, but 'rec.weight_hh_l0' has {shape[0] / hidden} gates per unit (shape {Shape(shape)}: {(shape[0] == 4 * hidden ? "an LSTM" : "a GRU")})");
            }
        }

        if (tensors["rec.weight_ih_l0"] is { } ih && Tensor("rec.weight_ih_l0", ih).Shape is { Length: 2 } ihShape && ihShape[1] != input)
        {
            throw new ModelFileException(DiagnosticIds.ModelMetadataMismatch, $"model_data says input_size = {input}, but 'rec.weight_ih_l0' takes {ihShape[1]} inputs (shape {Shape(ihShape)})");
        }

        if (tensors["lin.weight"] is { } lw && Tensor("lin.weight", lw).Shape is { Length: 2 } linShape && linShape[0] != output)
        {
            throw new ModelFileException(DiagnosticIds.ModelMetadataMismatch, $"model_data says output_size = {output}, but 'lin.weight' has {linShape[0]} outputs (shape {Shape(linShape)})");
        }

        var stages = new List<NetworkStage>();
        for (int l = 0; l < layers; l++)
        {
            string n = l.ToString(CultureInfo.InvariantCulture);
            int layerInput = l == 0 ? input : hidden;
            stages.Add(new NetworkStage(Recurrent($"rec (layer {n})", cell, layerInput, hidden,
                Expect($"rec.weight_ih_l{n}", tensors[$"rec.weight_ih_l{n}"], gates * hidden, layerInput),
                Expect($"rec.weight_hh_l{n}", tensors[$"rec.weight_hh_l{n}"], gates * hidden, hidden),
                Expect($"rec.bias_ih_l{n}", tensors[$"rec.bias_ih_l{n}"], gates * hidden),
                Expect($"rec.bias_hh_l{n}", tensors[$"rec.bias_hh_l{n}"], gates * hidden)), null));
        }

        float[] weight = Expect("lin.weight", tensors["lin.weight"], output, hidden);
        float[] linearBias = bias ? Expect("lin.bias", tensors["lin.bias"], output) : new float[output];
        stages.Add(new NetworkStage(null, new DenseLayer("lin", hidden, output, weight.ToEquatableArray(), linearBias.ToEquatableArray(), DenseActivation.Identity)));
        return Network("Automated-GuitarAmpModelling JSON", input, stages, skip, sampleRate: 0);
    }
}
