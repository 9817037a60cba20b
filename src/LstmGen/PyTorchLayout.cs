using System;
using LstmGen.Kernels;

namespace LstmGen;

/// <summary>
/// Converts LSTM parameters between PyTorch's <c>nn.LSTM</c> layout and the layout generated models keep in
/// their <c>Parameters</c> span.
/// </summary>
/// <remarks>
/// <para>PyTorch (one layer, gate order i, f, g, o):
/// <c>weight_ih_l0 [4H, I]</c>, <c>weight_hh_l0 [4H, H]</c>, <c>bias_ih_l0 [4H]</c>, <c>bias_hh_l0 [4H]</c>, row-major.</para>
/// <para>Generated models (all row-major, one span of <c>4H·I + 4H·H + 8H</c> floats):
/// <c>W_ihᵀ [I, 4H]</c>, then <c>W_hhᵀ [H, 4H]</c>, then <c>b_ih [4H]</c>, then <c>b_hh [4H]</c>.
/// Transposing puts the 4H gate rows that one input element or one hidden unit feeds side by side, so a
/// kernel broadcasts that element and multiply-adds it into all 4H gate pre-activations with contiguous
/// vector loads, and the backward pass reads the same rows for <c>W_ihᵀ·dz</c> and <c>W_hhᵀ·dz</c>.</para>
/// </remarks>
public static class PyTorchLayout
{
    /// <summary>Number of parameters of an LSTM layer: <c>4H·I + 4H·H + 8H</c>.</summary>
    /// <param name="inputSize">Input features (I).</param>
    /// <param name="hiddenSize">Hidden units (H).</param>
    /// <returns>The parameter count.</returns>
    public static long ParameterCount(int inputSize, int hiddenSize)
        => 4L * hiddenSize * inputSize + 4L * hiddenSize * hiddenSize + 8L * hiddenSize;

    /// <summary>Copies PyTorch-layout tensors into a generated model's parameter span.</summary>
    /// <param name="parameters">Destination, in the generated layout (<c>4H·I + 4H·H + 8H</c> floats).</param>
    /// <param name="inputSize">Input features (I).</param>
    /// <param name="hiddenSize">Hidden units (H).</param>
    /// <param name="weightIh"><c>weight_ih_l0</c>, <c>[4H, I]</c> row-major.</param>
    /// <param name="weightHh"><c>weight_hh_l0</c>, <c>[4H, H]</c> row-major.</param>
    /// <param name="biasIh"><c>bias_ih_l0</c>, <c>[4H]</c>.</param>
    /// <param name="biasHh"><c>bias_hh_l0</c>, <c>[4H]</c>.</param>
    /// <exception cref="ArgumentException">A span does not have the length its shape requires.</exception>
    public static void Import(
        Span<float> parameters, int inputSize, int hiddenSize,
        ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh)
    {
        int gates = 4 * hiddenSize;
        Validate(parameters.Length, inputSize, hiddenSize, weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length);
        Transpose(weightIh, gates, inputSize, parameters.Slice(0, gates * inputSize));
        Transpose(weightHh, gates, hiddenSize, parameters.Slice(gates * inputSize, gates * hiddenSize));
        biasIh.CopyTo(parameters.Slice(gates * (inputSize + hiddenSize), gates));
        biasHh.CopyTo(parameters.Slice(gates * (inputSize + hiddenSize + 1), gates));
    }

    /// <summary>Copies a generated model's parameters (or gradients) out into PyTorch-layout tensors.</summary>
    /// <param name="parameters">Source, in the generated layout.</param>
    /// <param name="inputSize">Input features (I).</param>
    /// <param name="hiddenSize">Hidden units (H).</param>
    /// <param name="weightIh">Receives <c>weight_ih_l0</c>, <c>[4H, I]</c> row-major.</param>
    /// <param name="weightHh">Receives <c>weight_hh_l0</c>, <c>[4H, H]</c> row-major.</param>
    /// <param name="biasIh">Receives <c>bias_ih_l0</c>, <c>[4H]</c>.</param>
    /// <param name="biasHh">Receives <c>bias_hh_l0</c>, <c>[4H]</c>.</param>
    /// <exception cref="ArgumentException">A span does not have the length its shape requires.</exception>
    public static void Export(
        ReadOnlySpan<float> parameters, int inputSize, int hiddenSize,
        Span<float> weightIh, Span<float> weightHh, Span<float> biasIh, Span<float> biasHh)
    {
        int gates = 4 * hiddenSize;
        Validate(parameters.Length, inputSize, hiddenSize, weightIh.Length, weightHh.Length, biasIh.Length, biasHh.Length);
        Transpose(parameters.Slice(0, gates * inputSize), inputSize, gates, weightIh);
        Transpose(parameters.Slice(gates * inputSize, gates * hiddenSize), hiddenSize, gates, weightHh);
        parameters.Slice(gates * (inputSize + hiddenSize), gates).CopyTo(biasIh);
        parameters.Slice(gates * (inputSize + hiddenSize + 1), gates).CopyTo(biasHh);
    }

    private static void Validate(int parameters, int inputSize, int hiddenSize, int weightIh, int weightHh, int biasIh, int biasHh)
    {
        if (inputSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input size must be at least 1.");
        }

        if (hiddenSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "The hidden size must be at least 1.");
        }

        long count = ParameterCount(inputSize, hiddenSize);
        if (count > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, $"An LSTM with I = {inputSize} and H = {hiddenSize} has {count} parameters, more than one span can hold.");
        }

        int gates = 4 * hiddenSize;
        LstmThrow.IfLengthIsNot(nameof(parameters), parameters, (int)count, "4·H·I + 4·H·H + 8·H");
        LstmThrow.IfLengthIsNot(nameof(weightIh), weightIh, gates * inputSize, $"weight_ih_l0 is [4·HiddenSize, InputSize] = [{gates}, {inputSize}]");
        LstmThrow.IfLengthIsNot(nameof(weightHh), weightHh, gates * hiddenSize, $"weight_hh_l0 is [4·HiddenSize, HiddenSize] = [{gates}, {hiddenSize}]");
        LstmThrow.IfLengthIsNot(nameof(biasIh), biasIh, gates, "bias_ih_l0 is [4·HiddenSize]");
        LstmThrow.IfLengthIsNot(nameof(biasHh), biasHh, gates, "bias_hh_l0 is [4·HiddenSize]");
    }

    // destination[c, r] = source[r, c] for a row-major source of rows × columns.
    private static void Transpose(ReadOnlySpan<float> source, int rows, int columns, Span<float> destination)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = source.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                destination[c * rows + r] = row[c];
            }
        }
    }
}
