using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Kernels;

/// <summary>
/// Vectorized <c>tanh</c> and logistic sigmoid used by the generated LSTM kernels, for 512-, 256- and
/// 128-bit vectors and scalars. All widths compute the same formula, so every SIMD path agrees.
/// </summary>
/// <remarks>
/// <para>
/// <c>tanh</c> is a [13/6] odd rational approximation (the single-precision coefficients popularised by
/// Eigen and used by ONNX Runtime's MLAS) on an interval of about ±8, beyond which the input is clamped: the
/// clamp sits where the approximation evaluates to exactly ±1, which depends on whether multiply-add is
/// fused (<see cref="TanhClampFused"/>) or not (<see cref="TanhClampUnfused"/>). The maximum absolute error
/// against a double-precision reference is below 5e-7 and the relative error near zero below 5e-7 (both
/// measured by the test suite over every SIMD path); the result never leaves <c>[−1, 1]</c>.
/// </para>
/// <para>
/// The sigmoid is computed as <c>σ(z) = ½ + ½·tanh(z/2)</c>, an identity, so one approximation serves all
/// four gates and σ stays inside <c>[0, 1]</c>.
/// </para>
/// <para>
/// Special values: NaN propagates (the clamp is written so a NaN input passes through the min/max
/// instructions unchanged), ±∞ gives ±1 for <c>tanh</c> and 1/0 for σ, <c>−0</c> gives <c>−0</c> for <c>tanh</c>.
/// </para>
/// </remarks>
public static class Activation
{
    /// <summary>
    /// Where the input is clamped when the polynomials are evaluated with fused multiply-add: the rational
    /// function reaches exactly ±1 there (Eigen's choice for FMA builds), so saturated inputs give exactly ±1.
    /// </summary>
    public const float TanhClampFused = 7.99881172180175781f;

    /// <summary>
    /// Where the input is clamped when multiply and add round separately (the scalar code, and vectors without
    /// FMA hardware on .NET 8): the point at which that evaluation reaches exactly ±1.
    /// </summary>
    public const float TanhClampUnfused = 7.90531110763549805f;

    // Numerator p(x) = x·(α1 + α3·x² + … + α13·x¹²), denominator q(x) = β0 + β2·x² + β4·x⁴ + β6·x⁶.
    private const float Alpha1 = 4.89352455891786e-03f;
    private const float Alpha3 = 6.37261928875436e-04f;
    private const float Alpha5 = 1.48572235717979e-05f;
    private const float Alpha7 = 5.12229709037114e-08f;
    private const float Alpha9 = -8.60467152213735e-11f;
    private const float Alpha11 = 2.00018790482477e-13f;
    private const float Alpha13 = -2.76076847742355e-16f;
    private const float Beta0 = 4.89352518554385e-03f;
    private const float Beta2 = 2.26843463243900e-03f;
    private const float Beta4 = 1.18534705686654e-04f;
    private const float Beta6 = 1.19825839466702e-06f;

    /// <summary>Hyperbolic tangent of each lane.</summary>
    /// <param name="x">The input lanes.</param>
    /// <returns><c>tanh(x)</c> per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tanh(Vector512<float> x)
    {
        // Written out with intrinsics only (no helper calls), so inlining it costs the JIT a single inline.
        bool fused =
#if NET9_0_OR_GREATER
            Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
#else
            Avx512F.IsSupported;
#endif
        Vector512<float> high = Vector512.Create(fused ? TanhClampFused : TanhClampUnfused);
        Vector512<float> low = -high;
        // min/max with the bound as the first operand: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out; the portable fallback behaves the same in this operand order.
        x = Avx512F.IsSupported ? Avx512F.Max(low, Avx512F.Min(high, x)) : Vector512.Max(low, Vector512.Min(high, x));
        Vector512<float> x2 = x * x;
        Vector512<float> p, q;
        if (fused)
        {
#if NET9_0_OR_GREATER
            p = Vector512.FusedMultiplyAdd(x2, Vector512.Create(Alpha13), Vector512.Create(Alpha11));
            p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha9));
            p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha7));
            p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha5));
            p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha3));
            p = Vector512.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha1));
            q = Vector512.FusedMultiplyAdd(x2, Vector512.Create(Beta6), Vector512.Create(Beta4));
            q = Vector512.FusedMultiplyAdd(q, x2, Vector512.Create(Beta2));
            q = Vector512.FusedMultiplyAdd(q, x2, Vector512.Create(Beta0));
