using System;

namespace LstmGen.Training;

/// <summary>Loss functions that return the loss and write its gradient, allocation-free.</summary>
public static class Losses
{
    /// <summary>
    /// Mean squared error <c>L = (1/n) Σ (pᵢ − tᵢ)²</c> (PyTorch <c>MSELoss(reduction='mean')</c>), and its gradient
    /// <c>∂L/∂pᵢ = 2 (pᵢ − tᵢ) / n</c>.
    /// </summary>
    /// <param name="prediction">The model's outputs.</param>
    /// <param name="target">The desired outputs; same length.</param>
    /// <param name="gradient">Receives ∂L/∂prediction; same length.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static float MeanSquaredError(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient)
    {
        if (prediction.Length == 0)
        {
            throw new ArgumentException("'prediction' must not be empty.", nameof(prediction));
        }

        Check.SameLength(nameof(target), target.Length, nameof(prediction), prediction.Length);
        Check.SameLength(nameof(gradient), gradient.Length, nameof(prediction), prediction.Length);
        double sum = 0;
        float scale = 2f / prediction.Length;
        for (int i = 0; i < prediction.Length; i++)
        {
            float difference = prediction[i] - target[i];
            sum += (double)difference * difference;
            gradient[i] = scale * difference;
        }

        return (float)(sum / prediction.Length);
    }
}
