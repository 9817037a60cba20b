using System;

namespace LstmGen;

/// <summary>
/// Generates a fixed-size, SIMD-specialized one-layer GRU (PyTorch <c>nn.GRU</c> semantics, gate order r, z, n) into
/// the partial class it is placed on: <c>Step</c>, <c>Forward</c>, <c>Backward</c>, PyTorch weight import/export.
/// </summary>
/// <example>
/// <code>
/// [Gru(inputSize: 16, hiddenSize: 64, sequenceLength: 32)]
/// public partial class Encoder { }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GruAttribute : Attribute
{
    /// <summary>Declares the GRU's sizes.</summary>
    /// <param name="inputSize">Input features per time step (PyTorch <c>input_size</c>), at least 1.</param>
    /// <param name="hiddenSize">Hidden units (PyTorch <c>hidden_size</c>), at least 1.</param>
    /// <param name="sequenceLength">The most time steps one <c>Forward</c> or <c>Backward</c> call handles, at least 1.</param>
    public GruAttribute(int inputSize, int hiddenSize, int sequenceLength)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        SequenceLength = sequenceLength;
    }

    /// <summary>Input features per time step.</summary>
    public int InputSize { get; }

    /// <summary>Hidden units.</summary>
    public int HiddenSize { get; }

    /// <summary>The most time steps per call.</summary>
    public int SequenceLength { get; }
}
