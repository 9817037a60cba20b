using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using LstmGen.Kernels;

namespace LstmGen.Benchmarks.Contestants;

/// <summary>
/// Contestant 4-old (the bar until 2026-11-30; the new contestant 4 is <see cref="PanelVector512Lstm{TActivations}"/>).
/// Transposed weights (each input element or hidden unit broadcast over its contiguous row of 4H gate weights), register-blocked
/// accumulators over 4H (blocks of 16, 8, 4 and 1 Vector512), biases pre-summed and folded into the accumulators,
/// refs instead of bounds checks, 64-byte-aligned buffers. Only the sizes are not constants. The activations are a
/// type argument: <see cref="ExpActivations"/> (the standard .NET route, the contestant the targets refer to) or
/// <see cref="RationalActivations"/> (LstmGen's, to separate the gain from specialization from that of activations).
/// </summary>
public sealed class TransposedVector512Lstm<TActivations> : IContestant
    where TActivations : struct, IVectorActivations
{
    private readonly int _i, _h, _g;
    private readonly AlignedBuffer _weights, _bias, _z;
    private readonly float[] _hidden, _cell, _output, _x0;
    private readonly Workload _workload;

    public TransposedVector512Lstm(Weights weights, Workload workload)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            throw new PlatformNotSupportedException("The Vector512 contestant needs AVX-512.");
        }

        _i = weights.InputSize;
        _h = weights.HiddenSize;
        _g = 4 * _h;
        if (_g % 16 != 0)
        {
            throw new ArgumentException("This kernel handles 4H a multiple of 16 (H a multiple of 4).");
        }

        (_weights, _bias) = weights.TransposedWithSummedBias();
        _z = new AlignedBuffer(_g);

        _hidden = new float[_h];
        _cell = new float[_h];
        _workload = workload;
        _output = new float[workload.Steps * _h];
        _x0 = workload.Input.AsSpan(0, _i).ToArray();
    }

    public string Name => TActivations.Name + " transposed (4-old)";

    public ReadOnlySpan<float> Hidden => _hidden;

    public void Reset()
    {
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }

    public void Step() => StepCore(ref MemoryMarshal.GetArrayDataReference(_x0), ref MemoryMarshal.GetArrayDataReference(_hidden), ref MemoryMarshal.GetArrayDataReference(_hidden));

    public void Forward()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_workload.Input);
        ref float y = ref MemoryMarshal.GetArrayDataReference(_output);
        ref float hiddenIn = ref MemoryMarshal.GetArrayDataReference(_hidden);
        for (int t = 0; t < _workload.Steps; t++)
        {
            ref float hiddenOut = ref Unsafe.Add(ref y, t * _h);
            StepCore(ref Unsafe.Add(ref x, t * _i), ref hiddenIn, ref hiddenOut);
            hiddenIn = ref hiddenOut;
        }

        MemoryMarshal.CreateReadOnlySpan(ref hiddenIn, _h).CopyTo(_hidden);
    }

    private void StepCore(ref float x, ref float hiddenIn, ref float hiddenOut)
    {
        ref float w = ref _weights.Reference;
        ref float b = ref _bias.Reference;
        ref float z = ref _z.Reference;
        int column = 0;
        for (; column + 256 <= _g; column += 256)
        {
            Block16(ref Unsafe.Add(ref w, column), ref Unsafe.Add(ref b, column), ref Unsafe.Add(ref z, column), ref x, ref hiddenIn);
        }

        for (; column + 128 <= _g; column += 128)
        {
            Block8(ref Unsafe.Add(ref w, column), ref Unsafe.Add(ref b, column), ref Unsafe.Add(ref z, column), ref x, ref hiddenIn);
        }

        for (; column + 64 <= _g; column += 64)
        {
            Block4(ref Unsafe.Add(ref w, column), ref Unsafe.Add(ref b, column), ref Unsafe.Add(ref z, column), ref x, ref hiddenIn);
        }

        for (; column < _g; column += 16)
        {
            Block1(ref Unsafe.Add(ref w, column), ref Unsafe.Add(ref b, column), ref Unsafe.Add(ref z, column), ref x, ref hiddenIn);
        }

        // Gates and cell: i, f, o = σ, g = tanh; c = f ⊙ c + i ⊙ g; h = o ⊙ tanh(c).
        ref float c = ref MemoryMarshal.GetArrayDataReference(_cell);
        int h = _h, j = 0;
        for (; j + 16 <= h; j += 16)
        {
            var ig = TActivations.Sigmoid(Vector512.LoadUnsafe(ref z, (nuint)j));
            var fg = TActivations.Sigmoid(Vector512.LoadUnsafe(ref z, (nuint)(h + j)));
            var gg = TActivations.Tanh(Vector512.LoadUnsafe(ref z, (nuint)(2 * h + j)));
            var og = TActivations.Sigmoid(Vector512.LoadUnsafe(ref z, (nuint)(3 * h + j)));
            var cn = Simd.MultiplyAdd(fg, Vector512.LoadUnsafe(ref c, (nuint)j), ig * gg);
            cn.StoreUnsafe(ref c, (nuint)j);
            (og * TActivations.Tanh(cn)).StoreUnsafe(ref hiddenOut, (nuint)j);
        }

        for (; j + 8 <= h; j += 8)
        {
            var ig = TActivations.Sigmoid(Vector256.LoadUnsafe(ref z, (nuint)j));
            var fg = TActivations.Sigmoid(Vector256.LoadUnsafe(ref z, (nuint)(h + j)));
            var gg = TActivations.Tanh(Vector256.LoadUnsafe(ref z, (nuint)(2 * h + j)));
            var og = TActivations.Sigmoid(Vector256.LoadUnsafe(ref z, (nuint)(3 * h + j)));
            var cn = Simd.MultiplyAdd(fg, Vector256.LoadUnsafe(ref c, (nuint)j), ig * gg);
            cn.StoreUnsafe(ref c, (nuint)j);
            (og * TActivations.Tanh(cn)).StoreUnsafe(ref hiddenOut, (nuint)j);
        }

        for (; j < h; j++)
        {
            float ig = Activation.Sigmoid(Unsafe.Add(ref z, j)), fg = Activation.Sigmoid(Unsafe.Add(ref z, h + j));
            float gg = Activation.Tanh(Unsafe.Add(ref z, 2 * h + j)), og = Activation.Sigmoid(Unsafe.Add(ref z, 3 * h + j));
            float cn = fg * Unsafe.Add(ref c, j) + ig * gg;
            Unsafe.Add(ref c, j) = cn;
            Unsafe.Add(ref hiddenOut, j) = og * Activation.Tanh(cn);
        }
    }

    // 16 accumulators (256 gate columns) stay in registers while every row streams past once; the x rows, then the h rows.
    private void Block16(ref float w, ref float b, ref float z, ref float x, ref float hidden)
    {
        var a0 = Vector512.LoadUnsafe(ref b, 0);
        var a1 = Vector512.LoadUnsafe(ref b, 16);
        var a2 = Vector512.LoadUnsafe(ref b, 32);
        var a3 = Vector512.LoadUnsafe(ref b, 48);
        var a4 = Vector512.LoadUnsafe(ref b, 64);
        var a5 = Vector512.LoadUnsafe(ref b, 80);
        var a6 = Vector512.LoadUnsafe(ref b, 96);
        var a7 = Vector512.LoadUnsafe(ref b, 112);
        var a8 = Vector512.LoadUnsafe(ref b, 128);
        var a9 = Vector512.LoadUnsafe(ref b, 144);
        var a10 = Vector512.LoadUnsafe(ref b, 160);
        var a11 = Vector512.LoadUnsafe(ref b, 176);
        var a12 = Vector512.LoadUnsafe(ref b, 192);
        var a13 = Vector512.LoadUnsafe(ref b, 208);
        var a14 = Vector512.LoadUnsafe(ref b, 224);
        var a15 = Vector512.LoadUnsafe(ref b, 240);
        nuint g = (nuint)_g;
        ref float row = ref w;
        for (int r = 0; r < _i; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref x, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            a1 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            a2 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            a3 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            a4 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 64), s, a4);
            a5 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 80), s, a5);
            a6 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 96), s, a6);
            a7 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 112), s, a7);
            a8 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 128), s, a8);
            a9 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 144), s, a9);
            a10 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 160), s, a10);
            a11 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 176), s, a11);
            a12 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 192), s, a12);
            a13 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 208), s, a13);
            a14 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 224), s, a14);
            a15 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 240), s, a15);
            row = ref Unsafe.Add(ref row, g);
        }

        for (int r = 0; r < _h; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref hidden, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            a1 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            a2 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            a3 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            a4 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 64), s, a4);
            a5 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 80), s, a5);
            a6 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 96), s, a6);
            a7 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 112), s, a7);
            a8 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 128), s, a8);
            a9 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 144), s, a9);
            a10 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 160), s, a10);
            a11 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 176), s, a11);
            a12 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 192), s, a12);
            a13 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 208), s, a13);
            a14 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 224), s, a14);
            a15 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 240), s, a15);
            row = ref Unsafe.Add(ref row, g);
        }

        a0.StoreUnsafe(ref z, 0);
        a1.StoreUnsafe(ref z, 16);
        a2.StoreUnsafe(ref z, 32);
        a3.StoreUnsafe(ref z, 48);
        a4.StoreUnsafe(ref z, 64);
        a5.StoreUnsafe(ref z, 80);
        a6.StoreUnsafe(ref z, 96);
        a7.StoreUnsafe(ref z, 112);
        a8.StoreUnsafe(ref z, 128);
        a9.StoreUnsafe(ref z, 144);
        a10.StoreUnsafe(ref z, 160);
        a11.StoreUnsafe(ref z, 176);
        a12.StoreUnsafe(ref z, 192);
        a13.StoreUnsafe(ref z, 208);
        a14.StoreUnsafe(ref z, 224);
        a15.StoreUnsafe(ref z, 240);
    }

    private void Block8(ref float w, ref float b, ref float z, ref float x, ref float hidden)
    {
        var a0 = Vector512.LoadUnsafe(ref b, 0);
        var a1 = Vector512.LoadUnsafe(ref b, 16);
        var a2 = Vector512.LoadUnsafe(ref b, 32);
        var a3 = Vector512.LoadUnsafe(ref b, 48);
        var a4 = Vector512.LoadUnsafe(ref b, 64);
        var a5 = Vector512.LoadUnsafe(ref b, 80);
        var a6 = Vector512.LoadUnsafe(ref b, 96);
        var a7 = Vector512.LoadUnsafe(ref b, 112);
        nuint g = (nuint)_g;
        ref float row = ref w;
        for (int r = 0; r < _i; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref x, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            a1 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            a2 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            a3 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            a4 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 64), s, a4);
            a5 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 80), s, a5);
            a6 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 96), s, a6);
            a7 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 112), s, a7);
            row = ref Unsafe.Add(ref row, g);
        }

        for (int r = 0; r < _h; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref hidden, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            a1 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            a2 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            a3 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            a4 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 64), s, a4);
            a5 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 80), s, a5);
            a6 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 96), s, a6);
            a7 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 112), s, a7);
            row = ref Unsafe.Add(ref row, g);
        }

        a0.StoreUnsafe(ref z, 0);
        a1.StoreUnsafe(ref z, 16);
        a2.StoreUnsafe(ref z, 32);
        a3.StoreUnsafe(ref z, 48);
        a4.StoreUnsafe(ref z, 64);
        a5.StoreUnsafe(ref z, 80);
        a6.StoreUnsafe(ref z, 96);
        a7.StoreUnsafe(ref z, 112);
    }

    private void Block4(ref float w, ref float b, ref float z, ref float x, ref float hidden)
    {
        var a0 = Vector512.LoadUnsafe(ref b, 0);
        var a1 = Vector512.LoadUnsafe(ref b, 16);
        var a2 = Vector512.LoadUnsafe(ref b, 32);
        var a3 = Vector512.LoadUnsafe(ref b, 48);
        nuint g = (nuint)_g;
        ref float row = ref w;
        for (int r = 0; r < _i; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref x, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            a1 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            a2 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            a3 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            row = ref Unsafe.Add(ref row, g);
        }

        for (int r = 0; r < _h; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref hidden, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            a1 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            a2 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            a3 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            row = ref Unsafe.Add(ref row, g);
        }

        a0.StoreUnsafe(ref z, 0);
        a1.StoreUnsafe(ref z, 16);
        a2.StoreUnsafe(ref z, 32);
        a3.StoreUnsafe(ref z, 48);
    }

    private void Block1(ref float w, ref float b, ref float z, ref float x, ref float hidden)
    {
        var a0 = Vector512.LoadUnsafe(ref b, 0);
        nuint g = (nuint)_g;
        ref float row = ref w;
        for (int r = 0; r < _i; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref x, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            row = ref Unsafe.Add(ref row, g);
        }

        for (int r = 0; r < _h; r++)
        {
            var s = Vector512.Create(Unsafe.Add(ref hidden, r));
            a0 = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            row = ref Unsafe.Add(ref row, g);
        }

        a0.StoreUnsafe(ref z, 0);
    }
}
