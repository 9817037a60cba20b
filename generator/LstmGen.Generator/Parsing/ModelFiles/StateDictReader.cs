using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Validation;
using static LstmGen.Generator.Parsing.ModelFiles.ModelFileReader;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>
/// A PyTorch <c>state_dict</c> written as JSON (<c>json.dump({k: v.tolist() for k, v in model.state_dict().items()})</c>):
/// modules in the order their keys appear; <c>nn.LSTM</c>/<c>nn.GRU</c> (any number of layers, unidirectional, with
/// biases; LSTM or GRU told by 4·H or 3·H rows of <c>weight_hh</c>) and <c>nn.Linear</c>. Zero initial state.
/// </summary>
internal static class StateDictReader
{
    private static readonly Regex RecurrentKey = new(@"^(weight_ih|weight_hh|bias_ih|bias_hh|weight_hr)_l(\d+)(_reverse)?$", RegexOptions.CultureInvariant);

    public static NetworkSpec Read(JsonObject document)
    {
        // Group the tensors by module (the key up to its last dot), in order of first appearance.
        var modules = new List<(string Prefix, List<(string Suffix, string Key, JsonValue Value)> Tensors)>();
        var indexOf = new Dictionary<string, int>(System.StringComparer.Ordinal); // a file may hold very many members: no linear search
        foreach (KeyValuePair<string, JsonValue> member in document.Members)
        {
            int dot = member.Key.LastIndexOf('.');
            string prefix = dot < 0 ? string.Empty : member.Key.Substring(0, dot);
            string suffix = dot < 0 ? member.Key : member.Key.Substring(dot + 1);
            if (!indexOf.TryGetValue(prefix, out int index))
            {
                modules.Add((prefix, new List<(string, string, JsonValue)>()));
                index = modules.Count - 1;
                indexOf.Add(prefix, index);
            }

            modules[index].Tensors.Add((suffix, member.Key, member.Value));
        }

        var stages = new List<NetworkStage>();
        foreach ((string prefix, List<(string Suffix, string Key, JsonValue Value)> tensors) in modules)
        {
            if (tensors.Any(t => RecurrentKey.IsMatch(t.Suffix)))
            {
                stages.AddRange(Recurrent(prefix, tensors));
            }
            else
            {
                stages.Add(Linear(prefix, tensors));
            }
        }

        return Network("PyTorch state_dict (JSON)", stages[0].InputSize, stages, skip: 0, sampleRate: 0);
    }

    private static string Key(string prefix, string suffix) => prefix.Length == 0 ? suffix : prefix + "." + suffix;

    private static IEnumerable<NetworkStage> Recurrent(string prefix, List<(string Suffix, string Key, JsonValue Value)> tensors)
    {
        var byName = new Dictionary<string, JsonValue>();
        int layers = 0;
        foreach ((string suffix, string key, JsonValue value) in tensors)
        {
            Match match = RecurrentKey.Match(suffix);
            if (!match.Success)
            {
                throw new ModelFileException(DiagnosticIds.UnexpectedModelTensor, $"unexpected tensor '{key}' next to the recurrent layers of '{prefix}'");
            }

            if (match.Groups[3].Success)
            {
                throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"a bidirectional layer ('{key}')");
            }

            if (match.Groups[1].Value == "weight_hr")
            {
                throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"an LSTM with projections (proj_size, '{key}')");
            }

