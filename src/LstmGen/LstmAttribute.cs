using System;

namespace LstmGen;

/// <summary>
/// Marks a <see langword="partial"/> class as a fixed-size LSTM layer. At compile time the LstmGen
/// source generator adds constant sizes, parameter storage, PyTorch weight import and export, a streaming
/// <c>Step</c>, a sequence <c>Forward</c> and a <c>Backward</c> (BPTT), all specialized for these sizes.
/// </summary>
/// <remarks>
/// The cell follows PyTorch <c>nn.LSTM</c> (one layer, unidirectional, gate order i, f, g, o):
/// <c>i = σ(W_ii x + b_ii + W_hi h + b_hi)</c>, <c>f = σ(…)</c>, <c>g = tanh(…)</c>, <c>o = σ(…)</c>,
/// <c>c' = f ⊙ c + i ⊙ g</c>, <c>h' = o ⊙ tanh(c')</c>.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LstmAttribute : Attribute
{
    /// <summary>Declares the sizes of the generated LSTM.</summary>
    /// <param name="inputSize">Number of input features per time step (PyTorch <c>input_size</c>).</param>
    /// <param name="hiddenSize">Number of hidden units (PyTorch <c>hidden_size</c>).</param>
    /// <param name="sequenceLength">The longest sequence <c>Forward</c> and <c>Backward</c> accept; it sizes their stack buffers.</param>
    public LstmAttribute(int inputSize, int hiddenSize, int sequenceLength)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        SequenceLength = sequenceLength;
    }

    /// <summary>Number of input features per time step.</summary>
    public int InputSize { get; }

    /// <summary>Number of hidden units.</summary>
    public int HiddenSize { get; }

    /// <summary>The longest sequence the generated <c>Forward</c> and <c>Backward</c> accept.</summary>
    public int SequenceLength { get; }
}
