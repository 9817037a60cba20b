// The gradient row-block kernels every generated layer shares: they depend on the vector width only, not on the
// layer's sizes (a row's width, the strides and the step count are arguments), so they live here once instead of in
// every generated kernel file. Written by tests/LstmGen.Generator.Tests/GradientKernelsFileTests.cs (which fails when
// this file differs from what it writes); the parameter-gradient parity tests cover them through the generated kernels.
using System.Runtime.CompilerServices;
using U = System.Runtime.CompilerServices.Unsafe;
using V512 = System.Runtime.Intrinsics.Vector512;
using V256 = System.Runtime.Intrinsics.Vector256;
using V128 = System.Runtime.Intrinsics.Vector128;
using F512 = System.Runtime.Intrinsics.Vector512<float>;
using F256 = System.Runtime.Intrinsics.Vector256<float>;
using F128 = System.Runtime.Intrinsics.Vector128<float>;
using static LstmGen.Kernels.Simd;

namespace LstmGen.Kernels;

/// <summary>
/// Outer-product accumulation over many steps, for the parameter gradients after a backward pass's time loop:
/// <c>gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c]</c> for a few rows r at a time (<c>GradientRows{R}x{bits}</c>), and
/// <c>gradient[c] += Σ_t dz_t[c]</c> for a bias (<c>GradientRows0x{bits}</c>). Called by generated kernels; offsets and
/// lengths are not checked (the generated public members validate every span first, and a row is at least one
/// vector wide or has a previous panel before it in the same buffer).
/// </summary>
public static class GradientKernels
{
    /// <summary>
    /// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; 4, c &lt; width: scale_t is scaleStride floats after scale_{t-1},
    /// dz_t dzStride floats after dz_{t-1}. Register blocks of 4 row(s) × 4 vectors: each dz load serves every row. Each
    /// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows4x512(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 64 <= width; c += 64)
        {
            var sum00 = F512.Zero;
            var sum01 = F512.Zero;
            var sum02 = F512.Zero;
            var sum03 = F512.Zero;
            var sum10 = F512.Zero;
            var sum11 = F512.Zero;
            var sum12 = F512.Zero;
            var sum13 = F512.Zero;
            var sum20 = F512.Zero;
            var sum21 = F512.Zero;
            var sum22 = F512.Zero;
            var sum23 = F512.Zero;
            var sum30 = F512.Zero;
            var sum31 = F512.Zero;
            var sum32 = F512.Zero;
            var sum33 = F512.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref dzT, c);
                var d1 = V512.LoadUnsafe(ref dzT, c + 16);
                var d2 = V512.LoadUnsafe(ref dzT, c + 32);
                var d3 = V512.LoadUnsafe(ref dzT, c + 48);
                var u0 = V512.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                sum01 = MultiplyAdd(d1, u0, sum01);
                sum02 = MultiplyAdd(d2, u0, sum02);
                sum03 = MultiplyAdd(d3, u0, sum03);
                var u1 = V512.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                sum11 = MultiplyAdd(d1, u1, sum11);
                sum12 = MultiplyAdd(d2, u1, sum12);
                sum13 = MultiplyAdd(d3, u1, sum13);
                var u2 = V512.Create(U.Add(ref scaleT, 2));
                sum20 = MultiplyAdd(d0, u2, sum20);
                sum21 = MultiplyAdd(d1, u2, sum21);
                sum22 = MultiplyAdd(d2, u2, sum22);
                sum23 = MultiplyAdd(d3, u2, sum23);
                var u3 = V512.Create(U.Add(ref scaleT, 3));
                sum30 = MultiplyAdd(d0, u3, sum30);
                sum31 = MultiplyAdd(d1, u3, sum31);
                sum32 = MultiplyAdd(d2, u3, sum32);
                sum33 = MultiplyAdd(d3, u3, sum33);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 16) + sum01, ref gradient, c + 16);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 32) + sum02, ref gradient, c + 32);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 48) + sum03, ref gradient, c + 48);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 1 * width + c) + sum10, ref gradient, 1 * width + c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 1 * width + c + 16) + sum11, ref gradient, 1 * width + c + 16);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 1 * width + c + 32) + sum12, ref gradient, 1 * width + c + 32);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 1 * width + c + 48) + sum13, ref gradient, 1 * width + c + 48);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 2 * width + c) + sum20, ref gradient, 2 * width + c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 2 * width + c + 16) + sum21, ref gradient, 2 * width + c + 16);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 2 * width + c + 32) + sum22, ref gradient, 2 * width + c + 32);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 2 * width + c + 48) + sum23, ref gradient, 2 * width + c + 48);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 3 * width + c) + sum30, ref gradient, 3 * width + c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 3 * width + c + 16) + sum31, ref gradient, 3 * width + c + 16);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 3 * width + c + 32) + sum32, ref gradient, 3 * width + c + 32);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 3 * width + c + 48) + sum33, ref gradient, 3 * width + c + 48);
        }
        for (; c + 16 <= width; c += 16)
        {
            var sum00 = F512.Zero;
            var sum10 = F512.Zero;
            var sum20 = F512.Zero;
            var sum30 = F512.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref dzT, c);
                var u0 = V512.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                var u1 = V512.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                var u2 = V512.Create(U.Add(ref scaleT, 2));
                sum20 = MultiplyAdd(d0, u2, sum20);
                var u3 = V512.Create(U.Add(ref scaleT, 3));
                sum30 = MultiplyAdd(d0, u3, sum30);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 1 * width + c) + sum10, ref gradient, 1 * width + c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 2 * width + c) + sum20, ref gradient, 2 * width + c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, 3 * width + c) + sum30, ref gradient, 3 * width + c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom512((int)(16 - (width - c)));
            nint start = (nint)width - 16;
            var sum00 = F512.Zero;
            var sum10 = F512.Zero;
            var sum20 = F512.Zero;
            var sum30 = F512.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref U.Add(ref dzT, start));
                var u0 = V512.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                var u1 = V512.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                var u2 = V512.Create(U.Add(ref scaleT, 2));
                sum20 = MultiplyAdd(d0, u2, sum20);
                var u3 = V512.Create(U.Add(ref scaleT, 3));
                sum30 = MultiplyAdd(d0, u3, sum30);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            V512.StoreUnsafe(V512.LoadUnsafe(ref U.Add(ref gradient, (nint)(1 * width) + start)) + (sum10 & keep), ref U.Add(ref gradient, (nint)(1 * width) + start));
            V512.StoreUnsafe(V512.LoadUnsafe(ref U.Add(ref gradient, (nint)(2 * width) + start)) + (sum20 & keep), ref U.Add(ref gradient, (nint)(2 * width) + start));
            V512.StoreUnsafe(V512.LoadUnsafe(ref U.Add(ref gradient, (nint)(3 * width) + start)) + (sum30 & keep), ref U.Add(ref gradient, (nint)(3 * width) + start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; 1, c &lt; width: scale_t is scaleStride floats after scale_{t-1},
    /// dz_t dzStride floats after dz_{t-1}. Register blocks of 1 row(s) × 4 vectors: each dz load serves every row. Each
    /// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows1x512(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 64 <= width; c += 64)
        {
            var sum00 = F512.Zero;
            var sum01 = F512.Zero;
            var sum02 = F512.Zero;
            var sum03 = F512.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref dzT, c);
                var d1 = V512.LoadUnsafe(ref dzT, c + 16);
                var d2 = V512.LoadUnsafe(ref dzT, c + 32);
                var d3 = V512.LoadUnsafe(ref dzT, c + 48);
                var u0 = V512.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                sum01 = MultiplyAdd(d1, u0, sum01);
                sum02 = MultiplyAdd(d2, u0, sum02);
                sum03 = MultiplyAdd(d3, u0, sum03);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 16) + sum01, ref gradient, c + 16);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 32) + sum02, ref gradient, c + 32);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 48) + sum03, ref gradient, c + 48);
        }
        for (; c + 16 <= width; c += 16)
        {
            var sum00 = F512.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref dzT, c);
                var u0 = V512.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom512((int)(16 - (width - c)));
            nint start = (nint)width - 16;
            var sum00 = F512.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref U.Add(ref dzT, start));
                var u0 = V512.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[c] += Σ_t dz_t[c] for c &lt; width (a bias): dz_t is dzStride floats after dz_{t-1}.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows0x512(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 64 <= width; c += 64)
        {
            var sum00 = F512.Zero;
            var sum01 = F512.Zero;
            var sum02 = F512.Zero;
            var sum03 = F512.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref dzT, c);
                var d1 = V512.LoadUnsafe(ref dzT, c + 16);
                var d2 = V512.LoadUnsafe(ref dzT, c + 32);
                var d3 = V512.LoadUnsafe(ref dzT, c + 48);
                sum00 += d0;
                sum01 += d1;
                sum02 += d2;
                sum03 += d3;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 16) + sum01, ref gradient, c + 16);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 32) + sum02, ref gradient, c + 32);
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c + 48) + sum03, ref gradient, c + 48);
        }
        for (; c + 16 <= width; c += 16)
        {
            var sum00 = F512.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref dzT, c);
                sum00 += d0;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom512((int)(16 - (width - c)));
            nint start = (nint)width - 16;
            var sum00 = F512.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V512.LoadUnsafe(ref U.Add(ref dzT, start));
                sum00 += d0;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V512.StoreUnsafe(V512.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; 2, c &lt; width: scale_t is scaleStride floats after scale_{t-1},
    /// dz_t dzStride floats after dz_{t-1}. Register blocks of 2 row(s) × 3 vectors: each dz load serves every row. Each
    /// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows2x256(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 24 <= width; c += 24)
        {
            var sum00 = F256.Zero;
            var sum01 = F256.Zero;
            var sum02 = F256.Zero;
            var sum10 = F256.Zero;
            var sum11 = F256.Zero;
            var sum12 = F256.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref dzT, c);
                var d1 = V256.LoadUnsafe(ref dzT, c + 8);
                var d2 = V256.LoadUnsafe(ref dzT, c + 16);
                var u0 = V256.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                sum01 = MultiplyAdd(d1, u0, sum01);
                sum02 = MultiplyAdd(d2, u0, sum02);
                var u1 = V256.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                sum11 = MultiplyAdd(d1, u1, sum11);
                sum12 = MultiplyAdd(d2, u1, sum12);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c + 8) + sum01, ref gradient, c + 8);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c + 16) + sum02, ref gradient, c + 16);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, 1 * width + c) + sum10, ref gradient, 1 * width + c);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, 1 * width + c + 8) + sum11, ref gradient, 1 * width + c + 8);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, 1 * width + c + 16) + sum12, ref gradient, 1 * width + c + 16);
        }
        for (; c + 8 <= width; c += 8)
        {
            var sum00 = F256.Zero;
            var sum10 = F256.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref dzT, c);
                var u0 = V256.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                var u1 = V256.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, 1 * width + c) + sum10, ref gradient, 1 * width + c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom256((int)(8 - (width - c)));
            nint start = (nint)width - 8;
            var sum00 = F256.Zero;
            var sum10 = F256.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref U.Add(ref dzT, start));
                var u0 = V256.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                var u1 = V256.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            V256.StoreUnsafe(V256.LoadUnsafe(ref U.Add(ref gradient, (nint)(1 * width) + start)) + (sum10 & keep), ref U.Add(ref gradient, (nint)(1 * width) + start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; 1, c &lt; width: scale_t is scaleStride floats after scale_{t-1},
    /// dz_t dzStride floats after dz_{t-1}. Register blocks of 1 row(s) × 3 vectors: each dz load serves every row. Each
    /// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows1x256(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 24 <= width; c += 24)
        {
            var sum00 = F256.Zero;
            var sum01 = F256.Zero;
            var sum02 = F256.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref dzT, c);
                var d1 = V256.LoadUnsafe(ref dzT, c + 8);
                var d2 = V256.LoadUnsafe(ref dzT, c + 16);
                var u0 = V256.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                sum01 = MultiplyAdd(d1, u0, sum01);
                sum02 = MultiplyAdd(d2, u0, sum02);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c + 8) + sum01, ref gradient, c + 8);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c + 16) + sum02, ref gradient, c + 16);
        }
        for (; c + 8 <= width; c += 8)
        {
            var sum00 = F256.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref dzT, c);
                var u0 = V256.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom256((int)(8 - (width - c)));
            nint start = (nint)width - 8;
            var sum00 = F256.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref U.Add(ref dzT, start));
                var u0 = V256.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[c] += Σ_t dz_t[c] for c &lt; width (a bias): dz_t is dzStride floats after dz_{t-1}.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows0x256(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 24 <= width; c += 24)
        {
            var sum00 = F256.Zero;
            var sum01 = F256.Zero;
            var sum02 = F256.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref dzT, c);
                var d1 = V256.LoadUnsafe(ref dzT, c + 8);
                var d2 = V256.LoadUnsafe(ref dzT, c + 16);
                sum00 += d0;
                sum01 += d1;
                sum02 += d2;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c + 8) + sum01, ref gradient, c + 8);
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c + 16) + sum02, ref gradient, c + 16);
        }
        for (; c + 8 <= width; c += 8)
        {
            var sum00 = F256.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref dzT, c);
                sum00 += d0;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom256((int)(8 - (width - c)));
            nint start = (nint)width - 8;
            var sum00 = F256.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V256.LoadUnsafe(ref U.Add(ref dzT, start));
                sum00 += d0;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V256.StoreUnsafe(V256.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; 2, c &lt; width: scale_t is scaleStride floats after scale_{t-1},
    /// dz_t dzStride floats after dz_{t-1}. Register blocks of 2 row(s) × 3 vectors: each dz load serves every row. Each
    /// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows2x128(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 12 <= width; c += 12)
        {
            var sum00 = F128.Zero;
            var sum01 = F128.Zero;
            var sum02 = F128.Zero;
            var sum10 = F128.Zero;
            var sum11 = F128.Zero;
            var sum12 = F128.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref dzT, c);
                var d1 = V128.LoadUnsafe(ref dzT, c + 4);
                var d2 = V128.LoadUnsafe(ref dzT, c + 8);
                var u0 = V128.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                sum01 = MultiplyAdd(d1, u0, sum01);
                sum02 = MultiplyAdd(d2, u0, sum02);
                var u1 = V128.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                sum11 = MultiplyAdd(d1, u1, sum11);
                sum12 = MultiplyAdd(d2, u1, sum12);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c + 4) + sum01, ref gradient, c + 4);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c + 8) + sum02, ref gradient, c + 8);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, 1 * width + c) + sum10, ref gradient, 1 * width + c);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, 1 * width + c + 4) + sum11, ref gradient, 1 * width + c + 4);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, 1 * width + c + 8) + sum12, ref gradient, 1 * width + c + 8);
        }
        for (; c + 4 <= width; c += 4)
        {
            var sum00 = F128.Zero;
            var sum10 = F128.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref dzT, c);
                var u0 = V128.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                var u1 = V128.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, 1 * width + c) + sum10, ref gradient, 1 * width + c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom128((int)(4 - (width - c)));
            nint start = (nint)width - 4;
            var sum00 = F128.Zero;
            var sum10 = F128.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref U.Add(ref dzT, start));
                var u0 = V128.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                var u1 = V128.Create(U.Add(ref scaleT, 1));
                sum10 = MultiplyAdd(d0, u1, sum10);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            V128.StoreUnsafe(V128.LoadUnsafe(ref U.Add(ref gradient, (nint)(1 * width) + start)) + (sum10 & keep), ref U.Add(ref gradient, (nint)(1 * width) + start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[r·width + c] += Σ_t scale_t[r]·dz_t[c] for r &lt; 1, c &lt; width: scale_t is scaleStride floats after scale_{t-1},
    /// dz_t dzStride floats after dz_{t-1}. Register blocks of 1 row(s) × 3 vectors: each dz load serves every row. Each
    /// block's sum over the steps starts from zero and is added once, so two identical calls add exactly the same amount.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows1x128(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 12 <= width; c += 12)
        {
            var sum00 = F128.Zero;
            var sum01 = F128.Zero;
            var sum02 = F128.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref dzT, c);
                var d1 = V128.LoadUnsafe(ref dzT, c + 4);
                var d2 = V128.LoadUnsafe(ref dzT, c + 8);
                var u0 = V128.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                sum01 = MultiplyAdd(d1, u0, sum01);
                sum02 = MultiplyAdd(d2, u0, sum02);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c + 4) + sum01, ref gradient, c + 4);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c + 8) + sum02, ref gradient, c + 8);
        }
        for (; c + 4 <= width; c += 4)
        {
            var sum00 = F128.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref dzT, c);
                var u0 = V128.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom128((int)(4 - (width - c)));
            nint start = (nint)width - 4;
            var sum00 = F128.Zero;
            ref float dzT = ref dz;
            ref float scaleT = ref scale;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref U.Add(ref dzT, start));
                var u0 = V128.Create(scaleT);
                sum00 = MultiplyAdd(d0, u0, sum00);
                scaleT = ref U.Add(ref scaleT, scaleStride);
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            c = width;
        }
    }

    /// <summary>
    /// gradient[c] += Σ_t dz_t[c] for c &lt; width (a bias): dz_t is dzStride floats after dz_{t-1}.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit]
    public static void GradientRows0x128(ref float gradient, nuint width, ref float dz, nuint dzStride, ref float scale, nuint scaleStride, int steps)
    {
        nuint c = 0;
        for (; c + 12 <= width; c += 12)
        {
            var sum00 = F128.Zero;
            var sum01 = F128.Zero;
            var sum02 = F128.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref dzT, c);
                var d1 = V128.LoadUnsafe(ref dzT, c + 4);
                var d2 = V128.LoadUnsafe(ref dzT, c + 8);
                sum00 += d0;
                sum01 += d1;
                sum02 += d2;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c + 4) + sum01, ref gradient, c + 4);
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c + 8) + sum02, ref gradient, c + 8);
        }
        for (; c + 4 <= width; c += 4)
        {
            var sum00 = F128.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref dzT, c);
                sum00 += d0;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref gradient, c) + sum00, ref gradient, c);
        }
        if (c < width)
        {
            // The last vector ends at the row's end and overlaps the previous one: only its last width - c lanes are added. In a
            // panel narrower than a vector it starts before the row (in the previous panel's columns): those lanes add zero.
            var keep = LanesFrom128((int)(4 - (width - c)));
            nint start = (nint)width - 4;
            var sum00 = F128.Zero;
            ref float dzT = ref dz;
            for (int t = 0; t < steps; t++)
            {
                var d0 = V128.LoadUnsafe(ref U.Add(ref dzT, start));
                sum00 += d0;
                dzT = ref U.Add(ref dzT, dzStride);
            }
            V128.StoreUnsafe(V128.LoadUnsafe(ref U.Add(ref gradient, start)) + (sum00 & keep), ref U.Add(ref gradient, start));
            c = width;
        }
    }
}