            if (!int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int layer) || layer > 1000)
            {
                throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the layer number in '{key}'");
            }

            layers = System.Math.Max(layers, layer + 1);
            byName[suffix] = value;
        }

        // The cell and the hidden size come from weight_hh_l0: [G·H, H].
        string hh0 = Key(prefix, "weight_hh_l0");
        if (!byName.TryGetValue("weight_hh_l0", out JsonValue? hhValue))
        {
            throw new ModelFileException(DiagnosticIds.UnexpectedModelTensor, $"tensor '{hh0}' is missing");
        }

        int[] hhShape = Tensor(hh0, hhValue).Shape;
        int hidden = hhShape.Length == 2 ? hhShape[1] : 0;
        CellKind cell = hhShape.Length == 2 && hidden > 0 && hhShape[0] == 4 * hidden ? CellKind.Lstm
            : hhShape.Length == 2 && hidden > 0 && hhShape[0] == 3 * hidden ? CellKind.Gru
            : throw new ModelFileException(DiagnosticIds.ModelTensorShape, $"tensor '{hh0}' has shape {Shape(hhShape)}: an LSTM's is [4·H, H], a GRU's [3·H, H]");
        int g = CellDescriptor.For(cell).GateCount * hidden;

        int input = -1;
        for (int l = 0; l < layers; l++)
        {
            string n = l.ToString(CultureInfo.InvariantCulture);
            foreach (string bias in new[] { "bias_ih_l" + n, "bias_hh_l" + n })
            {
                if (!byName.ContainsKey(bias))
                {
                    throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"a recurrent layer without biases ('{Key(prefix, bias)}' is missing)");
                }
            }

            string ih = Key(prefix, "weight_ih_l" + n);
            if (!byName.TryGetValue("weight_ih_l" + n, out JsonValue? ihValue))
            {
                throw new ModelFileException(DiagnosticIds.UnexpectedModelTensor, $"tensor '{ih}' is missing");
            }

            if (input < 0)
            {
                int[] ihShape = Tensor(ih, ihValue).Shape;
                input = ihShape.Length == 2 ? ihShape[1] : 0;
            }

            int layerInput = l == 0 ? input : hidden;
            float[] wih = Expect(ih, ihValue, g, layerInput);
            float[] whh = Expect(Key(prefix, "weight_hh_l" + n), byName.TryGetValue("weight_hh_l" + n, out JsonValue? v) ? v : null, g, hidden);
            float[] bih = Expect(Key(prefix, "bias_ih_l" + n), byName["bias_ih_l" + n], g);
            float[] bhh = Expect(Key(prefix, "bias_hh_l" + n), byName["bias_hh_l" + n], g);
            yield return new NetworkStage(ModelFileReader.Recurrent($"{Key(prefix, "l" + n)}", cell, layerInput, hidden, wih, whh, bih, bhh), null);
        }
    }

    private static NetworkStage Linear(string prefix, List<(string Suffix, string Key, JsonValue Value)> tensors)
    {
        JsonValue? weight = null, bias = null;
        foreach ((string suffix, string key, JsonValue value) in tensors)
        {
            if (suffix == "weight")
            {
                weight = value;
            }
            else if (suffix == "bias")
            {
                bias = value;
            }
            else
            {
                throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the tensor '{key}' (only nn.LSTM, nn.GRU and nn.Linear modules are supported)");
            }
        }

        string name = Key(prefix, "weight");
        if (weight is null)
        {
            throw new ModelFileException(DiagnosticIds.UnexpectedModelTensor, $"tensor '{name}' is missing next to '{Key(prefix, "bias")}'");
        }

        int[] shape = Tensor(name, weight).Shape;
        if (shape.Length != 2 || shape[0] < 1 || shape[1] < 1)
        {
            throw new ModelFileException(DiagnosticIds.UnsupportedModelContent, $"the tensor '{name}' of shape {Shape(shape)} (nn.Linear's weight is [out, in]; convolutions and other modules are not supported)");
        }

        float[] w = Expect(name, weight, shape[0], shape[1]);
        float[] b = bias is null ? new float[shape[0]] : Expect(Key(prefix, "bias"), bias, shape[0]);
        return new NetworkStage(null, new DenseLayer(prefix.Length == 0 ? "linear" : prefix, shape[1], shape[0], w.ToEquatableArray(), b.ToEquatableArray(), DenseActivation.Identity));
    }
}
