using System;

namespace LstmGen;

/// <summary>
/// The API every generated <c>[Lstm]</c> class implements, for code that handles models of different sizes
/// through one type (training loops, tests, tools). Call the class's own members in hot code: they are the
/// same methods without interface dispatch.
/// </summary>
public interface ILstm
{
    /// <summary>Input features per time step.</summary>
    int InputSize { get; }

    /// <summary>Hidden units; the length of the hidden and cell state.</summary>
    int HiddenSize { get; }

    /// <summary>The most time steps one <c>Forward</c> or <c>Backward</c> call accepts.</summary>
    int SequenceLength { get; }

    /// <summary>Number of trainable values: <c>4·H·I + 4·H·H + 8·H</c>.</summary>
    int ParameterCount { get; }

    /// <summary>All trainable values, in the generated layout (see <see cref="PyTorchLayout"/>).</summary>
    Span<float> Parameters { get; }

    /// <summary>PyTorch's default initialization, deterministic for a seed.</summary>
    /// <param name="seed">Any value.</param>
    void InitializeParameters(int seed);

    /// <summary>Loads weights in PyTorch <c>nn.LSTM</c> layout.</summary>
    /// <param name="weightIh"><c>weight_ih_l0</c> <c>[4H, I]</c>.</param>
    /// <param name="weightHh"><c>weight_hh_l0</c> <c>[4H, H]</c>.</param>
    /// <param name="biasIh"><c>bias_ih_l0</c> <c>[4H]</c>.</param>
    /// <param name="biasHh"><c>bias_hh_l0</c> <c>[4H]</c>.</param>
    void ImportPyTorch(ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh);

    /// <summary>Writes the weights in PyTorch <c>nn.LSTM</c> layout.</summary>
    /// <param name="weightIh">Receives <c>weight_ih_l0</c>.</param>
    /// <param name="weightHh">Receives <c>weight_hh_l0</c>.</param>
    /// <param name="biasIh">Receives <c>bias_ih_l0</c>.</param>
    /// <param name="biasHh">Receives <c>bias_hh_l0</c>.</param>
    void ExportPyTorch(Span<float> weightIh, Span<float> weightHh, Span<float> biasIh, Span<float> biasHh);

    /// <summary>One time step, updating <paramref name="hidden"/> and <paramref name="cell"/> in place.</summary>
    /// <param name="input">x_t.</param>
    /// <param name="hidden">h_{t-1} in, h_t out.</param>
    /// <param name="cell">c_{t-1} in, c_t out.</param>
    void Step(ReadOnlySpan<float> input, Span<float> hidden, Span<float> cell);

    /// <summary>A sequence of time steps.</summary>
    /// <param name="input">Time-major inputs.</param>
    /// <param name="output">h_t for every step.</param>
    /// <param name="hidden">Initial hidden state in, final out.</param>
    /// <param name="cell">Initial cell state in, final out.</param>
    void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> cell);
}
