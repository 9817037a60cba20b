using System.Globalization;
using System.Text;

namespace LstmGen.Generator.Tests;

/// <summary>Small model files written inline, for cases the fixture files do not cover.</summary>
internal static class ModelTexts
{
    /// <summary>
    /// LSTM(1→1) and Linear(1→1) as a PyTorch state_dict, one tensor per line so messages have predictable lines and
    /// columns: line 2 weight_ih, 3 weight_hh, 4 bias_ih, 5 bias_hh, 6 linear.weight, 7 linear.bias. Every number is
    /// distinct, so a replacement hits one place.
    /// </summary>
    public const string TinyStateDict = """
        {
          "lstm.weight_ih_l0": [[0.5], [-0.25], [0.125], [1.5]],
          "lstm.weight_hh_l0": [[0.75], [-0.5], [0.25], [-1.25]],
          "lstm.bias_ih_l0": [0.0625, -0.125, 0.1875, -0.3125],
          "lstm.bias_hh_l0": [0.375, -0.4375, 0.5625, -0.6875],
          "linear.weight": [[2.5]],
          "linear.bias": [-0.03125]
        }
        """;

    /// <summary>The same LSTM(1→1) as Automated-GuitarAmpModelling JSON with skip = 1.</summary>
    public const string TinyGuitarAmp = """
        {
          "model_data": {"model": "SimpleRNN", "unit_type": "LSTM", "input_size": 1, "hidden_size": 1, "num_layers": 1, "output_size": 1, "skip": 1, "bias_fl": true},
          "state_dict": {
            "rec.weight_ih_l0": [[0.5], [-0.25], [0.125], [1.5]],
            "rec.weight_hh_l0": [[0.75], [-0.5], [0.25], [-1.25]],
            "rec.bias_ih_l0": [0.0625, -0.125, 0.1875, -0.3125],
            "rec.bias_hh_l0": [0.375, -0.4375, 0.5625, -0.6875],
            "lin.weight": [[2.5]],
            "lin.bias": [-0.03125]
          }
        }
        """;

    /// <summary>A Neural Amp Modeler LSTM with input_size 1, hidden_size 1, one layer: 4·2 + 4 + 1 + 1 + 1 + 1 = 16 weights.</summary>
    public const string TinyNam = """
        {"version": "0.5.2", "architecture": "LSTM", "config": {"input_size": 1, "hidden_size": 1, "num_layers": 1},
         "weights": [0.5, 0.75, -0.25, -0.5, 0.125, 0.25, 1.5, -1.25, 0.4375, -0.5625, 0.75, -0.375, 0.1, -0.2, 2.5, -0.03125],
         "sample_rate": 48000}
        """;

    /// <summary>RTNeural: LSTM(1→1) then dense(1→1), Keras layouts.</summary>
    public const string TinyRTNeural = """
        {"in_shape": [null, null, 1], "layers": [
          {"type": "lstm", "activation": "tanh", "shape": [null, null, 1], "weights": [[[0.5, -0.25, 0.125, 1.5]], [[0.75, -0.5, 0.25, -1.25]], [0.0625, -0.125, 0.1875, -0.3125]]},
          {"type": "dense", "activation": "", "shape": [null, null, 1], "weights": [[[2.5]], [-0.03125]]}
        ]}
        """;

    /// <summary>A tensor of <paramref name="shape"/> as nested JSON arrays of distinct small values.</summary>
    public static string Tensor(params int[] shape)
    {
        var builder = new StringBuilder();
        int counter = 0;
        Append(0);
        return builder.ToString();

        void Append(int depth)
        {
            if (depth == shape.Length)
            {
                builder.Append(((++counter % 97 - 48) / 64f).ToString("G9", CultureInfo.InvariantCulture));
                return;
            }

            builder.Append('[');
            for (int k = 0; k < shape[depth]; k++)
            {
                builder.Append(k == 0 ? string.Empty : ", ");
                Append(depth + 1);
            }

            builder.Append(']');
        }
    }

    /// <summary>A state_dict LSTM(<paramref name="input"/>→<paramref name="hidden"/>) then Linear(H→1), with extra members appended.</summary>
    public static string StateDictLstm(int input, int hidden, string extraMembers = "", int? hiddenColumns = null) => $$"""
        {
          "lstm.weight_ih_l0": {{Tensor(4 * hidden, input)}},
          "lstm.weight_hh_l0": {{Tensor(4 * hidden, hiddenColumns ?? hidden)}},
          "lstm.bias_ih_l0": {{Tensor(4 * hidden)}},
          "lstm.bias_hh_l0": {{Tensor(4 * hidden)}},{{extraMembers}}
          "linear.weight": {{Tensor(1, hiddenColumns ?? hidden)}},
          "linear.bias": {{Tensor(1)}}
        }
        """;

    /// <summary><paramref name="text"/> with <paramref name="old"/>, which must occur exactly once, replaced.</summary>
    public static string ReplaceOnce(this string text, string old, string replacement)
    {
        int at = text.IndexOf(old, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(old, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException($"'{old}' does not occur exactly once");
        }

        return text.Substring(0, at) + replacement + text.Substring(at + old.Length);
    }
}
