using System;

namespace LstmGen;

/// <summary>
/// The API every generated <c>[Gru]</c> class implements, for code that handles models of different sizes through
/// one type. Call the class's own members in hot code: they are the same methods without interface dispatch.
/// </summary>
public interface IGru
{
    /// <summary>Input features per time step.</summary>
    int InputSize { get; }

    /// <summary>Hidden units; the length of the hidden state.</summary>
    int HiddenSize { get; }

    /// <summary>The most time steps one <c>Forward</c> or <c>Backward</c> call accepts.</summary>
    int SequenceLength { get; }

    /// <summary>Number of trainable values: <c>3·H·I + 3·H·H + 6·H</c>.</summary>
    int ParameterCount { get; }

    /// <summary>Floats a tape needs for <see cref="SequenceLength"/> steps.</summary>
    int TapeLength { get; }

    /// <summary>Floats the workspace overload of <c>Backward</c> needs.</summary>
    int BackwardWorkspaceLength { get; }

    /// <summary>All trainable values, in the generated layout (see the remarks on the generated type).</summary>
    Span<float> Parameters { get; }

    /// <summary>The accumulated gradients, in the layout of <see cref="Parameters"/>.</summary>
    Span<float> Gradients { get; }

    /// <summary>PyTorch's default initialization, deterministic for a seed.</summary>
    /// <param name="seed">Any value.</param>
    void InitializeParameters(int seed);

    /// <summary>Loads weights in PyTorch <c>nn.GRU</c> layout (gate order r, z, n).</summary>
    /// <param name="weightIh"><c>weight_ih_l0</c> <c>[3H, I]</c>.</param>
    /// <param name="weightHh"><c>weight_hh_l0</c> <c>[3H, H]</c>.</param>
    /// <param name="biasIh"><c>bias_ih_l0</c> <c>[3H]</c>.</param>
    /// <param name="biasHh"><c>bias_hh_l0</c> <c>[3H]</c>.</param>
    void ImportPyTorch(ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh);

    /// <summary>Writes the weights in PyTorch <c>nn.GRU</c> layout; the exact inverse of <see cref="ImportPyTorch"/>.</summary>
    /// <param name="weightIh">Receives <c>weight_ih_l0</c>.</param>
    /// <param name="weightHh">Receives <c>weight_hh_l0</c>.</param>
    /// <param name="biasIh">Receives <c>bias_ih_l0</c>.</param>
    /// <param name="biasHh">Receives <c>bias_hh_l0</c>.</param>
    void ExportPyTorch(Span<float> weightIh, Span<float> weightHh, Span<float> biasIh, Span<float> biasHh);

    /// <summary>One time step in place: <paramref name="hidden"/> holds h_{t-1} and receives h_t.</summary>
    /// <param name="input">x_t: <see cref="InputSize"/> floats.</param>
    /// <param name="hidden">h_{t-1} in, h_t out: <see cref="HiddenSize"/> floats.</param>
    void Step(ReadOnlySpan<float> input, Span<float> hidden);

