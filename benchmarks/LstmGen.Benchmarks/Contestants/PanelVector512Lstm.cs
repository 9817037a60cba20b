using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LstmGen.Kernels;

namespace LstmGen.Benchmarks.Contestants;

/// <summary>How many zmm accumulators a panel keeps (a JIT-time constant through a struct type argument).</summary>
public interface IPanelWidth
{
    static abstract int Vectors { get; }
}

#pragma warning disable SA1649, SA1402 // one tiny struct per width
public struct Width2 : IPanelWidth { public static int Vectors => 2; }
public struct Width4 : IPanelWidth { public static int Vectors => 4; }
public struct Width6 : IPanelWidth { public static int Vectors => 6; }
public struct Width8 : IPanelWidth { public static int Vectors => 8; }
public struct Width10 : IPanelWidth { public static int Vectors => 10; }
public struct Width12 : IPanelWidth { public static int Vectors => 12; }
public struct Width14 : IPanelWidth { public static int Vectors => 14; }
public struct Width16 : IPanelWidth { public static int Vectors => 16; }
#pragma warning restore SA1649, SA1402

/// <summary>
/// The kernel of contestant 4: a runtime-sized AVX-512 LSTM step with panel-packed weights — the strongest
/// kernel I know how to write without knowing the sizes at compile time.
/// </summary>
/// <remarks>
/// <para>
/// Hidden units form groups of 16 (one zmm per gate: i, f, g, o) and, when H is an odd multiple of 8, one last
/// half group of 8 units in two zmm (i|f and g|o). Consecutive groups form <em>panels</em> of at most 16 zmm
/// columns, the accumulators a step keeps in registers. Per panel, memory holds a bias row (b_ih + b_hh), then
/// the I rows of W_ih and the H rows of W_hh restricted to the panel's columns, each row the panel's 16·W
/// floats; panel after panel. A step therefore reads the whole weight array strictly front to back, one
/// sequential stream, loading each weight once.
/// </para>
/// <para>
/// Per row one broadcast of the row's input element ([x; h_{t-1}] is copied into one scratch vector first,
/// which also makes an in-place step safe) and W fused multiply-adds with the weights as memory operands.
/// Panels of at most 8 zmm (small H) split the rows into two interleaved chains so the FMA latency is hidden.
/// The gates and the cell update run from the registers right after each panel's rows, so the activations of
/// one panel overlap with the next panel's loads. Only the sizes are not constants: the register blocking (the
/// panel width) is a type argument chosen per panel at run time, as in a BLAS micro-kernel.
/// </para>
/// </remarks>
public sealed class PanelLstmKernel<TActivations>
    where TActivations : struct, IVectorActivations
{
    private readonly int _i, _h, _rows, _fullPanels, _lastWidth, _fullPanelFloats;
    private readonly AlignedBuffer _weights, _v;

    public PanelLstmKernel(int inputSize, int hiddenSize, ReadOnlySpan<float> weightIh, ReadOnlySpan<float> weightHh, ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh)
    {
        if (!Avx512F.IsSupported)
        {
            throw new PlatformNotSupportedException("The panel Vector512 contestant needs AVX-512.");
        }

        if (hiddenSize % 8 != 0)
        {
            throw new ArgumentException("This kernel handles H a multiple of 8.", nameof(hiddenSize));
        }

        _i = inputSize;
        _h = hiddenSize;
        _rows = inputSize + hiddenSize;
        int vectors = hiddenSize / 16 * 4 + (hiddenSize % 16 == 8 ? 2 : 0);
        _fullPanels = vectors / 16;
        _lastWidth = vectors % 16;
        _fullPanelFloats = 16 * 16 * (_rows + 1);
        _weights = new AlignedBuffer(16 * vectors * (_rows + 1));
        _v = new AlignedBuffer(_rows);

        // Pack: panel by panel, row 0 = summed bias, rows 1…I = W_ih[:, k], rows I+1… = W_hh[:, j].
        Span<float> packed = _weights.Span;
        int panelStart = 0;
        for (int unitStart = 0; unitStart < hiddenSize; unitStart += 64)
        {
            int units = Math.Min(64, hiddenSize - unitStart);
            int width = units / 16 * 4 + (units % 16 == 8 ? 2 : 0);
            int rowFloats = 16 * width;
            for (int u = unitStart; u < unitStart + units; u++)
            {
                int local = u - unitStart, group = local / 16, lane = local % 16;
                bool half = units - group * 16 == 8;
                for (int gate = 0; gate < 4; gate++)
                {
                    int column = half ? (4 * group + gate / 2) * 16 + gate % 2 * 8 + lane : (4 * group + gate) * 16 + lane;
                    int r = gate * hiddenSize + u;
                    packed[panelStart + column] = biasIh[r] + biasHh[r];
                    for (int k = 0; k < inputSize; k++)
                    {
                        packed[panelStart + (1 + k) * rowFloats + column] = weightIh[r * inputSize + k];
                    }

                    for (int j = 0; j < hiddenSize; j++)
                    {
                        packed[panelStart + (1 + inputSize + j) * rowFloats + column] = weightHh[r * hiddenSize + j];
                    }
                }
            }

            panelStart += rowFloats * (_rows + 1);
        }
    }

    public int InputSize => _i;

    public int HiddenSize => _h;

    /// <summary>One step in place: <paramref name="hidden"/> and <paramref name="cell"/> hold h_{t-1}, c_{t-1} and receive h_t, c_t.</summary>
    public void Step(ReadOnlySpan<float> input, Span<float> hidden, Span<float> cell)
    {
        if (input.Length != _i || hidden.Length != _h || cell.Length != _h)
        {
            throw new ArgumentException("wrong span length");
        }

        StepCore(ref MemoryMarshal.GetReference(input), ref MemoryMarshal.GetReference(hidden), ref MemoryMarshal.GetReference(hidden), ref MemoryMarshal.GetReference(cell));
    }

    /// <summary>One step reading h_{t-1} from <paramref name="hiddenIn"/> and writing h_t to <paramref name="hiddenOut"/> (may alias).</summary>
    public void StepCore(ref float x, ref float hiddenIn, ref float hiddenOut, ref float cell)
    {
        ref float v = ref _v.Reference;
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref v), ref Unsafe.As<float, byte>(ref x), (uint)(_i * sizeof(float)));
        Unsafe.CopyBlockUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref v, _i)), ref Unsafe.As<float, byte>(ref hiddenIn), (uint)(_h * sizeof(float)));
        ref float w = ref _weights.Reference;
        nuint rows = (nuint)_rows;
        int unit = 0;
        for (int p = 0; p < _fullPanels; p++)
        {
            Panel<Width16>(ref w, ref v, rows, ref Unsafe.Add(ref cell, unit), ref Unsafe.Add(ref hiddenOut, unit));
            w = ref Unsafe.Add(ref w, _fullPanelFloats);
            unit += 64;
        }

        ref float c = ref Unsafe.Add(ref cell, unit);
        ref float h = ref Unsafe.Add(ref hiddenOut, unit);
        switch (_lastWidth)
        {
            case 2: Panel<Width2>(ref w, ref v, rows, ref c, ref h); break;
            case 4: Panel<Width4>(ref w, ref v, rows, ref c, ref h); break;
            case 6: Panel<Width6>(ref w, ref v, rows, ref c, ref h); break;
            case 8: Panel<Width8>(ref w, ref v, rows, ref c, ref h); break;
            case 10: Panel<Width10>(ref w, ref v, rows, ref c, ref h); break;
            case 12: Panel<Width12>(ref w, ref v, rows, ref c, ref h); break;
            case 14: Panel<Width14>(ref w, ref v, rows, ref c, ref h); break;
        }
    }

    // One panel: W accumulators start from the bias row, every row streams past once, then the cell update runs
    // from the registers for the panel's units.
    private static void Panel<TW>(ref float w, ref float v, nuint rows, ref float c, ref float h)
        where TW : struct, IPanelWidth
    {
        nuint stride = (nuint)(16 * TW.Vectors);
        Vector512<float> a0 = default;
        Vector512<float> a1 = default;
        Vector512<float> a2 = default;
        Vector512<float> a3 = default;
        Vector512<float> a4 = default;
        Vector512<float> a5 = default;
        Vector512<float> a6 = default;
        Vector512<float> a7 = default;
        Vector512<float> a8 = default;
        Vector512<float> a9 = default;
        Vector512<float> a10 = default;
        Vector512<float> a11 = default;
        Vector512<float> a12 = default;
        Vector512<float> a13 = default;
        Vector512<float> a14 = default;
        Vector512<float> a15 = default;

        // The bias row starts every accumulator.
        if (TW.Vectors > 0) a0 = Vector512.LoadUnsafe(ref w, 0);
        if (TW.Vectors > 1) a1 = Vector512.LoadUnsafe(ref w, 16);
        if (TW.Vectors > 2) a2 = Vector512.LoadUnsafe(ref w, 32);
        if (TW.Vectors > 3) a3 = Vector512.LoadUnsafe(ref w, 48);
        if (TW.Vectors > 4) a4 = Vector512.LoadUnsafe(ref w, 64);
        if (TW.Vectors > 5) a5 = Vector512.LoadUnsafe(ref w, 80);
        if (TW.Vectors > 6) a6 = Vector512.LoadUnsafe(ref w, 96);
        if (TW.Vectors > 7) a7 = Vector512.LoadUnsafe(ref w, 112);
        if (TW.Vectors > 8) a8 = Vector512.LoadUnsafe(ref w, 128);
        if (TW.Vectors > 9) a9 = Vector512.LoadUnsafe(ref w, 144);
        if (TW.Vectors > 10) a10 = Vector512.LoadUnsafe(ref w, 160);
        if (TW.Vectors > 11) a11 = Vector512.LoadUnsafe(ref w, 176);
        if (TW.Vectors > 12) a12 = Vector512.LoadUnsafe(ref w, 192);
        if (TW.Vectors > 13) a13 = Vector512.LoadUnsafe(ref w, 208);
        if (TW.Vectors > 14) a14 = Vector512.LoadUnsafe(ref w, 224);
        if (TW.Vectors > 15) a15 = Vector512.LoadUnsafe(ref w, 240);

        ref float row = ref Unsafe.Add(ref w, stride);
        nuint k = 0;
        if (TW.Vectors <= 8)
        {
            // Few accumulators: even rows into a0…, odd rows into b0…, two independent chains per column.
            Vector512<float> b0 = default;
            Vector512<float> b1 = default;
            Vector512<float> b2 = default;
            Vector512<float> b3 = default;
            Vector512<float> b4 = default;
            Vector512<float> b5 = default;
            Vector512<float> b6 = default;
            Vector512<float> b7 = default;
            for (; k + 2 <= rows; k += 2)
            {
                var s = Vector512.Create(Unsafe.Add(ref v, k));
                var t = Vector512.Create(Unsafe.Add(ref v, k + 1));
                ref float next = ref Unsafe.Add(ref row, stride);
                if (TW.Vectors > 0) a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
                if (TW.Vectors > 1) a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
                if (TW.Vectors > 2) a2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
                if (TW.Vectors > 3) a3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
                if (TW.Vectors > 4) a4 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 64), s, a4);
                if (TW.Vectors > 5) a5 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 80), s, a5);
                if (TW.Vectors > 6) a6 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 96), s, a6);
                if (TW.Vectors > 7) a7 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 112), s, a7);
                if (TW.Vectors > 0) b0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 0), t, b0);
                if (TW.Vectors > 1) b1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 16), t, b1);
                if (TW.Vectors > 2) b2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 32), t, b2);
                if (TW.Vectors > 3) b3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 48), t, b3);
                if (TW.Vectors > 4) b4 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 64), t, b4);
                if (TW.Vectors > 5) b5 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 80), t, b5);
                if (TW.Vectors > 6) b6 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 96), t, b6);
                if (TW.Vectors > 7) b7 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref next, 112), t, b7);
                row = ref Unsafe.Add(ref next, stride);
            }

            if (TW.Vectors > 0) a0 += b0;
            if (TW.Vectors > 1) a1 += b1;
            if (TW.Vectors > 2) a2 += b2;
            if (TW.Vectors > 3) a3 += b3;
            if (TW.Vectors > 4) a4 += b4;
            if (TW.Vectors > 5) a5 += b5;
            if (TW.Vectors > 6) a6 += b6;
            if (TW.Vectors > 7) a7 += b7;
        }

        for (; k < rows; k++)
        {
            var s = Vector512.Create(Unsafe.Add(ref v, k));
            if (TW.Vectors > 0) a0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 0), s, a0);
            if (TW.Vectors > 1) a1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 16), s, a1);
            if (TW.Vectors > 2) a2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 32), s, a2);
            if (TW.Vectors > 3) a3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 48), s, a3);
            if (TW.Vectors > 4) a4 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 64), s, a4);
            if (TW.Vectors > 5) a5 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 80), s, a5);
            if (TW.Vectors > 6) a6 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 96), s, a6);
            if (TW.Vectors > 7) a7 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 112), s, a7);
            if (TW.Vectors > 8) a8 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 128), s, a8);
            if (TW.Vectors > 9) a9 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 144), s, a9);
            if (TW.Vectors > 10) a10 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 160), s, a10);
            if (TW.Vectors > 11) a11 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 176), s, a11);
            if (TW.Vectors > 12) a12 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 192), s, a12);
            if (TW.Vectors > 13) a13 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 208), s, a13);
            if (TW.Vectors > 14) a14 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 224), s, a14);
            if (TW.Vectors > 15) a15 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref row, 240), s, a15);
            row = ref Unsafe.Add(ref row, stride);
        }
        // Gates and cell per group of 16 units (4 zmm), then the half group (2 zmm), if any.
        if (TW.Vectors >= 4) Cell(a0, a1, a2, a3, ref c, ref h, 0);
        if (TW.Vectors >= 8) Cell(a4, a5, a6, a7, ref c, ref h, 16);
        if (TW.Vectors >= 12) Cell(a8, a9, a10, a11, ref c, ref h, 32);
        if (TW.Vectors >= 16) Cell(a12, a13, a14, a15, ref c, ref h, 48);
        switch (TW.Vectors)
        {
            case 2: HalfCell(a0, a1, ref c, ref h, 0); break;
            case 6: HalfCell(a4, a5, ref c, ref h, 16); break;
            case 10: HalfCell(a8, a9, ref c, ref h, 32); break;
            case 14: HalfCell(a12, a13, ref c, ref h, 48); break;
        }
    }

    // i, f, o = σ, g = tanh; c = f ⊙ c + i ⊙ g; h = o ⊙ tanh(c).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Cell(Vector512<float> zi, Vector512<float> zf, Vector512<float> zg, Vector512<float> zo, ref float c, ref float h, nuint offset)
    {
        var i = TActivations.Sigmoid(zi);
        var f = TActivations.Sigmoid(zf);
        var g = TActivations.Tanh(zg);
        var o = TActivations.Sigmoid(zo);
        var cn = Avx512F.FusedMultiplyAdd(f, Vector512.LoadUnsafe(ref c, offset), i * g);
        cn.StoreUnsafe(ref c, offset);
        (o * TActivations.Tanh(cn)).StoreUnsafe(ref h, offset);
    }

    // The half group: zif = [i | f], zgo = [g | o] for 8 units.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HalfCell(Vector512<float> zif, Vector512<float> zgo, ref float c, ref float h, nuint offset)
    {
        var sif = TActivations.Sigmoid(zif);
        var go = TActivations.TanhLowerSigmoidUpper(zgo);
        var cn = Fma.MultiplyAdd(sif.GetUpper(), Vector256.LoadUnsafe(ref c, offset), sif.GetLower() * go.GetLower());
        cn.StoreUnsafe(ref c, offset);
        (go.GetUpper() * TActivations.Tanh(cn)).StoreUnsafe(ref h, offset);
    }
}

