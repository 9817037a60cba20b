using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace LstmGen.Training;

/// <summary>
/// Gradient clipping, the standard remedy for exploding gradients in recurrent networks (Pascanu et al., 2013).
/// Same semantics as PyTorch's <c>clip_grad_norm_</c> and <c>clip_grad_value_</c>. Allocation-free.
/// </summary>
public static class GradientClipping
{
    // PyTorch's clip_grad_norm_ divides by (norm + 1e-6), so a norm just at the limit is not scaled by exactly 1.
    private const double NormEpsilon = 1e-6;

    /// <summary>
    /// Scales <paramref name="gradients"/> so their L2 norm is at most <paramref name="maxNorm"/>:
    /// when the norm exceeds it, every value is multiplied by <c>maxNorm / (norm + 1e-6)</c>.
    /// </summary>
    /// <param name="gradients">The gradients, changed in place.</param>
    /// <param name="maxNorm">The largest norm allowed; positive and finite.</param>
    /// <returns>The norm before clipping (useful to log: a sudden spike signals an exploding gradient).</returns>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is not positive and finite (NaN included).</exception>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        Check.Positive(nameof(maxNorm), maxNorm);
        double norm = Math.Sqrt(SquaredNorm(gradients));
        ScaleIfAbove(gradients, norm, maxNorm);
        return (float)norm;
    }

    /// <summary>Clips two gradient spans (e.g. an LSTM and its readout layer) by their joint L2 norm.</summary>
    /// <param name="first">The first gradients, changed in place.</param>
    /// <param name="second">The second gradients, changed in place.</param>
    /// <param name="maxNorm">The largest joint norm allowed; positive and finite.</param>
    /// <returns>The joint norm before clipping.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public static float ClipByGlobalNorm(Span<float> first, Span<float> second, float maxNorm)
    {
        Check.Positive(nameof(maxNorm), maxNorm);
        double norm = Math.Sqrt(SquaredNorm(first) + SquaredNorm(second));
        ScaleIfAbove(first, norm, maxNorm);
        ScaleIfAbove(second, norm, maxNorm);
        return (float)norm;
    }

    /// <summary>Clips three gradient spans by their joint L2 norm.</summary>
    /// <param name="first">The first gradients, changed in place.</param>
    /// <param name="second">The second gradients, changed in place.</param>
    /// <param name="third">The third gradients, changed in place.</param>
    /// <param name="maxNorm">The largest joint norm allowed; positive and finite.</param>
    /// <returns>The joint norm before clipping.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public static float ClipByGlobalNorm(Span<float> first, Span<float> second, Span<float> third, float maxNorm)
    {
        Check.Positive(nameof(maxNorm), maxNorm);
        double norm = Math.Sqrt(SquaredNorm(first) + SquaredNorm(second) + SquaredNorm(third));
        ScaleIfAbove(first, norm, maxNorm);
        ScaleIfAbove(second, norm, maxNorm);
        ScaleIfAbove(third, norm, maxNorm);
        return (float)norm;
    }

    /// <summary>
    /// Clips any number of gradient buffers by their joint L2 norm (for models with more than three parameter groups).
    /// </summary>
    /// <param name="gradients">The gradient buffers, changed in place.</param>
    /// <param name="maxNorm">The largest joint norm allowed; positive and finite.</param>
    /// <returns>The joint norm before clipping.</returns>
    /// <exception cref="ArgumentException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public static float ClipByGlobalNorm(ReadOnlySpan<Memory<float>> gradients, float maxNorm)
    {
        Check.Positive(nameof(maxNorm), maxNorm);
        double squared = 0;
        foreach (Memory<float> buffer in gradients)
        {
            squared += SquaredNorm(buffer.Span);
        }

        double norm = Math.Sqrt(squared);
        foreach (Memory<float> buffer in gradients)
        {
            ScaleIfAbove(buffer.Span, norm, maxNorm);
        }

        return (float)norm;
    }

    /// <summary>Clamps every gradient to <c>[−clipValue, clipValue]</c>; NaN values stay NaN.</summary>
    /// <param name="gradients">The gradients, changed in place.</param>
    /// <param name="clipValue">The largest magnitude allowed; finite and at least 0.</param>
    /// <exception cref="ArgumentException"><paramref name="clipValue"/> is negative, infinite or NaN.</exception>
    public static void ClipByValue(Span<float> gradients, float clipValue)
    {
        Check.NonNegative(nameof(clipValue), clipValue);
        for (int i = 0; i < gradients.Length; i++)
        {
            float g = gradients[i];
            if (g > clipValue)
            {
                gradients[i] = clipValue;
            }
            else if (g < -clipValue)
            {
                gradients[i] = -clipValue;
            }
        }
    }

    /// <summary>The sum of squares, accumulated in double precision (a float sum loses digits over millions of values).</summary>
    /// <param name="values">The values.</param>
    /// <returns>Σ v².</returns>
    public static double SquaredNorm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            ReadOnlySpan<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            // Partial sums of 64 vectors in float, folded into the double total, bound the rounding error.
            for (int start = 0; start < vectors.Length; start += 64)
            {
                Vector<float> partial = Vector<float>.Zero;
                int end = Math.Min(vectors.Length, start + 64);
                for (int v = start; v < end; v++)
                {
                    partial += vectors[v] * vectors[v];
                }

                sum += Vector.Sum(partial);
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            sum += (double)values[i] * values[i];
        }

        return sum;
    }

    private static void ScaleIfAbove(Span<float> gradients, double norm, float maxNorm)
    {
        double coefficient = maxNorm / (norm + NormEpsilon);
        if (coefficient >= 1)
        {
            return;
        }

        float scale = (float)coefficient;
        for (int i = 0; i < gradients.Length; i++)
        {
            gradients[i] *= scale;
        }
    }
}
