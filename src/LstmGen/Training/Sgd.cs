using System;

namespace LstmGen.Training;

/// <summary>
/// Stochastic gradient descent with optional momentum and weight decay, with PyTorch's <c>torch.optim.SGD</c> update
/// rule (dampening 0, no Nesterov): <c>d = g + λ·p</c>; with momentum <c>b = μ·b + d</c> (<c>b = d</c> on the first
/// step) and <c>d = b</c>; then <c>p −= lr·d</c>. The momentum buffer is allocated once, in the constructor.
/// </summary>
public sealed class Sgd
{
    private readonly float[]? _momentumBuffer;
    private bool _started;

    /// <summary>Creates the optimizer for a parameter buffer of <paramref name="parameterCount"/> values.</summary>
    /// <param name="parameterCount">Length of the parameter and gradient spans passed to <see cref="Step"/>.</param>
    /// <param name="learningRate">Step size; positive.</param>
    /// <param name="momentum">Momentum μ in [0, 1); 0 disables it (and its buffer).</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient as <c>λ·p</c>; at least 0.</param>
    /// <exception cref="ArgumentException">An argument is out of range (the message names it).</exception>
    public Sgd(int parameterCount, float learningRate, float momentum = 0f, float weightDecay = 0f)
    {
        if (parameterCount < 1)
        {
            throw new ArgumentException($"'{nameof(parameterCount)}' must be at least 1, but it is {parameterCount}.", nameof(parameterCount));
        }

        Check.Positive(nameof(learningRate), learningRate);
        Check.InRange(nameof(momentum), momentum, 0f, 1f);
        Check.NonNegative(nameof(weightDecay), weightDecay);
        ParameterCount = parameterCount;
        LearningRate = learningRate;
        Momentum = momentum;
        WeightDecay = weightDecay;
        _momentumBuffer = momentum > 0 ? new float[parameterCount] : null;
    }

    /// <summary>Length of the spans <see cref="Step"/> accepts.</summary>
    public int ParameterCount { get; }

    /// <summary>The step size; may be changed between steps (e.g. by a schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>Momentum μ.</summary>
    public float Momentum { get; }

    /// <summary>Weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/>. Allocation-free.</summary>
    /// <param name="parameters">The parameters, updated in place; <see cref="ParameterCount"/> values.</param>
    /// <param name="gradients">Their gradients; <see cref="ParameterCount"/> values.</param>
    /// <exception cref="ArgumentException">A span does not have <see cref="ParameterCount"/> values.</exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Kernels.LstmThrow.IfLengthIsNot(nameof(parameters), parameters.Length, ParameterCount, "ParameterCount");
        Kernels.LstmThrow.IfLengthIsNot(nameof(gradients), gradients.Length, ParameterCount, "ParameterCount");
        float lr = LearningRate, decay = WeightDecay, momentum = Momentum;
        if (!(lr > 0) || float.IsInfinity(lr))
        {
            throw new InvalidOperationException($"The learning rate must be positive and finite, but it is {lr}.");
        }

        float[]? buffer = _momentumBuffer;
        for (int i = 0; i < parameters.Length; i++)
        {
            float d = gradients[i] + decay * parameters[i];
            if (buffer is not null)
            {
                d = buffer[i] = _started ? momentum * buffer[i] + d : d;
            }

            parameters[i] -= lr * d;
        }

        _started = true;
    }
}
