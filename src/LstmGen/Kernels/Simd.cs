using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Kernels;

/// <summary>
/// Vector primitives for 512-, 256- and 128-bit vectors of <see cref="float"/>: multiply-add, tail-lane
/// masks and reductions, which the generated kernels call, plus loads, stores and broadcasts for
/// hand-written kernels (generated code calls <c>Vector512.LoadUnsafe</c> and the like directly).
/// </summary>
/// <remarks>
/// Every member is a thin, aggressively inlined wrapper. They exist so generated code reads the same on
/// every target framework: <c>Vector512.FusedMultiplyAdd</c> only exists from .NET 9, so on .NET 8 the FMA
/// instruction is reached through <see cref="Avx512F"/>/<see cref="Fma"/> directly. Offsets are element
/// offsets and are not checked: callers validate lengths once at their public edge.
/// </remarks>
public static class Simd
{
    // Multiply-add is fused exactly when the instruction exists: AVX-512F for 512-bit vectors, FMA3 for 256-bit,
    // FMA3 or AdvSimd for 128-bit. Otherwise it is a multiply and an add: .NET 9+'s Vector*.FusedMultiplyAdd would
    // emulate the fused result one lane at a time through libm, tens of times slower. Every check below is written
    // directly on an IsSupported property, a constant the JIT folds while importing, so the untaken branch costs
    // nothing, not even inlining budget.

    /// <summary>Whether <see cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/> rounds once (a JIT-time constant).</summary>
    public static bool IsMultiplyAddFused512 => Avx512F.IsSupported;

    /// <summary>Whether <see cref="MultiplyAdd(Vector256{float}, Vector256{float}, Vector256{float})"/> rounds once (a JIT-time constant).</summary>
    public static bool IsMultiplyAddFused256 => Fma.IsSupported;

    /// <summary>Whether <see cref="MultiplyAdd(Vector128{float}, Vector128{float}, Vector128{float})"/> rounds once (a JIT-time constant).</summary>
    public static bool IsMultiplyAddFused128 => Fma.IsSupported || AdvSimd.IsSupported;

    /// <summary>Loads 16 floats starting <paramref name="elementOffset"/> elements after <paramref name="source"/>.</summary>
    /// <param name="source">The base reference.</param>
    /// <param name="elementOffset">Offset in elements from <paramref name="source"/>.</param>
    /// <returns>The loaded vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load512(ref float source, nuint elementOffset) => Vector512.LoadUnsafe(ref source, elementOffset);

    /// <summary>Loads 8 floats starting <paramref name="elementOffset"/> elements after <paramref name="source"/>.</summary>
    /// <param name="source">The base reference.</param>
    /// <param name="elementOffset">Offset in elements from <paramref name="source"/>.</param>
    /// <returns>The loaded vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load256(ref float source, nuint elementOffset) => Vector256.LoadUnsafe(ref source, elementOffset);

    /// <summary>Loads 4 floats starting <paramref name="elementOffset"/> elements after <paramref name="source"/>.</summary>
    /// <param name="source">The base reference.</param>
    /// <param name="elementOffset">Offset in elements from <paramref name="source"/>.</param>
    /// <returns>The loaded vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load128(ref float source, nuint elementOffset) => Vector128.LoadUnsafe(ref source, elementOffset);

    /// <summary>Stores <paramref name="value"/> at <paramref name="elementOffset"/> elements after <paramref name="destination"/>.</summary>
    /// <param name="value">The vector to store.</param>
    /// <param name="destination">The base reference.</param>
    /// <param name="elementOffset">Offset in elements from <paramref name="destination"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, nuint elementOffset) => value.StoreUnsafe(ref destination, elementOffset);

    /// <inheritdoc cref="Store(Vector512{float}, ref float, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, nuint elementOffset) => value.StoreUnsafe(ref destination, elementOffset);

    /// <inheritdoc cref="Store(Vector512{float}, ref float, nuint)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, ref float destination, nuint elementOffset) => value.StoreUnsafe(ref destination, elementOffset);

    /// <summary>A 512-bit vector with every lane equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value to broadcast.</param>
    /// <returns>The broadcast vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast512(float value) => Vector512.Create(value);

