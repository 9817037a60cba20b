using System;
using System.Globalization;
using System.IO;
using System.Text;
using LstmGen.Training;

namespace LstmGen;

/// <summary>
/// Saves a trained recurrent amp model — a generated <c>[Lstm]</c> or <c>[Gru]</c> layer, a <see cref="Linear"/> head
/// and an optional skip connection, <c>y_t = head(h_t) + x_t[0 : skip]</c> — as an Automated-GuitarAmpModelling JSON
/// file: the format CoreAudioML's <c>SimpleRNN.save_model</c> writes and Proteus, NeuralPi, Chameleon and
/// <c>[RecurrentModel]</c> read.
/// </summary>
/// <remarks>
/// <para>The file is one line of JSON, laid out as Python's <c>json.dump</c> writes CoreAudioML's dictionary:</para>
/// <code>
/// {"model_data": {"model": "SimpleRNN", "input_size": I, "skip": S, "output_size": O, "unit_type": "LSTM" | "GRU",
///   "num_layers": 1, "hidden_size": H, "bias_fl": true},
///  "state_dict": {"rec.weight_ih_l0": [G·H][I], "rec.weight_hh_l0": [G·H][H], "rec.bias_ih_l0": [G·H],
///   "rec.bias_hh_l0": [G·H], "lin.weight": [O][H], "lin.bias": [O]}}
/// </code>
/// <para>The tensors are PyTorch's <c>nn.LSTM</c> (G = 4, gates i, f, g, o) or <c>nn.GRU</c> (G = 3, gates r, z, n) and
/// <c>nn.Linear</c> layouts, as <c>ExportPyTorch</c> gives them, nested row by row as <c>tensor.tolist()</c> nests them.
/// Every number is written as the exact decimal of its float32 value widened to double (what <c>tolist()</c> of a
/// float32 tensor writes), so reading it as a double and rounding to float32 — as PyTorch, NumPy and
/// <c>[RecurrentModel]</c> do — gives back the same bits. The initial state is zero, as the format implies.</para>
/// <para>Load the file in PyTorch with a <c>nn.LSTM(I, H)</c> (or <c>nn.GRU</c>) named <c>rec</c> and a
/// <c>nn.Linear(H, O)</c> named <c>lin</c> (CoreAudioML's <c>SimpleRNN</c>), <c>load_state_dict</c> with the tensors
/// of <c>"state_dict"</c>, and add <c>x[..., :skip]</c> to the output; compile it into a .NET program with
/// <c>[RecurrentModel("amp.json")]</c>.</para>
/// </remarks>
public static class GuitarAmpModelWriter
{
    /// <summary>The model as Automated-GuitarAmpModelling JSON text.</summary>
    /// <param name="lstm">The recurrent layer.</param>
    /// <param name="head">The readout: <c>Linear(H → O)</c> with H the layer's hidden size.</param>
    /// <param name="skip">Inputs added to the output: 0 (none), 1 (the first input, added to every output — the usual
    /// amp model) or O; at most the input size.</param>
    /// <returns>The file's text (one line, no trailing newline).</returns>
    /// <exception cref="ArgumentException">The head does not fit the layer, <paramref name="skip"/> is not allowed, or a
    /// weight is NaN or infinite (the message names the tensor and the element).</exception>
    public static string ToJson(ILstm lstm, Linear head, int skip)
    {
        ArgumentNullException.ThrowIfNull(lstm);
        int g = 4 * lstm.HiddenSize;
        float[] weightIh = new float[g * lstm.InputSize], weightHh = new float[g * lstm.HiddenSize], biasIh = new float[g], biasHh = new float[g];
        lstm.ExportPyTorch(weightIh, weightHh, biasIh, biasHh);
        return Format(nameof(lstm), "LSTM", lstm.InputSize, lstm.HiddenSize, weightIh, weightHh, biasIh, biasHh, head, skip);
    }

    /// <summary>The model as Automated-GuitarAmpModelling JSON text.</summary>
    /// <param name="gru">The recurrent layer.</param>
    /// <param name="head">The readout: <c>Linear(H → O)</c> with H the layer's hidden size.</param>
    /// <param name="skip">Inputs added to the output: 0 (none), 1 (the first input, added to every output — the usual
    /// amp model) or O; at most the input size.</param>
    /// <returns>The file's text (one line, no trailing newline).</returns>
    /// <exception cref="ArgumentException">The head does not fit the layer, <paramref name="skip"/> is not allowed, or a
    /// weight is NaN or infinite (the message names the tensor and the element).</exception>
    public static string ToJson(IGru gru, Linear head, int skip)
    {
        ArgumentNullException.ThrowIfNull(gru);
        int g = 3 * gru.HiddenSize;
        float[] weightIh = new float[g * gru.InputSize], weightHh = new float[g * gru.HiddenSize], biasIh = new float[g], biasHh = new float[g];
        gru.ExportPyTorch(weightIh, weightHh, biasIh, biasHh);
        return Format(nameof(gru), "GRU", gru.InputSize, gru.HiddenSize, weightIh, weightHh, biasIh, biasHh, head, skip);
    }