/// <summary>
/// Contestant 4, the bar the targets are measured against: <see cref="PanelLstmKernel{TActivations}"/> on the shared
/// workload. <see cref="ExpActivations"/> (Vector512.Exp, what .NET offers out of the box) is contestant 4;
/// <see cref="RationalActivations"/> (LstmGen's) is 4b. Forward is a loop of steps.
/// </summary>
public sealed class PanelVector512Lstm<TActivations> : IContestant
    where TActivations : struct, IVectorActivations
{
    private readonly PanelLstmKernel<TActivations> _kernel;
    private readonly int _i, _h;
    private readonly float[] _hidden, _cell, _output, _x0;
    private readonly Workload _workload;

    public PanelVector512Lstm(Weights weights, Workload workload)
    {
        _i = weights.InputSize;
        _h = weights.HiddenSize;
        _kernel = new PanelLstmKernel<TActivations>(_i, _h, weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh);
        _hidden = new float[_h];
        _cell = new float[_h];
        _workload = workload;
        _output = new float[workload.Steps * _h];
        _x0 = workload.Input.AsSpan(0, _i).ToArray();
    }

    public string Name => TActivations.Name + " panels";

    public ReadOnlySpan<float> Hidden => _hidden;

    public void Reset()
    {
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }

    public void Step()
    {
        ref float h = ref MemoryMarshal.GetArrayDataReference(_hidden);
        _kernel.StepCore(ref MemoryMarshal.GetArrayDataReference(_x0), ref h, ref h, ref MemoryMarshal.GetArrayDataReference(_cell));
    }

    public void Forward()
    {
        ref float x = ref MemoryMarshal.GetArrayDataReference(_workload.Input);
        ref float y = ref MemoryMarshal.GetArrayDataReference(_output);
        ref float c = ref MemoryMarshal.GetArrayDataReference(_cell);
        ref float hiddenIn = ref MemoryMarshal.GetArrayDataReference(_hidden);
        for (int t = 0; t < _workload.Steps; t++)
        {
            ref float hiddenOut = ref Unsafe.Add(ref y, t * _h);
            _kernel.StepCore(ref Unsafe.Add(ref x, t * _i), ref hiddenIn, ref hiddenOut, ref c);
            hiddenIn = ref hiddenOut;
        }

        MemoryMarshal.CreateReadOnlySpan(ref hiddenIn, _h).CopyTo(_hidden);
    }
}
