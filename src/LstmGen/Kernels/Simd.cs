using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LstmGen.Kernels;

/// <summary>
/// Vector primitives the generated kernels are written in: loads, stores, broadcasts and fused
/// multiply-add for 512-, 256- and 128-bit vectors of <see cref="float"/>.
/// </summary>
/// <remarks>
/// Every member is a thin, aggressively inlined wrapper. They exist so generated code reads the same on
/// every target framework: <c>Vector512.FusedMultiplyAdd</c> only exists from .NET 9, so on .NET 8 the FMA
/// instruction is reached through <see cref="Avx512F"/>/<see cref="Fma"/> directly. Offsets are element
/// offsets and are not checked: callers validate lengths once at their public edge.
/// </remarks>
public static class Simd
{
    // .NET 9+ vector FusedMultiplyAdd is exact even without FMA hardware, but then it is emulated one lane at a
    // time through a libm call: tens of times slower than a multiply and an add. Without the hardware the kernels
    // therefore multiply and add separately (and the activations use the clamp that matches unfused evaluation).
    private static bool HasFusedMultiplyAddHardware => Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    /// <summary>Whether <see cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/> rounds once (a JIT-time constant).</summary>
#if NET9_0_OR_GREATER
    public static bool IsMultiplyAddFused512 => HasFusedMultiplyAddHardware;
#else
    public static bool IsMultiplyAddFused512 => Avx512F.IsSupported;
#endif

    /// <summary>Whether <see cref="MultiplyAdd(Vector256{float}, Vector256{float}, Vector256{float})"/> rounds once (a JIT-time constant).</summary>
#if NET9_0_OR_GREATER
    public static bool IsMultiplyAddFused256 => HasFusedMultiplyAddHardware;
#else
    public static bool IsMultiplyAddFused256 => Fma.IsSupported;
#endif

    /// <summary>Whether <see cref="MultiplyAdd(Vector128{float}, Vector128{float}, Vector128{float})"/> rounds once (a JIT-time constant).</summary>
#if NET9_0_OR_GREATER
    public static bool IsMultiplyAddFused128 => HasFusedMultiplyAddHardware;
#else
    public static bool IsMultiplyAddFused128 => Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
#endif

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
#if NET9_0_OR_GREATER
        // The condition is spelled out (not a property) so inlining this method inlines nothing further.
        if (Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return Vector512.FusedMultiplyAdd(a, b, addend);
        }

        return a * b + addend;
#else
        if (Avx512F.IsSupported)
        {
            return Avx512F.FusedMultiplyAdd(a, b, addend);
        }

        return a * b + addend;
#endif
    }

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend)
    {
#if NET9_0_OR_GREATER
        // The condition is spelled out (not a property) so inlining this method inlines nothing further.
        if (Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return Vector256.FusedMultiplyAdd(a, b, addend);
        }

        return a * b + addend;
#else
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, addend);
        }

        return a * b + addend;
#endif
    }

    /// <inheritdoc cref="MultiplyAdd(Vector512{float}, Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> addend)
    {
#if NET9_0_OR_GREATER
        // The condition is spelled out (not a property) so inlining this method inlines nothing further.
        if (Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return Vector128.FusedMultiplyAdd(a, b, addend);
        }

        return a * b + addend;
#else
        if (Fma.IsSupported)
        {
            return Fma.MultiplyAdd(a, b, addend);
        }

        if (System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported)
        {
            return System.Runtime.Intrinsics.Arm.AdvSimd.FusedMultiplyAdd(addend, a, b);
        }

        return a * b + addend;
#endif
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
