using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
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
    /// Where the input is clamped when the polynomials are evaluated with fused multiply-add: the first float at which
    /// this evaluation reaches exactly ±1 (and it stays within [−1, 1] below it), so saturated inputs give exactly ±1.
    /// </summary>
    public const float TanhClampFused = 8.033657f;

    /// <summary>
    /// Where the input is clamped when multiply and add round separately (the scalar code, and vectors without FMA
    /// hardware): the first float at which that evaluation reaches exactly ±1.
    /// </summary>
    public const float TanhClampUnfused = 7.9386916f;

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
        // Intrinsics only, and every branch tests an IsSupported property directly: the JIT drops the untaken
        // branches while importing, so inlining this costs one small inline wherever it is used.
        // The clamp puts the bound first in min/max: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out (AdvSimd and the portable fallback propagate NaN as well).
        Vector512<float> p, q;
        if (Avx512F.IsSupported)
        {
            Vector512<float> high = Vector512.Create(TanhClampFused);
            x = Avx512F.Max(-high, Avx512F.Min(high, x));
            Vector512<float> x2 = x * x;
            Vector512<float> x4 = x2 * x2;
            Vector512<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector512<float> e0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha3), x2, Vector512.Create(Alpha1));
            Vector512<float> e1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha7), x2, Vector512.Create(Alpha5));
            Vector512<float> e2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha11), x2, Vector512.Create(Alpha9));
            Vector512<float> f0 = Avx512F.FusedMultiplyAdd(e1, x4, e0);
            Vector512<float> f1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha13), x4, e2);
            p = Avx512F.FusedMultiplyAdd(f1, x8, f0);
            Vector512<float> q0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Beta2), x2, Vector512.Create(Beta0));
            Vector512<float> q1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Beta6), x2, Vector512.Create(Beta4));
            q = Avx512F.FusedMultiplyAdd(q1, x4, q0);
        }
        else
        {
            Vector512<float> high = Vector512.Create(TanhClampUnfused);
            x = Vector512.Max(-high, Vector512.Min(high, x));
            Vector512<float> x2 = x * x;
            Vector512<float> x4 = x2 * x2;
            Vector512<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector512<float> e0 = Vector512.Create(Alpha3) * x2 + Vector512.Create(Alpha1);
            Vector512<float> e1 = Vector512.Create(Alpha7) * x2 + Vector512.Create(Alpha5);
            Vector512<float> e2 = Vector512.Create(Alpha11) * x2 + Vector512.Create(Alpha9);
            Vector512<float> f0 = e1 * x4 + e0;
            Vector512<float> f1 = Vector512.Create(Alpha13) * x4 + e2;
            p = f1 * x8 + f0;
            Vector512<float> q0 = Vector512.Create(Beta2) * x2 + Vector512.Create(Beta0);
            Vector512<float> q1 = Vector512.Create(Beta6) * x2 + Vector512.Create(Beta4);
            q = q1 * x4 + q0;
        }

        return p * x / q;
    }

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Tanh(Vector256<float> x)
    {
        // Intrinsics only, and every branch tests an IsSupported property directly: the JIT drops the untaken
        // branches while importing, so inlining this costs one small inline wherever it is used.
        // The clamp puts the bound first in min/max: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out (AdvSimd and the portable fallback propagate NaN as well).
        Vector256<float> p, q;
        if (Fma.IsSupported)
        {
            Vector256<float> high = Vector256.Create(TanhClampFused);
            x = Avx.Max(-high, Avx.Min(high, x));
            Vector256<float> x2 = x * x;
            Vector256<float> x4 = x2 * x2;
            Vector256<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector256<float> e0 = Fma.MultiplyAdd(Vector256.Create(Alpha3), x2, Vector256.Create(Alpha1));
            Vector256<float> e1 = Fma.MultiplyAdd(Vector256.Create(Alpha7), x2, Vector256.Create(Alpha5));
            Vector256<float> e2 = Fma.MultiplyAdd(Vector256.Create(Alpha11), x2, Vector256.Create(Alpha9));
            Vector256<float> f0 = Fma.MultiplyAdd(e1, x4, e0);
            Vector256<float> f1 = Fma.MultiplyAdd(Vector256.Create(Alpha13), x4, e2);
            p = Fma.MultiplyAdd(f1, x8, f0);
            Vector256<float> q0 = Fma.MultiplyAdd(Vector256.Create(Beta2), x2, Vector256.Create(Beta0));
            Vector256<float> q1 = Fma.MultiplyAdd(Vector256.Create(Beta6), x2, Vector256.Create(Beta4));
            q = Fma.MultiplyAdd(q1, x4, q0);
        }
        else
        {
            Vector256<float> high = Vector256.Create(TanhClampUnfused);
            x = Avx.IsSupported ? Avx.Max(-high, Avx.Min(high, x)) : Vector256.Max(-high, Vector256.Min(high, x));
            Vector256<float> x2 = x * x;
            Vector256<float> x4 = x2 * x2;
            Vector256<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector256<float> e0 = Vector256.Create(Alpha3) * x2 + Vector256.Create(Alpha1);
            Vector256<float> e1 = Vector256.Create(Alpha7) * x2 + Vector256.Create(Alpha5);
            Vector256<float> e2 = Vector256.Create(Alpha11) * x2 + Vector256.Create(Alpha9);
            Vector256<float> f0 = e1 * x4 + e0;
            Vector256<float> f1 = Vector256.Create(Alpha13) * x4 + e2;
            p = f1 * x8 + f0;
            Vector256<float> q0 = Vector256.Create(Beta2) * x2 + Vector256.Create(Beta0);
            Vector256<float> q1 = Vector256.Create(Beta6) * x2 + Vector256.Create(Beta4);
            q = q1 * x4 + q0;
        }

        return p * x / q;
    }

    /// <inheritdoc cref="Tanh(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Tanh(Vector128<float> x)
    {
        // Intrinsics only, and every branch tests an IsSupported property directly: the JIT drops the untaken
        // branches while importing, so inlining this costs one small inline wherever it is used.
        // The clamp puts the bound first in min/max: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out (AdvSimd and the portable fallback propagate NaN as well).
        Vector128<float> p, q;
        if (Fma.IsSupported)
        {
            Vector128<float> high = Vector128.Create(TanhClampFused);
            x = Sse.Max(-high, Sse.Min(high, x));
            Vector128<float> x2 = x * x;
            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector128<float> e0 = Fma.MultiplyAdd(Vector128.Create(Alpha3), x2, Vector128.Create(Alpha1));
            Vector128<float> e1 = Fma.MultiplyAdd(Vector128.Create(Alpha7), x2, Vector128.Create(Alpha5));
            Vector128<float> e2 = Fma.MultiplyAdd(Vector128.Create(Alpha11), x2, Vector128.Create(Alpha9));
            Vector128<float> f0 = Fma.MultiplyAdd(e1, x4, e0);
            Vector128<float> f1 = Fma.MultiplyAdd(Vector128.Create(Alpha13), x4, e2);
            p = Fma.MultiplyAdd(f1, x8, f0);
            Vector128<float> q0 = Fma.MultiplyAdd(Vector128.Create(Beta2), x2, Vector128.Create(Beta0));
            Vector128<float> q1 = Fma.MultiplyAdd(Vector128.Create(Beta6), x2, Vector128.Create(Beta4));
            q = Fma.MultiplyAdd(q1, x4, q0);
        }
        else if (AdvSimd.IsSupported)
        {
            Vector128<float> high = Vector128.Create(TanhClampFused);
            x = AdvSimd.Max(-high, AdvSimd.Min(high, x));
            Vector128<float> x2 = x * x;
            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector128<float> e0 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Alpha1), Vector128.Create(Alpha3), x2);
            Vector128<float> e1 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Alpha5), Vector128.Create(Alpha7), x2);
            Vector128<float> e2 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Alpha9), Vector128.Create(Alpha11), x2);
            Vector128<float> f0 = AdvSimd.FusedMultiplyAdd(e0, e1, x4);
            Vector128<float> f1 = AdvSimd.FusedMultiplyAdd(e2, Vector128.Create(Alpha13), x4);
            p = AdvSimd.FusedMultiplyAdd(f0, f1, x8);
            Vector128<float> q0 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Beta0), Vector128.Create(Beta2), x2);
            Vector128<float> q1 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Beta4), Vector128.Create(Beta6), x2);
            q = AdvSimd.FusedMultiplyAdd(q0, q1, x4);
        }
        else
        {
            Vector128<float> high = Vector128.Create(TanhClampUnfused);
            x = Sse.IsSupported ? Sse.Max(-high, Sse.Min(high, x)) : Vector128.Max(-high, Vector128.Min(high, x));
            Vector128<float> x2 = x * x;
            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector128<float> e0 = Vector128.Create(Alpha3) * x2 + Vector128.Create(Alpha1);
            Vector128<float> e1 = Vector128.Create(Alpha7) * x2 + Vector128.Create(Alpha5);
            Vector128<float> e2 = Vector128.Create(Alpha11) * x2 + Vector128.Create(Alpha9);
            Vector128<float> f0 = e1 * x4 + e0;
            Vector128<float> f1 = Vector128.Create(Alpha13) * x4 + e2;
            p = f1 * x8 + f0;
            Vector128<float> q0 = Vector128.Create(Beta2) * x2 + Vector128.Create(Beta0);
            Vector128<float> q1 = Vector128.Create(Beta6) * x2 + Vector128.Create(Beta4);
            q = q1 * x4 + q0;
        }

        return p * x / q;
    }

    /// <summary>
    /// Logistic sigmoid <c>1 / (1 + e^−x)</c> of each lane. It evaluates <c>½ + ½·tanh(x/2)</c> with the tanh
    /// approximation's constants scaled by powers of two, which gives the same floats as that formula, one
    /// multiplication sooner.
    /// </summary>
    /// <param name="x">The input lanes.</param>
    /// <returns><c>σ(x)</c> per lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sigmoid(Vector512<float> x)
    {
        // Intrinsics only, and every branch tests an IsSupported property directly: the JIT drops the untaken
        // branches while importing, so inlining this costs one small inline wherever it is used.
        // The clamp puts the bound first in min/max: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out (AdvSimd and the portable fallback propagate NaN as well).
        Vector512<float> p, q;
        if (Avx512F.IsSupported)
        {
            Vector512<float> high = Vector512.Create(2 * TanhClampFused);
            x = Avx512F.Max(-high, Avx512F.Min(high, x));
            Vector512<float> x2 = x * x;
            Vector512<float> x4 = x2 * x2;
            Vector512<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector512<float> e0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha3 / 16f), x2, Vector512.Create(Alpha1 / 4f));
            Vector512<float> e1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha7 / 256f), x2, Vector512.Create(Alpha5 / 64f));
            Vector512<float> e2 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha11 / 4096f), x2, Vector512.Create(Alpha9 / 1024f));
            Vector512<float> f0 = Avx512F.FusedMultiplyAdd(e1, x4, e0);
            Vector512<float> f1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Alpha13 / 16384f), x4, e2);
            p = Avx512F.FusedMultiplyAdd(f1, x8, f0);
            Vector512<float> q0 = Avx512F.FusedMultiplyAdd(Vector512.Create(Beta2 / 4f), x2, Vector512.Create(Beta0));
            Vector512<float> q1 = Avx512F.FusedMultiplyAdd(Vector512.Create(Beta6 / 64f), x2, Vector512.Create(Beta4 / 16f));
            q = Avx512F.FusedMultiplyAdd(q1, x4, q0);
        }
        else
        {
            Vector512<float> high = Vector512.Create(2 * TanhClampUnfused);
            x = Vector512.Max(-high, Vector512.Min(high, x));
            Vector512<float> x2 = x * x;
            Vector512<float> x4 = x2 * x2;
            Vector512<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector512<float> e0 = Vector512.Create(Alpha3 / 16f) * x2 + Vector512.Create(Alpha1 / 4f);
            Vector512<float> e1 = Vector512.Create(Alpha7 / 256f) * x2 + Vector512.Create(Alpha5 / 64f);
            Vector512<float> e2 = Vector512.Create(Alpha11 / 4096f) * x2 + Vector512.Create(Alpha9 / 1024f);
            Vector512<float> f0 = e1 * x4 + e0;
            Vector512<float> f1 = Vector512.Create(Alpha13 / 16384f) * x4 + e2;
            p = f1 * x8 + f0;
            Vector512<float> q0 = Vector512.Create(Beta2 / 4f) * x2 + Vector512.Create(Beta0);
            Vector512<float> q1 = Vector512.Create(Beta6 / 64f) * x2 + Vector512.Create(Beta4 / 16f);
            q = q1 * x4 + q0;
        }

        return p * x / q + Vector512.Create(0.5f);
    }

    /// <inheritdoc cref="Sigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sigmoid(Vector256<float> x)
    {
        // Intrinsics only, and every branch tests an IsSupported property directly: the JIT drops the untaken
        // branches while importing, so inlining this costs one small inline wherever it is used.
        // The clamp puts the bound first in min/max: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out (AdvSimd and the portable fallback propagate NaN as well).
        Vector256<float> p, q;
        if (Fma.IsSupported)
        {
            Vector256<float> high = Vector256.Create(2 * TanhClampFused);
            x = Avx.Max(-high, Avx.Min(high, x));
            Vector256<float> x2 = x * x;
            Vector256<float> x4 = x2 * x2;
            Vector256<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector256<float> e0 = Fma.MultiplyAdd(Vector256.Create(Alpha3 / 16f), x2, Vector256.Create(Alpha1 / 4f));
            Vector256<float> e1 = Fma.MultiplyAdd(Vector256.Create(Alpha7 / 256f), x2, Vector256.Create(Alpha5 / 64f));
            Vector256<float> e2 = Fma.MultiplyAdd(Vector256.Create(Alpha11 / 4096f), x2, Vector256.Create(Alpha9 / 1024f));
            Vector256<float> f0 = Fma.MultiplyAdd(e1, x4, e0);
            Vector256<float> f1 = Fma.MultiplyAdd(Vector256.Create(Alpha13 / 16384f), x4, e2);
            p = Fma.MultiplyAdd(f1, x8, f0);
            Vector256<float> q0 = Fma.MultiplyAdd(Vector256.Create(Beta2 / 4f), x2, Vector256.Create(Beta0));
            Vector256<float> q1 = Fma.MultiplyAdd(Vector256.Create(Beta6 / 64f), x2, Vector256.Create(Beta4 / 16f));
            q = Fma.MultiplyAdd(q1, x4, q0);
        }
        else
        {
            Vector256<float> high = Vector256.Create(2 * TanhClampUnfused);
            x = Avx.IsSupported ? Avx.Max(-high, Avx.Min(high, x)) : Vector256.Max(-high, Vector256.Min(high, x));
            Vector256<float> x2 = x * x;
            Vector256<float> x4 = x2 * x2;
            Vector256<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector256<float> e0 = Vector256.Create(Alpha3 / 16f) * x2 + Vector256.Create(Alpha1 / 4f);
            Vector256<float> e1 = Vector256.Create(Alpha7 / 256f) * x2 + Vector256.Create(Alpha5 / 64f);
            Vector256<float> e2 = Vector256.Create(Alpha11 / 4096f) * x2 + Vector256.Create(Alpha9 / 1024f);
            Vector256<float> f0 = e1 * x4 + e0;
            Vector256<float> f1 = Vector256.Create(Alpha13 / 16384f) * x4 + e2;
            p = f1 * x8 + f0;
            Vector256<float> q0 = Vector256.Create(Beta2 / 4f) * x2 + Vector256.Create(Beta0);
            Vector256<float> q1 = Vector256.Create(Beta6 / 64f) * x2 + Vector256.Create(Beta4 / 16f);
            q = q1 * x4 + q0;
        }

        return p * x / q + Vector256.Create(0.5f);
    }

    /// <inheritdoc cref="Sigmoid(Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sigmoid(Vector128<float> x)
    {
        // Intrinsics only, and every branch tests an IsSupported property directly: the JIT drops the untaken
        // branches while importing, so inlining this costs one small inline wherever it is used.
        // The clamp puts the bound first in min/max: x86 MINPS/MAXPS return the second operand when either is NaN,
        // so a NaN input comes back out (AdvSimd and the portable fallback propagate NaN as well).
        Vector128<float> p, q;
        if (Fma.IsSupported)
        {
            Vector128<float> high = Vector128.Create(2 * TanhClampFused);
            x = Sse.Max(-high, Sse.Min(high, x));
            Vector128<float> x2 = x * x;
            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector128<float> e0 = Fma.MultiplyAdd(Vector128.Create(Alpha3 / 16f), x2, Vector128.Create(Alpha1 / 4f));
            Vector128<float> e1 = Fma.MultiplyAdd(Vector128.Create(Alpha7 / 256f), x2, Vector128.Create(Alpha5 / 64f));
            Vector128<float> e2 = Fma.MultiplyAdd(Vector128.Create(Alpha11 / 4096f), x2, Vector128.Create(Alpha9 / 1024f));
            Vector128<float> f0 = Fma.MultiplyAdd(e1, x4, e0);
            Vector128<float> f1 = Fma.MultiplyAdd(Vector128.Create(Alpha13 / 16384f), x4, e2);
            p = Fma.MultiplyAdd(f1, x8, f0);
            Vector128<float> q0 = Fma.MultiplyAdd(Vector128.Create(Beta2 / 4f), x2, Vector128.Create(Beta0));
            Vector128<float> q1 = Fma.MultiplyAdd(Vector128.Create(Beta6 / 64f), x2, Vector128.Create(Beta4 / 16f));
            q = Fma.MultiplyAdd(q1, x4, q0);
        }
        else if (AdvSimd.IsSupported)
        {
            Vector128<float> high = Vector128.Create(2 * TanhClampFused);
            x = AdvSimd.Max(-high, AdvSimd.Min(high, x));
            Vector128<float> x2 = x * x;
            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector128<float> e0 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Alpha1 / 4f), Vector128.Create(Alpha3 / 16f), x2);
            Vector128<float> e1 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Alpha5 / 64f), Vector128.Create(Alpha7 / 256f), x2);
            Vector128<float> e2 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Alpha9 / 1024f), Vector128.Create(Alpha11 / 4096f), x2);
            Vector128<float> f0 = AdvSimd.FusedMultiplyAdd(e0, e1, x4);
            Vector128<float> f1 = AdvSimd.FusedMultiplyAdd(e2, Vector128.Create(Alpha13 / 16384f), x4);
            p = AdvSimd.FusedMultiplyAdd(f0, f1, x8);
            Vector128<float> q0 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Beta0), Vector128.Create(Beta2 / 4f), x2);
            Vector128<float> q1 = AdvSimd.FusedMultiplyAdd(Vector128.Create(Beta4 / 16f), Vector128.Create(Beta6 / 64f), x2);
            q = AdvSimd.FusedMultiplyAdd(q0, q1, x4);
        }
        else
        {
            Vector128<float> high = Vector128.Create(2 * TanhClampUnfused);
            x = Sse.IsSupported ? Sse.Max(-high, Sse.Min(high, x)) : Vector128.Max(-high, Vector128.Min(high, x));
            Vector128<float> x2 = x * x;
            Vector128<float> x4 = x2 * x2;
            Vector128<float> x8 = x4 * x4;
            // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
            Vector128<float> e0 = Vector128.Create(Alpha3 / 16f) * x2 + Vector128.Create(Alpha1 / 4f);
            Vector128<float> e1 = Vector128.Create(Alpha7 / 256f) * x2 + Vector128.Create(Alpha5 / 64f);
            Vector128<float> e2 = Vector128.Create(Alpha11 / 4096f) * x2 + Vector128.Create(Alpha9 / 1024f);
            Vector128<float> f0 = e1 * x4 + e0;
            Vector128<float> f1 = Vector128.Create(Alpha13 / 16384f) * x4 + e2;
            p = f1 * x8 + f0;
            Vector128<float> q0 = Vector128.Create(Beta2 / 4f) * x2 + Vector128.Create(Beta0);
            Vector128<float> q1 = Vector128.Create(Beta6 / 64f) * x2 + Vector128.Create(Beta4 / 16f);
            q = q1 * x4 + q0;
        }

        return p * x / q + Vector128.Create(0.5f);
    }

    /// <summary>Hyperbolic tangent of a scalar, with the same approximation as the vector overloads.</summary>
    /// <param name="x">The input.</param>
    /// <returns><c>tanh(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Tanh(float x)
    {
        // Comparisons with NaN are false, so NaN falls through both branches unchanged.
        const float High = TanhClampUnfused;
        if (x > High)
        {
            x = High;
        }
        else if (x < -High)
        {
            x = -High;
        }

        float p, q;
        float x2 = x * x;
        float x4 = x2 * x2;
        float x8 = x4 * x4;
        // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
        float e0 = (Alpha3) * x2 + (Alpha1);
        float e1 = (Alpha7) * x2 + (Alpha5);
        float e2 = (Alpha11) * x2 + (Alpha9);
        float f0 = e1 * x4 + e0;
        float f1 = (Alpha13) * x4 + e2;
        p = f1 * x8 + f0;
        float q0 = (Beta2) * x2 + (Beta0);
        float q1 = (Beta6) * x2 + (Beta4);
        q = q1 * x4 + q0;
        return p * x / q;
    }

    /// <summary>Logistic sigmoid of a scalar: <c>½ + ½·tanh(x/2)</c>, as the vector overloads compute it.</summary>
    /// <param name="x">The input.</param>
    /// <returns><c>σ(x)</c>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float x)
    {
        // Comparisons with NaN are false, so NaN falls through both branches unchanged.
        const float High = 2 * TanhClampUnfused;
        if (x > High)
        {
            x = High;
        }
        else if (x < -High)
        {
            x = -High;
        }

        float p, q;
        float x2 = x * x;
        float x4 = x2 * x2;
        float x8 = x4 * x4;
        // Estrin's scheme: the numerator p(x²) of degree 6 in three levels instead of six dependent steps.
        float e0 = (Alpha3 / 16f) * x2 + (Alpha1 / 4f);
        float e1 = (Alpha7 / 256f) * x2 + (Alpha5 / 64f);
        float e2 = (Alpha11 / 4096f) * x2 + (Alpha9 / 1024f);
        float f0 = e1 * x4 + e0;
        float f1 = (Alpha13 / 16384f) * x4 + e2;
        p = f1 * x8 + f0;
        float q0 = (Beta2 / 4f) * x2 + (Beta0);
        float q1 = (Beta6 / 64f) * x2 + (Beta4 / 16f);
        q = q1 * x4 + q0;
        return p * x / q + 0.5f;
    }
}
