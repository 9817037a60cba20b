using System;
using LstmGen.Kernels;

namespace LstmGen.Training;

/// <summary>
/// A dense layer <c>y = W·x + b</c> in PyTorch <c>nn.Linear</c> layout (<c>W</c> is <c>[out, in]</c>, row-major), for
/// readout heads on top of a generated LSTM. Parameters are <c>W</c> then <c>b</c> in one span; <see cref="Backward"/>
/// accumulates into <see cref="Gradients"/>, like the LSTM's. Allocation-free after construction.
/// </summary>
public sealed class Linear
{
    private readonly float[] _parameters;
    private readonly float[] _gradients;

    /// <summary>Creates a layer with zero weights; call <see cref="InitializeParameters"/> or <see cref="ImportPyTorch"/>.</summary>
    /// <param name="inputSize">Features in.</param>
    /// <param name="outputSize">Features out.</param>
    /// <exception cref="ArgumentException">A size is less than 1 or the layer is too large for one array.</exception>
    public Linear(int inputSize, int outputSize)
    {
        if (inputSize < 1)
        {
            throw new ArgumentException($"'{nameof(inputSize)}' must be at least 1, but it is {inputSize}.", nameof(inputSize));
        }

        if (outputSize < 1)
        {
            throw new ArgumentException($"'{nameof(outputSize)}' must be at least 1, but it is {outputSize}.", nameof(outputSize));
        }

        long count = (long)inputSize * outputSize + outputSize;
        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"A {outputSize}×{inputSize} layer has {count} parameters, more than one array holds.", nameof(outputSize));
        }

        InputSize = inputSize;
        OutputSize = outputSize;
        _parameters = new float[count];
        _gradients = new float[count];
    }

    /// <summary>Features in.</summary>
    public int InputSize { get; }

    /// <summary>Features out.</summary>
    public int OutputSize { get; }

    /// <summary><c>OutputSize·InputSize + OutputSize</c>.</summary>
    public int ParameterCount => _parameters.Length;

    /// <summary>The weights (<c>[out, in]</c>, row-major) followed by the bias.</summary>
    public Span<float> Parameters => _parameters;

    /// <summary>Accumulated gradients, in the order of <see cref="Parameters"/>.</summary>
    public Span<float> Gradients => _gradients;

    /// <summary>PyTorch's default <c>nn.Linear</c> initialization: weights and bias uniform in ±1/√InputSize, seeded.</summary>
    /// <param name="seed">Any value; the same seed gives the same parameters.</param>
    public void InitializeParameters(int seed) => ParameterInitializer.UniformPyTorch(_parameters, InputSize, seed);

    /// <summary>Loads PyTorch's <c>weight</c> (<c>[out, in]</c>) and <c>bias</c> (<c>[out]</c>).</summary>
    /// <param name="weight">OutputSize·InputSize floats, row-major.</param>
    /// <param name="bias">OutputSize floats.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void ImportPyTorch(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        LstmThrow.IfLengthIsNot(nameof(weight), weight.Length, OutputSize * InputSize, "OutputSize · InputSize");
        LstmThrow.IfLengthIsNot(nameof(bias), bias.Length, OutputSize, "OutputSize");
        weight.CopyTo(_parameters);
        bias.CopyTo(_parameters.AsSpan(OutputSize * InputSize));
    }

    /// <summary>Writes <c>weight</c> and <c>bias</c> in PyTorch layout.</summary>
    /// <param name="weight">Receives OutputSize·InputSize floats.</param>
    /// <param name="bias">Receives OutputSize floats.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void ExportPyTorch(Span<float> weight, Span<float> bias)
    {
        LstmThrow.IfLengthIsNot(nameof(weight), weight.Length, OutputSize * InputSize, "OutputSize · InputSize");
        LstmThrow.IfLengthIsNot(nameof(bias), bias.Length, OutputSize, "OutputSize");
        _parameters.AsSpan(0, OutputSize * InputSize).CopyTo(weight);
        _parameters.AsSpan(OutputSize * InputSize).CopyTo(bias);
    }

    /// <summary>Sets the accumulated gradients to zero.</summary>
    public void ZeroGradients() => Array.Clear(_gradients);

    /// <summary>Computes <c>output = W·input + b</c>.</summary>
    /// <param name="input">InputSize floats.</param>
    /// <param name="output">Receives OutputSize floats.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        LstmThrow.IfLengthIsNot(nameof(input), input.Length, InputSize, "InputSize");
        LstmThrow.IfLengthIsNot(nameof(output), output.Length, OutputSize, "OutputSize");
        ReadOnlySpan<float> bias = _parameters.AsSpan(OutputSize * InputSize);
        for (int o = 0; o < OutputSize; o++)
        {
            output[o] = Dot(_parameters.AsSpan(o * InputSize, InputSize), input) + bias[o];
        }
    }

    /// <summary>
    /// Given ∂L/∂output for the <paramref name="input"/> of a forward call, writes ∂L/∂input and adds
    /// ∂L/∂W = (∂L/∂output)·inputᵀ and ∂L/∂b = ∂L/∂output to <see cref="Gradients"/>.
    /// </summary>
    /// <param name="input">The input the forward call saw: InputSize floats.</param>
    /// <param name="outputGradient">∂L/∂output: OutputSize floats.</param>
    /// <param name="inputGradient">Receives ∂L/∂input: InputSize floats.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient)
    {
        LstmThrow.IfLengthIsNot(nameof(input), input.Length, InputSize, "InputSize");
        LstmThrow.IfLengthIsNot(nameof(outputGradient), outputGradient.Length, OutputSize, "OutputSize");
        LstmThrow.IfLengthIsNot(nameof(inputGradient), inputGradient.Length, InputSize, "InputSize");
        inputGradient.Clear();
        Span<float> biasGradient = _gradients.AsSpan(OutputSize * InputSize);
        for (int o = 0; o < OutputSize; o++)
        {
            float g = outputGradient[o];
            ReadOnlySpan<float> row = _parameters.AsSpan(o * InputSize, InputSize);
            Span<float> rowGradient = _gradients.AsSpan(o * InputSize, InputSize);
            for (int i = 0; i < InputSize; i++)
            {
                inputGradient[i] += g * row[i];
                rowGradient[i] += g * input[i];
            }

            biasGradient[o] += g;
        }
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
