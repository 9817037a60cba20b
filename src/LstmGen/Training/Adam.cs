using System;

namespace LstmGen.Training;

/// <summary>
/// Adam (Kingma and Ba, 2015) with PyTorch's <c>torch.optim.Adam</c> defaults and update rule (no AMSGrad):
/// <c>g += λ·p</c>; <c>m = β₁m + (1 − β₁)g</c>; <c>v = β₂v + (1 − β₂)g²</c>;
/// <c>p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)</c>. The moment buffers are allocated in the constructor;
/// <see cref="Step"/> allocates nothing.
/// </summary>
public sealed class Adam
{
    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;

    /// <summary>Creates the optimizer for a parameter buffer of <paramref name="parameterCount"/> values.</summary>
    /// <param name="parameterCount">Length of the parameter and gradient spans passed to <see cref="Step"/>.</param>
    /// <param name="learningRate">Step size; positive (PyTorch default 1e-3).</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to the denominator; positive.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient; at least 0.</param>
    /// <exception cref="ArgumentException">An argument is out of range (the message names it).</exception>
    public Adam(int parameterCount, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
    {
        if (parameterCount < 1)
        {
            throw new ArgumentException($"'{nameof(parameterCount)}' must be at least 1, but it is {parameterCount}.", nameof(parameterCount));
        }

        Check.Positive(nameof(learningRate), learningRate);
        Check.InRange(nameof(beta1), beta1, 0f, 1f);
        Check.InRange(nameof(beta2), beta2, 0f, 1f);
        Check.Positive(nameof(epsilon), epsilon);
        Check.NonNegative(nameof(weightDecay), weightDecay);
        ParameterCount = parameterCount;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _firstMoment = new float[parameterCount];
        _secondMoment = new float[parameterCount];
    }

    /// <summary>Length of the spans <see cref="Step"/> accepts.</summary>
    public int ParameterCount { get; }

    /// <summary>The step size; may be changed between steps (e.g. by a schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>Weight decay λ.</summary>
    public float WeightDecay { get; }

    /// <summary>Number of steps taken so far (t in the bias corrections).</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to <paramref name="parameters"/> from <paramref name="gradients"/>. Allocation-free.</summary>
    /// <param name="parameters">The parameters, updated in place; <see cref="ParameterCount"/> values.</param>
    /// <param name="gradients">Their gradients; <see cref="ParameterCount"/> values.</param>
    /// <exception cref="ArgumentException">A span does not have <see cref="ParameterCount"/> values.</exception>
    public void Step(Span<float> parameters, ReadOnlySpan<float> gradients)
    {
        Kernels.LstmThrow.IfLengthIsNot(nameof(parameters), parameters.Length, ParameterCount, "ParameterCount");
        Kernels.LstmThrow.IfLengthIsNot(nameof(gradients), gradients.Length, ParameterCount, "ParameterCount");
        float lr = LearningRate;
        if (!(lr > 0) || float.IsInfinity(lr))
        {
            throw new InvalidOperationException($"The learning rate must be positive and finite, but it is {lr}.");
        }

        StepCount++;
        // Bias corrections in double, as PyTorch computes them in Python floats.
        double biasCorrection1 = 1 - Math.Pow(Beta1, StepCount);
        double biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        float stepSize = (float)(lr / biasCorrection1);
        float inverseCorrection2Sqrt = (float)(1 / biasCorrection2Sqrt);
        float beta1 = Beta1, beta2 = Beta2, epsilon = Epsilon, decay = WeightDecay;
        float[] m = _firstMoment, v = _secondMoment;
        for (int i = 0; i < parameters.Length; i++)
        {
            float g = gradients[i] + decay * parameters[i];
            float mi = m[i] = beta1 * m[i] + (1 - beta1) * g;
            float vi = v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            float denominator = MathF.Sqrt(vi) * inverseCorrection2Sqrt + epsilon;
            parameters[i] -= stepSize * mi / denominator;
        }
    }
}
