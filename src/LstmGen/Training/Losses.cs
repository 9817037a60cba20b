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

    /// <summary>
    /// The error-to-signal ratio of the amp-modelling literature (Wright, Damskägg and Välimäki, 2019), with the optional
    /// pre-emphasis filter <c>1 − a·z⁻¹</c> of Wright and Välimäki (2020), as CoreAudioML's <c>PreEmph</c> and
    /// <c>ESRLoss</c> compute it: per sequence, with <c>e = prediction − target</c> and the filter's input zero before
    /// the sequence, <c>E_t = e_t − a·e_{t−1}</c> and <c>Y_t = target_t − a·target_{t−1}</c>; then
    /// <c>L = mean(E²) / (mean(Y²) + ε)</c> over all n samples, and its gradient
    /// <c>∂L/∂prediction_t = 2·(E_t − a·E_{t+1}) / (n·(mean(Y²) + ε))</c> (E_{t+1} = 0 at a sequence's end).
    /// </summary>
    /// <param name="prediction">The model's outputs: <paramref name="sequences"/> sequences of equal length, back to back.</param>
    /// <param name="target">The desired outputs; same length.</param>
    /// <param name="gradient">Receives ∂L/∂prediction; same length.</param>
    /// <param name="sequences">How many sequences the spans hold: the filter does not cross from one to the next.</param>
    /// <param name="preEmphasis">The filter's a, in [0, 1): 0 for the plain ratio, 0.85 or 0.95 in the literature.</param>
    /// <param name="epsilon">Added to the mean signal power so that a silent target does not divide by zero (CoreAudioML: 1e-5).</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero, do not split into <paramref name="sequences"/>
    /// equal sequences, or an option is out of range.</exception>
    public static float ErrorToSignalRatio(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, Span<float> gradient, int sequences = 1, float preEmphasis = 0f, float epsilon = 1e-5f)
    {
        Check.SameLength(nameof(target), target.Length, nameof(prediction), prediction.Length);
        Check.SameLength(nameof(gradient), gradient.Length, nameof(prediction), prediction.Length);
        Check.InRange(nameof(preEmphasis), preEmphasis, 0f, 1f);
        Check.NonNegative(nameof(epsilon), epsilon);
        if (sequences < 1)
        {
            throw new ArgumentException($"'{nameof(sequences)}' must be at least 1, but it is {sequences}.", nameof(sequences));
        }

        int length = prediction.Length / sequences;
        if (length == 0 || length * sequences != prediction.Length)
        {
            throw new ArgumentException(
                $"'{nameof(prediction)}' must hold {sequences} sequence(s) of equal length, at least 1 sample each, but its length is {prediction.Length}.", nameof(prediction));
        }

        // E_t and Y_t in double; the gradient is written in a second pass, once the denominator is known.
        double errorPower = 0, signalPower = 0;
        for (int s = 0; s < sequences; s++)
        {
            int start = s * length;
            for (int t = start; t < start + length; t++)
            {
                double e = Emphasized(prediction, target, t, start, preEmphasis);
                double y = target[t] - (t > start ? preEmphasis * (double)target[t - 1] : 0);
                errorPower += e * e;
                signalPower += y * y;
            }
        }

        int terms = prediction.Length;
        double denominator = signalPower / terms + epsilon;
        double scale = 2 / (terms * denominator);
        for (int s = 0; s < sequences; s++)
        {
            int start = s * length;
            for (int t = start; t < start + length; t++)
            {
                double here = Emphasized(prediction, target, t, start, preEmphasis);
                double next = t + 1 < start + length ? Emphasized(prediction, target, t + 1, start, preEmphasis) : 0;
                gradient[t] = (float)(scale * (here - preEmphasis * next));
            }
        }

        return (float)(errorPower / terms / denominator);
    }

    // E_t = e_t − a·e_{t−1} within the sequence that starts at `start`, e = prediction − target.
    private static double Emphasized(ReadOnlySpan<float> prediction, ReadOnlySpan<float> target, int t, int start, float a)
    {
        double e = (double)prediction[t] - target[t];
        return t > start ? e - a * ((double)prediction[t - 1] - target[t - 1]) : e;
    }
}
