namespace GuitarAmp;

/// <summary>The error measures of the amp-modelling literature.</summary>
public static class Metrics
{
    /// <summary>
    /// The error-to-signal ratio <c>Σ(y − ŷ)² / Σy²</c> (Wright, Damskägg and Välimäki, 2019): 0 is perfect, 1 is as bad
    /// as predicting silence. Accumulated in double.
    /// </summary>
    /// <param name="target">y, the device's output.</param>
    /// <param name="prediction">ŷ, the model's output.</param>
    /// <returns>The ratio; NaN when the target is all zeros.</returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double ErrorToSignalRatio(ReadOnlySpan<float> target, ReadOnlySpan<float> prediction)
    {
        if (prediction.Length != target.Length)
        {
            throw new ArgumentException($"'{nameof(prediction)}' must have as many samples as '{nameof(target)}' ({target.Length}), but it has {prediction.Length}.", nameof(prediction));
        }

        double error = 0, signal = 0;
        for (int n = 0; n < target.Length; n++)
        {
            double d = target[n] - (double)prediction[n];
            error += d * d;
            signal += (double)target[n] * target[n];
        }

        return signal == 0 ? double.NaN : error / signal;
    }
}
