using System;
using System.Collections.Generic;
using System.Globalization;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Validation;
using static LstmGen.Generator.Parsing.ModelFiles.ModelFileReader;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>
/// RTNeural's JSON (written by its Keras exporter): <c>{"in_shape": [null, null, I], "layers": [{"type", "activation",
/// "shape": [null, null, N], "weights": [...]}, …]}</c>. Dense layers (<c>"dense"</c>, <c>"time-distributed-dense"</c>:
/// kernel <c>[in][out]</c>, bias <c>[out]</c>, then the activation), <c>"lstm"</c> (Keras gate order i, f, c, o, one
/// bias) and <c>"gru"</c> (Keras gate order z, r, h with <c>reset_after</c>: bias <c>[2][3H]</c>, the recurrent bias of h
/// inside r ⊙ …, as PyTorch). Every layer's <c>"shape"</c> must agree with its weights. Zero initial state.
/// </summary>
internal static class RTNeuralReader
{
    public static NetworkSpec Read(JsonObject document)
    {
        int input = LastDimension(document["in_shape"], "in_shape");
        if (document["layers"] is not JsonArray layers)
        {
            throw new ModelFileException(DiagnosticIds.UnreadableModelFile, "\"layers\" must be an array");
        }

        var stages = new List<NetworkStage>();
        int size = input;
        for (int index = 0; index < layers.Items.Count; index++)
        {
            if (layers.Items[index] is not JsonObject layer)
            {
                throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"layer {index} at {layers.Items[index].Where} is {layers.Items[index].Kind}, not an object");
            }

            string type = Text(layer, "type", null);
            string name = $"layer {index.ToString(CultureInfo.InvariantCulture)} ({type})";
            if (layer["weights"] is not JsonArray weights)
            {
                throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"{name} has no \"weights\" array");
            }

            NetworkStage stage = type switch
            {
                "dense" or "time-distributed-dense" => Dense(name, layer, weights, size),
                "lstm" => Recurrent(name, CellKind.Lstm, weights, size),
                "gru" => Recurrent(name, CellKind.Gru, weights, size),
                _ => throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the layer type \"{type}\" of layer {index} (RTNeural JSON layers \"dense\", \"time-distributed-dense\", \"lstm\" and \"gru\" are supported)"),
            };

            int declared = LastDimension(layer["shape"], $"{name} \"shape\"");
            if (declared != stage.OutputSize)
            {
                throw new ModelFileException(DiagnosticIds.ModelMetadataMismatch, $"{name} says \"shape\" [.., {declared}], but its weights have {stage.OutputSize} units");
            }

            stages.Add(stage);
            size = stage.OutputSize;
        }

        return Network("RTNeural JSON (Keras exporter)", input, stages, skip: 0, sampleRate: 0);
    }

    private static int LastDimension(JsonValue? value, string what)
    {
        if (value is JsonArray { Items.Count: > 0 } array && array.Items[array.Items.Count - 1] is JsonNumber n && n.Value >= 1 && n.Value <= Rules.MaxInputSize && n.Value == Math.Floor(n.Value))
        {
            return (int)n.Value;
        }

        throw new ModelFileException(DiagnosticIds.UnreadableModelFile, $"{what} must be an array ending in a positive size, like [null, null, 8]");
    }

    private static NetworkStage Dense(string name, JsonObject layer, JsonArray weights, int input)
    {
        string activation = layer["activation"] is JsonString s ? s.Value : string.Empty;
        DenseActivation act = activation switch
        {
            "" or "linear" => DenseActivation.Identity,
            "tanh" => DenseActivation.Tanh,
            "sigmoid" => DenseActivation.Sigmoid,
            "relu" => DenseActivation.Relu,
            _ => throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the activation \"{activation}\" of {name} (\"\", \"linear\", \"tanh\", \"sigmoid\" and \"relu\" are supported)"),
        };
        if (weights.Items.Count is < 1 or > 2)
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"{name} has {weights.Items.Count} weight tensors; a dense layer has a kernel [in][out] and a bias [out]");
        }

        int[] shape = Tensor($"{name} kernel", weights.Items[0]).Shape;
        if (shape.Length != 2 || shape[0] != input)
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"the kernel of {name} has shape {Shape(shape)}, expected [{input}, out] (it follows a layer with {input} outputs)");
        }

        int output = shape[1];
        float[] kernel = Expect($"{name} kernel", weights.Items[0], input, output);
        float[] bias = weights.Items.Count == 2 ? Expect($"{name} bias", weights.Items[1], output) : new float[output];
        return new NetworkStage(null, new DenseLayer(name, input, output, Transpose(kernel, input, output).ToEquatableArray(), bias.ToEquatableArray(), act));
    }

    private static NetworkStage Recurrent(string name, CellKind cell, JsonArray weights, int input)
    {
        int gates = CellDescriptor.For(cell).GateCount;
        if (weights.Items.Count != 3)
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"{name} has {weights.Items.Count} weight tensors; a recurrent layer has a kernel, a recurrent kernel and a bias");
        }

        int[] shape = Tensor($"{name} recurrent kernel", weights.Items[1]).Shape;
        int hidden = shape.Length == 2 ? shape[0] : 0;
        if (hidden < 1 || shape[1] != gates * hidden)
        {
            throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"the recurrent kernel of {name} has shape {Shape(shape)}, expected [H, {gates}·H]");
        }

        CheckLayerSizes(name, input, hidden);
        float[] kernel = Expect($"{name} kernel", weights.Items[0], input, gates * hidden);
        float[] recurrent = Expect($"{name} recurrent kernel", weights.Items[1], hidden, gates * hidden);
        float[] wih = Transpose(kernel, input, gates * hidden);
        float[] whh = Transpose(recurrent, hidden, gates * hidden);
        if (cell == CellKind.Lstm)
        {
            // Keras i, f, c, o is PyTorch's i, f, g, o; one bias.
            float[] bias = Expect($"{name} bias", weights.Items[2], gates * hidden);
            return new NetworkStage(ModelFileReader.Recurrent(name, cell, input, hidden, wih, whh, bias, new float[gates * hidden]), null);
        }

        // Keras z, r, h becomes PyTorch r, z, n; with reset_after the two bias rows are b_ih and b_hh.
        float[] biases = Expect($"{name} bias", weights.Items[2], 2, gates * hidden);
        int[] order = { 1, 0, 2 };
        float[] bih = new float[gates * hidden], bhh = new float[gates * hidden];
        Array.Copy(biases, 0, bih, 0, gates * hidden);
        Array.Copy(biases, gates * hidden, bhh, 0, gates * hidden);
        return new NetworkStage(ModelFileReader.Recurrent(name, cell, input, hidden,
            ReorderGates(wih, hidden, input, order), ReorderGates(whh, hidden, hidden, order),
            ReorderGates(bih, hidden, 1, order), ReorderGates(bhh, hidden, 1, order)), null);
    }
}