#else
            p = Avx512F.FusedMultiplyAdd(x2, Vector512.Create(Alpha13), Vector512.Create(Alpha11));
            p = Avx512F.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha9));
            p = Avx512F.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha7));
            p = Avx512F.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha5));
            p = Avx512F.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha3));
            p = Avx512F.FusedMultiplyAdd(p, x2, Vector512.Create(Alpha1));
            q = Avx512F.FusedMultiplyAdd(x2, Vector512.Create(Beta6), Vector512.Create(Beta4));
            q = Avx512F.FusedMultiplyAdd(q, x2, Vector512.Create(Beta2));
            q = Avx512F.FusedMultiplyAdd(q, x2, Vector512.Create(Beta0));
#endif
        }
        else
        {
            p = x2 * Vector512.Create(Alpha13) + Vector512.Create(Alpha11);
            p = p * x2 + Vector512.Create(Alpha9);
            p = p * x2 + Vector512.Create(Alpha7);
            p = p * x2 + Vector512.Create(Alpha5);
            p = p * x2 + Vector512.Create(Alpha3);
            p = p * x2 + Vector512.Create(Alpha1);
            q = x2 * Vector512.Create(Beta6) + Vector512.Create(Beta4);
            q = q * x2 + Vector512.Create(Beta2);
            q = q * x2 + Vector512.Create(Beta0);
        }

        return p * x / q;
    }

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        // Written out with intrinsics only (no helper calls), so inlining it costs the JIT a single inline.
        bool fused =
#if NET9_0_OR_GREATER
            Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
#else
            Fma.IsSupported;
#endif
        Vector256<float> high = Vector256.Create(fused ? TanhClampFused : TanhClampUnfused);
        Vector256<float> low = -high;
        // min/max with the bound as the first operand: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out; the portable fallback behaves the same in this operand order.
        x = Avx.IsSupported ? Avx.Max(low, Avx.Min(high, x)) : Vector256.Max(low, Vector256.Min(high, x));
        Vector256<float> x2 = x * x;
        Vector256<float> p, q;
        if (fused)
        {
#if NET9_0_OR_GREATER
            p = Vector256.FusedMultiplyAdd(x2, Vector256.Create(Alpha13), Vector256.Create(Alpha11));
            p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(Alpha9));
            p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(Alpha7));
            p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(Alpha5));
            p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(Alpha3));
            p = Vector256.FusedMultiplyAdd(p, x2, Vector256.Create(Alpha1));
            q = Vector256.FusedMultiplyAdd(x2, Vector256.Create(Beta6), Vector256.Create(Beta4));
            q = Vector256.FusedMultiplyAdd(q, x2, Vector256.Create(Beta2));
            q = Vector256.FusedMultiplyAdd(q, x2, Vector256.Create(Beta0));
#else
            p = Fma.MultiplyAdd(x2, Vector256.Create(Alpha13), Vector256.Create(Alpha11));
            p = Fma.MultiplyAdd(p, x2, Vector256.Create(Alpha9));
            p = Fma.MultiplyAdd(p, x2, Vector256.Create(Alpha7));
            p = Fma.MultiplyAdd(p, x2, Vector256.Create(Alpha5));
            p = Fma.MultiplyAdd(p, x2, Vector256.Create(Alpha3));
            p = Fma.MultiplyAdd(p, x2, Vector256.Create(Alpha1));
            q = Fma.MultiplyAdd(x2, Vector256.Create(Beta6), Vector256.Create(Beta4));
            q = Fma.MultiplyAdd(q, x2, Vector256.Create(Beta2));
            q = Fma.MultiplyAdd(q, x2, Vector256.Create(Beta0));
#endif
        }
        else
        {
            p = x2 * Vector256.Create(Alpha13) + Vector256.Create(Alpha11);
            p = p * x2 + Vector256.Create(Alpha9);
            p = p * x2 + Vector256.Create(Alpha7);
            p = p * x2 + Vector256.Create(Alpha5);
            p = p * x2 + Vector256.Create(Alpha3);
            p = p * x2 + Vector256.Create(Alpha1);
            q = x2 * Vector256.Create(Beta6) + Vector256.Create(Beta4);
            q = q * x2 + Vector256.Create(Beta2);
            q = q * x2 + Vector256.Create(Beta0);
        }

        return p * x / q;
    }

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        // Written out with intrinsics only (no helper calls), so inlining it costs the JIT a single inline.
        bool fused =
#if NET9_0_OR_GREATER
            Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
#else
            Fma.IsSupported;