    /// <summary>Writes the model to a file (UTF-8 without a byte-order mark), replacing it if it exists.</summary>
    /// <param name="path">The file to write, e.g. <c>Models/amp.json</c>.</param>
    /// <param name="lstm">The recurrent layer.</param>
    /// <param name="head">The readout: <c>Linear(H → O)</c>.</param>
    /// <param name="skip">Inputs added to the output: 0, 1 or O (see <see cref="ToJson(ILstm, Linear, int)"/>).</param>
    /// <exception cref="ArgumentException">As <see cref="ToJson(ILstm, Linear, int)"/>; nothing is written then.</exception>
    public static void Write(string path, ILstm lstm, Linear head, int skip)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToJson(lstm, head, skip), Utf8);
    }

    /// <summary>Writes the model to a file (UTF-8 without a byte-order mark), replacing it if it exists.</summary>
    /// <param name="path">The file to write, e.g. <c>Models/amp.json</c>.</param>
    /// <param name="gru">The recurrent layer.</param>
    /// <param name="head">The readout: <c>Linear(H → O)</c>.</param>
    /// <param name="skip">Inputs added to the output: 0, 1 or O (see <see cref="ToJson(IGru, Linear, int)"/>).</param>
    /// <exception cref="ArgumentException">As <see cref="ToJson(IGru, Linear, int)"/>; nothing is written then.</exception>
    public static void Write(string path, IGru gru, Linear head, int skip)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToJson(gru, head, skip), Utf8);
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static string Format(
        string layerName, string unit, int inputSize, int hiddenSize, float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh, Linear head, int skip)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (head.InputSize != hiddenSize)
        {
            throw new ArgumentException($"'{nameof(head)}' must take the {unit}'s {hiddenSize} hidden units (InputSize = {hiddenSize}), but its InputSize is {head.InputSize}.", nameof(head));
        }

        int outputSize = head.OutputSize;
        if (skip < 0 || skip > inputSize || (skip > 1 && skip != outputSize))
        {
            throw new ArgumentException(
                $"'{nameof(skip)}' must be 0, 1 or the output size ({outputSize}), and at most the input size ({inputSize}), but it is {skip}.", nameof(skip));
        }

        float[] linearWeight = new float[outputSize * hiddenSize], linearBias = new float[outputSize];
        head.ExportPyTorch(linearWeight, linearBias);

        var text = new StringBuilder(64 + 24 * (weightIh.Length + weightHh.Length + biasIh.Length + biasHh.Length + linearWeight.Length + linearBias.Length));
        text.Append("{\"model_data\": {\"model\": \"SimpleRNN\", \"input_size\": ").Append(Integer(inputSize))
            .Append(", \"skip\": ").Append(Integer(skip))
            .Append(", \"output_size\": ").Append(Integer(outputSize))
            .Append(", \"unit_type\": \"").Append(unit)
            .Append("\", \"num_layers\": 1, \"hidden_size\": ").Append(Integer(hiddenSize))
            .Append(", \"bias_fl\": true}, \"state_dict\": {");
        Tensor(text, "rec.weight_ih_l0", weightIh, inputSize, layerName);
        text.Append(", ");
        Tensor(text, "rec.weight_hh_l0", weightHh, hiddenSize, layerName);
        text.Append(", ");
        Tensor(text, "rec.bias_ih_l0", biasIh, columns: 0, layerName);
        text.Append(", ");
        Tensor(text, "rec.bias_hh_l0", biasHh, columns: 0, layerName);
        text.Append(", ");
        Tensor(text, "lin.weight", linearWeight, hiddenSize, nameof(head));
        text.Append(", ");
        Tensor(text, "lin.bias", linearBias, columns: 0, nameof(head));
        text.Append("}}");
        return text.ToString();
    }

    private static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    // "name": [v, …] for a vector (columns = 0), "name": [[v, …], …] for a row-major matrix of that many columns.
    private static void Tensor(StringBuilder text, string name, float[] values, int columns, string owner)
    {
        text.Append('"').Append(name).Append("\": [");
        for (int k = 0; k < values.Length; k++)
        {
            float value = values[k];
            if (!float.IsFinite(value))
            {
                string where = columns == 0 ? $"[{k}]" : $"[{k / columns}][{k % columns}]";
                throw new ArgumentException($"The weights must be finite to be saved, but {name}{where} is {value.ToString(CultureInfo.InvariantCulture)}.", owner);
            }

            if (k > 0)
            {
                text.Append(", ");
            }

            if (columns > 0 && k % columns == 0)
            {
                text.Append('[');
            }

            Number(text, value);
            if (columns > 0 && k % columns == columns - 1)
            {
                text.Append(']');
            }
        }

        text.Append(']');
    }

    // The shortest decimal that reads back as the double equal to this float32 (Python's repr of tolist()'s value),
    // always with a '.' or an exponent so that every reader sees a float, not an integer.
    private static void Number(StringBuilder text, float value)
    {
        string digits = ((double)value).ToString("R", CultureInfo.InvariantCulture);
        text.Append(digits);
        if (digits.AsSpan().IndexOfAny('.', 'E') < 0)
        {
            text.Append(".0");
        }
    }
}