    /// <summary>Runs a sequence of <c>input.Length / InputSize</c> steps.</summary>
    /// <param name="input">Time-major inputs.</param>
    /// <param name="output">Receives h_t of every step.</param>
    /// <param name="hidden">h_0 in, the final state out.</param>
    void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden);

    /// <summary><c>Forward</c> that also records a tape for <see cref="BackwardFromTape"/>.</summary>
    /// <param name="input">Time-major inputs.</param>
    /// <param name="output">Receives h_t of every step.</param>
    /// <param name="hidden">h_0 in, the final state out.</param>
    /// <param name="tape">Receives the recording: at least <see cref="TapeLength"/> floats.</param>
    void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape);

    /// <summary>Sets every accumulated gradient to zero.</summary>
    void ZeroGradients();

    /// <summary>Writes the accumulated gradients in PyTorch <c>nn.GRU</c> layout.</summary>
    /// <param name="weightIh">Receives ∂L/∂<c>weight_ih_l0</c>.</param>
    /// <param name="weightHh">Receives ∂L/∂<c>weight_hh_l0</c>.</param>
    /// <param name="biasIh">Receives ∂L/∂<c>bias_ih_l0</c>.</param>
    /// <param name="biasHh">Receives ∂L/∂<c>bias_hh_l0</c>.</param>
    void ExportGradientsPyTorch(Span<float> weightIh, Span<float> weightHh, Span<float> biasIh, Span<float> biasHh);

    /// <summary>Backpropagation through time; adds ∂L/∂parameters to <see cref="Gradients"/>.</summary>
    /// <param name="input">The forward pass's input.</param>
    /// <param name="initialHidden">h_0 of the forward pass.</param>
    /// <param name="outputGradient">∂L/∂output.</param>
    /// <param name="finalHiddenGradient">∂L/∂h_N.</param>
    /// <param name="inputGradient">Receives ∂L/∂input.</param>
    /// <param name="initialHiddenGradient">Receives ∂L/∂h_0.</param>
    void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> finalHiddenGradient,
        Span<float> inputGradient, Span<float> initialHiddenGradient);

    /// <summary>Backpropagation through time with a caller-provided workspace.</summary>
    /// <param name="input">The forward pass's input.</param>
    /// <param name="initialHidden">h_0 of the forward pass.</param>
    /// <param name="outputGradient">∂L/∂output.</param>
    /// <param name="finalHiddenGradient">∂L/∂h_N.</param>
    /// <param name="inputGradient">Receives ∂L/∂input.</param>
    /// <param name="initialHiddenGradient">Receives ∂L/∂h_0.</param>
    /// <param name="workspace">At least <see cref="BackwardWorkspaceLength"/> floats of scratch.</param>
    void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> initialHidden, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> finalHiddenGradient,
        Span<float> inputGradient, Span<float> initialHiddenGradient, Span<float> workspace);

    /// <summary>The backward pass from a tape recorded by <c>Forward(input, output, hidden, tape)</c>.</summary>
    /// <param name="input">The recorded input.</param>
    /// <param name="tape">The recording (consumed).</param>
    /// <param name="outputGradient">∂L/∂output.</param>
    /// <param name="finalHiddenGradient">∂L/∂h_N.</param>
    /// <param name="inputGradient">Receives ∂L/∂input.</param>
    /// <param name="initialHiddenGradient">Receives ∂L/∂h_0.</param>
    void BackwardFromTape(
        ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> finalHiddenGradient,
        Span<float> inputGradient, Span<float> initialHiddenGradient);

    /// <summary>Advances B = input.Length / InputSize independent states by one step each (row b is state b).</summary>
    /// <param name="input">[B, InputSize].</param>
    /// <param name="hidden">[B, HiddenSize], in and out.</param>
    void StepBatch(ReadOnlySpan<float> input, Span<float> hidden);

    /// <summary>Runs B = hidden.Length / HiddenSize sequences of the same length at once.</summary>
    /// <param name="input">[B, steps, InputSize].</param>
    /// <param name="output">Receives [B, steps, HiddenSize].</param>
    /// <param name="hidden">[B, HiddenSize]: initial states in, final ones out.</param>
    void ForwardBatch(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden);

    /// <summary>Floats a batch tape needs for <paramref name="sequences"/> sequences of <see cref="SequenceLength"/> steps.</summary>
    /// <param name="sequences">Sequences in the batch, at least 1.</param>
    /// <returns>The length.</returns>
    int BatchTapeLength(int sequences);

    /// <summary><c>ForwardBatch</c> recording a batch tape (at least <see cref="BatchTapeLength"/>(B) floats) for <see cref="BackwardBatchFromTape"/>.</summary>
    /// <param name="input">[B, steps, InputSize].</param>
    /// <param name="output">Receives [B, steps, HiddenSize].</param>
    /// <param name="hidden">[B, HiddenSize]: initial states in, final ones out.</param>
    /// <param name="tape">Receives the recording.</param>
    void ForwardBatch(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape);

    /// <summary>The backward pass of a batch tape: per-sequence input and state gradients, the parameter gradients summed into <c>Gradients</c>.</summary>
    /// <param name="input">The recorded input, [B, steps, InputSize].</param>
    /// <param name="tape">The batch tape (consumed).</param>
    /// <param name="outputGradient">[B, steps, HiddenSize].</param>
    /// <param name="finalHiddenGradient">[B, HiddenSize].</param>
    /// <param name="inputGradient">Receives [B, steps, InputSize].</param>
    /// <param name="initialHiddenGradient">Receives [B, HiddenSize].</param>
    void BackwardBatchFromTape(
        ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> finalHiddenGradient,
        Span<float> inputGradient, Span<float> initialHiddenGradient);
}