#endif
        Vector128<float> high = Vector128.Create(fused ? TanhClampFused : TanhClampUnfused);
        Vector128<float> low = -high;
        // min/max with the bound as the first operand: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out; the portable fallback behaves the same in this operand order.
        x = Sse.IsSupported ? Sse.Max(low, Sse.Min(high, x)) : Vector128.Max(low, Vector128.Min(high, x));
        Vector128<float> x2 = x * x;
        Vector128<float> p, q;
        if (fused)
        {
#if NET9_0_OR_GREATER
            p = Vector128.FusedMultiplyAdd(x2, Vector128.Create(Alpha13), Vector128.Create(Alpha11));
            p = Vector128.FusedMultiplyAdd(p, x2, Vector128.Create(Alpha9));
            p = Vector128.FusedMultiplyAdd(p, x2, Vector128.Create(Alpha7));
            p = Vector128.FusedMultiplyAdd(p, x2, Vector128.Create(Alpha5));
            p = Vector128.FusedMultiplyAdd(p, x2, Vector128.Create(Alpha3));
            p = Vector128.FusedMultiplyAdd(p, x2, Vector128.Create(Alpha1));
            q = Vector128.FusedMultiplyAdd(x2, Vector128.Create(Beta6), Vector128.Create(Beta4));
            q = Vector128.FusedMultiplyAdd(q, x2, Vector128.Create(Beta2));
            q = Vector128.FusedMultiplyAdd(q, x2, Vector128.Create(Beta0));
#else
            p = Fma.MultiplyAdd(x2, Vector128.Create(Alpha13), Vector128.Create(Alpha11));
            p = Fma.MultiplyAdd(p, x2, Vector128.Create(Alpha9));
            p = Fma.MultiplyAdd(p, x2, Vector128.Create(Alpha7));
            p = Fma.MultiplyAdd(p, x2, Vector128.Create(Alpha5));
            p = Fma.MultiplyAdd(p, x2, Vector128.Create(Alpha3));
            p = Fma.MultiplyAdd(p, x2, Vector128.Create(Alpha1));
            q = Fma.MultiplyAdd(x2, Vector128.Create(Beta6), Vector128.Create(Beta4));
            q = Fma.MultiplyAdd(q, x2, Vector128.Create(Beta2));
            q = Fma.MultiplyAdd(q, x2, Vector128.Create(Beta0));
#endif
        }
        else
        {
            p = x2 * Vector128.Create(Alpha13) + Vector128.Create(Alpha11);
            p = p * x2 + Vector128.Create(Alpha9);
            p = p * x2 + Vector128.Create(Alpha7);
            p = p * x2 + Vector128.Create(Alpha5);
            p = p * x2 + Vector128.Create(Alpha3);
            p = p * x2 + Vector128.Create(Alpha1);
            q = x2 * Vector128.Create(Beta6) + Vector128.Create(Beta4);
            q = q * x2 + Vector128.Create(Beta2);
            q = q * x2 + Vector128.Create(Beta0);
        }

        return p * x / q;
    }

    /// <summary>Hyperbolic tangent of a scalar, with the same approximation as the vector overloads.</summary>
    /// <param name="x">The input.</param>
    /// <returns><c>tanh(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        // Comparisons with NaN are false, so NaN falls through both branches unchanged.
        if (x > TanhClampUnfused)
        {
            x = TanhClampUnfused;
        }
        else if (x < -TanhClampUnfused)
        {
            x = -TanhClampUnfused;
        }

        float x2 = x * x;
        float p = Alpha13 * x2 + Alpha11;
        p = p * x2 + Alpha9;
        p = p * x2 + Alpha7;
        p = p * x2 + Alpha5;
        p = p * x2 + Alpha3;
        p = p * x2 + Alpha1;
        p *= x;
        float q = Beta6 * x2 + Beta4;
        q = q * x2 + Beta2;
        q = q * x2 + Beta0;
        return p / q;
    }

    /// <summary>Logistic sigmoid <c>1 / (1 + e^−x)</c> of each lane, computed as <c>½ + ½·tanh(x/2)</c>.</summary>
    /// <param name="x">The input lanes.</param>
    /// <returns><c>σ(x)</c> per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        // t·½ is exact (a power of two), so the single rounding of + ½ equals a fused multiply-add's.
        Vector512<float> half = Vector512.Create(0.5f);
        return Tanh(x * half) * half + half;
    }

    /// <inheritdoc cref="Sigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        // t·½ is exact (a power of two), so the single rounding of + ½ equals a fused multiply-add's.
        Vector256<float> half = Vector256.Create(0.5f);
        return Tanh(x * half) * half + half;
    }

    /// <inheritdoc cref="Sigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x)
    {
        // t·½ is exact (a power of two), so the single rounding of + ½ equals a fused multiply-add's.
        Vector128<float> half = Vector128.Create(0.5f);
        return Tanh(x * half) * half + half;
    }

    /// <summary>Logistic sigmoid of a scalar, computed as <c>½ + ½·tanh(x/2)</c>.</summary>
    /// <param name="x">The input.</param>
    /// <returns><c>σ(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x) => Tanh(x * 0.5f) * 0.5f + 0.5f;
}