    /// <summary>A 256-bit vector with every lane equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value to broadcast.</param>
    /// <returns>The broadcast vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast256(float value) => Vector256.Create(value);

    /// <summary>A 128-bit vector with every lane equal to <paramref name="value"/>.</summary>
    /// <param name="value">The value to broadcast.</param>
    /// <returns>The broadcast vector.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast128(float value) => Vector128.Create(value);

    /// <summary>Computes <c>a · b + addend</c> per lane, fused (one rounding) where the hardware has FMA.</summary>
    /// <param name="a">First factor.</param>
    /// <param name="b">Second factor.</param>
    /// <param name="addend">Value added to the product.</param>
    /// <returns>The per-lane result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend)
    {
        if (Avx512F.IsSupported)
        {
            return Avx512F.FusedMultiplyAdd(a, b, addend);
        }

        return a * b + addend;
    }

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend)
    {
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, addend);
        }

        return a * b + addend;
    }

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> addend)
    {
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, addend);
        }

        if (AdvSimd.IsSupported)
        {
            return AdvSimd.FusedMultiplyAdd(addend, a, b);
        }

        return a * b + addend;
    }

    /// <summary>Computes <c>a · b + addend</c> for scalars, as two roundings (the fallback path has no FMA to rely on).</summary>
    /// <param name="a">First factor.</param>
    /// <param name="b">Second factor.</param>
    /// <param name="addend">Value added to the product.</param>
    /// <returns>The result.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float addend) => a * b + addend;

    /// <summary>A mask with every bit set in lanes <paramref name="firstLane"/> to 15 and clear below, for <c>&amp;</c> with a vector of floats.</summary>
    /// <param name="firstLane">The first lane kept, 0 to 16.</param>
    /// <returns>The mask.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LanesFrom512(int firstLane)
        => Vector512.GreaterThanOrEqual(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(firstLane)).AsSingle();

    /// <summary>A mask with every bit set in lanes <paramref name="firstLane"/> to 7 and clear below.</summary>
    /// <param name="firstLane">The first lane kept, 0 to 8.</param>
    /// <returns>The mask.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LanesFrom256(int firstLane)
        => Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(firstLane)).AsSingle();

    /// <summary>A mask with every bit set in lanes <paramref name="firstLane"/> to 3 and clear below.</summary>
    /// <param name="firstLane">The first lane kept, 0 to 4.</param>
    /// <returns>The mask.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LanesFrom128(int firstLane)
        => Vector128.GreaterThanOrEqual(Vector128.Create(0, 1, 2, 3), Vector128.Create(firstLane)).AsSingle();

    /// <summary>
    /// The lane sums of 16 vectors at once: lane r of the result is the sum of the 16 lanes of the r-th argument.
    /// A tree of 128-bit-block and in-block shuffles (four levels, 46 instructions) replaces 16 separate horizontal
    /// sums (about 7 dependent instructions each), which is what dot products of 16 rows need.
    /// </summary>
    /// <returns>The 16 sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SumEach(
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7,
        Vector512<float> s8, Vector512<float> s9, Vector512<float> s10, Vector512<float> s11,
        Vector512<float> s12, Vector512<float> s13, Vector512<float> s14, Vector512<float> s15)
    {
        if (Avx512F.IsSupported)
        {
            // Level 1: each pair (a, b) → [a.block0+a.block2, a.block1+a.block3, b.block0+b.block2, b.block1+b.block3].
            Vector512<float> a01 = Avx512F.Shuffle4x128(s0, s1, 0x44) + Avx512F.Shuffle4x128(s0, s1, 0xEE);
            Vector512<float> a23 = Avx512F.Shuffle4x128(s2, s3, 0x44) + Avx512F.Shuffle4x128(s2, s3, 0xEE);
            Vector512<float> a45 = Avx512F.Shuffle4x128(s4, s5, 0x44) + Avx512F.Shuffle4x128(s4, s5, 0xEE);
            Vector512<float> a67 = Avx512F.Shuffle4x128(s6, s7, 0x44) + Avx512F.Shuffle4x128(s6, s7, 0xEE);
            Vector512<float> a89 = Avx512F.Shuffle4x128(s8, s9, 0x44) + Avx512F.Shuffle4x128(s8, s9, 0xEE);
            Vector512<float> aAB = Avx512F.Shuffle4x128(s10, s11, 0x44) + Avx512F.Shuffle4x128(s10, s11, 0xEE);
            Vector512<float> aCD = Avx512F.Shuffle4x128(s12, s13, 0x44) + Avx512F.Shuffle4x128(s12, s13, 0xEE);
            Vector512<float> aEF = Avx512F.Shuffle4x128(s14, s15, 0x44) + Avx512F.Shuffle4x128(s14, s15, 0xEE);

            // Level 2: block k of the result holds 4 partial sums of row k of the four (in argument order).
            Vector512<float> b0 = Avx512F.Shuffle4x128(a01, a23, 0x88) + Avx512F.Shuffle4x128(a01, a23, 0xDD);
            Vector512<float> b1 = Avx512F.Shuffle4x128(a45, a67, 0x88) + Avx512F.Shuffle4x128(a45, a67, 0xDD);
            Vector512<float> b2 = Avx512F.Shuffle4x128(a89, aAB, 0x88) + Avx512F.Shuffle4x128(a89, aAB, 0xDD);
            Vector512<float> b3 = Avx512F.Shuffle4x128(aCD, aEF, 0x88) + Avx512F.Shuffle4x128(aCD, aEF, 0xDD);

            // Levels 3 and 4, within 128-bit blocks: block k ends as [row k, row 4 + k, row 8 + k, row 12 + k].
            Vector512<float> c0 = Avx512F.Shuffle(b0, b1, 0x44) + Avx512F.Shuffle(b0, b1, 0xEE);
            Vector512<float> c1 = Avx512F.Shuffle(b2, b3, 0x44) + Avx512F.Shuffle(b2, b3, 0xEE);
            Vector512<float> d = Avx512F.Shuffle(c0, c1, 0x88) + Avx512F.Shuffle(c0, c1, 0xDD);

            // Lane 4k + m holds row 4m + k: put every row in its own lane.
            return Avx512F.PermuteVar16x32(d, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15));
        }

        return Vector512.Create(
            Vector512.Sum(s0), Vector512.Sum(s1), Vector512.Sum(s2), Vector512.Sum(s3),
            Vector512.Sum(s4), Vector512.Sum(s5), Vector512.Sum(s6), Vector512.Sum(s7),
            Vector512.Sum(s8), Vector512.Sum(s9), Vector512.Sum(s10), Vector512.Sum(s11),
            Vector512.Sum(s12), Vector512.Sum(s13), Vector512.Sum(s14), Vector512.Sum(s15));
    }

    /// <summary>
    /// The lane sums of 8 vectors of 16 lanes at once: lane r of the result is the sum of the 16 lanes of the r-th
    /// argument (the first levels of the 16-vector tree, for dot products of 8 rows).
    /// </summary>
    /// <returns>The 8 sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SumEach(
        Vector512<float> s0, Vector512<float> s1, Vector512<float> s2, Vector512<float> s3,
        Vector512<float> s4, Vector512<float> s5, Vector512<float> s6, Vector512<float> s7)
    {
        if (Avx512F.IsSupported)
        {
            // Level 1: each pair (a, b) → [a.block0+a.block2, a.block1+a.block3, b.block0+b.block2, b.block1+b.block3].
            Vector512<float> a01 = Avx512F.Shuffle4x128(s0, s1, 0x44) + Avx512F.Shuffle4x128(s0, s1, 0xEE);
            Vector512<float> a23 = Avx512F.Shuffle4x128(s2, s3, 0x44) + Avx512F.Shuffle4x128(s2, s3, 0xEE);
            Vector512<float> a45 = Avx512F.Shuffle4x128(s4, s5, 0x44) + Avx512F.Shuffle4x128(s4, s5, 0xEE);
            Vector512<float> a67 = Avx512F.Shuffle4x128(s6, s7, 0x44) + Avx512F.Shuffle4x128(s6, s7, 0xEE);

            // Level 2: block k of b0 holds 4 partial sums of row k, of b1 of row 4 + k.
            Vector512<float> b0 = Avx512F.Shuffle4x128(a01, a23, 0x88) + Avx512F.Shuffle4x128(a01, a23, 0xDD);
            Vector512<float> b1 = Avx512F.Shuffle4x128(a45, a67, 0x88) + Avx512F.Shuffle4x128(a45, a67, 0xDD);

            // Levels 3 and 4, within 128-bit blocks: lane 4k holds row k, lane 4k + 1 row 4 + k.
            Vector512<float> c = Avx512F.Shuffle(b0, b1, 0x44) + Avx512F.Shuffle(b0, b1, 0xEE);
            Vector512<float> d = Avx512F.Shuffle(c, c, 0x88) + Avx512F.Shuffle(c, c, 0xDD);
            return Avx512F.PermuteVar16x32(d, Vector512.Create(0, 4, 8, 12, 1, 5, 9, 13, 0, 4, 8, 12, 1, 5, 9, 13)).GetLower();
        }

        return Vector256.Create(
            Vector512.Sum(s0), Vector512.Sum(s1), Vector512.Sum(s2), Vector512.Sum(s3),
            Vector512.Sum(s4), Vector512.Sum(s5), Vector512.Sum(s6), Vector512.Sum(s7));
    }

    /// <summary>The lane sums of 8 vectors at once: lane r of the result is the sum of the 8 lanes of the r-th argument.</summary>
    /// <returns>The 8 sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SumEach(
        Vector256<float> s0, Vector256<float> s1, Vector256<float> s2, Vector256<float> s3,
        Vector256<float> s4, Vector256<float> s5, Vector256<float> s6, Vector256<float> s7)
    {
        if (Avx2.IsSupported)
        {
            // Level 1: pair (a, b) → [a.low + a.high | b.low + b.high].
            Vector256<float> a01 = Avx.Permute2x128(s0, s1, 0x20) + Avx.Permute2x128(s0, s1, 0x31);
            Vector256<float> a23 = Avx.Permute2x128(s2, s3, 0x20) + Avx.Permute2x128(s2, s3, 0x31);
            Vector256<float> a45 = Avx.Permute2x128(s4, s5, 0x20) + Avx.Permute2x128(s4, s5, 0x31);
            Vector256<float> a67 = Avx.Permute2x128(s6, s7, 0x20) + Avx.Permute2x128(s6, s7, 0x31);

            // Levels 2 and 3, within 128-bit blocks: block 0 ends as rows 0, 2, 4, 6 and block 1 as rows 1, 3, 5, 7.
            Vector256<float> b0 = Avx.Shuffle(a01, a23, 0x44) + Avx.Shuffle(a01, a23, 0xEE);
            Vector256<float> b1 = Avx.Shuffle(a45, a67, 0x44) + Avx.Shuffle(a45, a67, 0xEE);
            Vector256<float> c = Avx.Shuffle(b0, b1, 0x88) + Avx.Shuffle(b0, b1, 0xDD);
            return Avx2.PermuteVar8x32(c, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7));
        }

        return Vector256.Create(
            Vector256.Sum(s0), Vector256.Sum(s1), Vector256.Sum(s2), Vector256.Sum(s3),
            Vector256.Sum(s4), Vector256.Sum(s5), Vector256.Sum(s6), Vector256.Sum(s7));
    }

    /// <summary>The lane sums of 4 vectors at once: lane r of the result is the sum of the 4 lanes of the r-th argument.</summary>
    /// <returns>The 4 sums.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SumEach(Vector128<float> s0, Vector128<float> s1, Vector128<float> s2, Vector128<float> s3)
    {
        if (Sse3.IsSupported)
        {
            return Sse3.HorizontalAdd(Sse3.HorizontalAdd(s0, s1), Sse3.HorizontalAdd(s2, s3));
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(s0, s1), AdvSimd.Arm64.AddPairwise(s2, s3));
        }

        return Vector128.Create(Vector128.Sum(s0), Vector128.Sum(s1), Vector128.Sum(s2), Vector128.Sum(s3));
    }

    /// <summary>The sum of all lanes.</summary>
    /// <param name="value">The vector to reduce.</param>
    /// <returns>The sum of the 16 lanes.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    /// <summary>The sum of all lanes.</summary>
    /// <param name="value">The vector to reduce.</param>
    /// <returns>The sum of the 8 lanes.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    /// <summary>The sum of all lanes.</summary>
    /// <param name="value">The vector to reduce.</param>
    /// <returns>The sum of the 4 lanes.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);
}
