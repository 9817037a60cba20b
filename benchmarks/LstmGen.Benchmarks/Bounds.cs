using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using LstmGen.Benchmarks.Contestants;
using LstmGen.Kernels;

namespace LstmGen.Benchmarks;

/// <summary>
/// <c>--bounds [rounds]</c>: the measurements behind "What bounds each size" in <c>benchmarks/README.md</c> (AVX-512 only).
/// Rounds interleave the cases of each table; medians over the rounds.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item><description>The machine: the clock from a chain of dependent integer adds (1 cycle each), the latency of one
/// dependent zmm FMA, and the FMA throughput (12 independent chains).</description></item>
/// <item><description>Per LSTM shape: the bytes one <c>Step</c> reads (the packed parameters) and the rate it reads them at,
/// against two loops over a buffer of the same size with nothing else to do: a plain sequential read (loads summed
/// into 8 accumulators) and the kernel's access pattern (per 1 KB row one broadcast and 16 zmm FMAs with memory
/// operands into 16 accumulators, a full panel); and the plain read alternating its direction from call to call, as the
/// generated <c>Forward</c> alternates its W_hh rows, so each pass starts with what the last one left in the caches.</description></item>
/// <item><description>Latency: <c>Step</c> on one state (each step waits for the previous h) against round robin over 4
/// independent states (steps of different states can overlap in the out-of-order window).</description></item>
/// <item><description>The backward pass per step, phase by phase, by calling the generated kernel class's AVX-512 methods
/// as <c>BackwardSequence512</c> does: the tape recording, ∂L/∂h_{t-1} = W_hhᵀ·dz per step, ∂L/∂x after the loop, the
/// parameter gradients after the loop; the cell's backward (with the loop) is what remains of the whole.</description></item>
/// </list>
/// </remarks>
public static class Bounds
{
    private const int Steps = ContestantSet.SequenceLength;

    public static int Run(string[] args)
    {
        if (!Avx512F.IsSupported)
        {
            Console.Error.WriteLine("--bounds measures the AVX-512 kernels; this machine has no AVX-512.");
            return 2;
        }

        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 5;
        Console.WriteLine($"--bounds: {rounds} rounds, medians; {Environment.ProcessorCount} CPUs, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        RunMachine(rounds);
        var shapes = ContestantSet.Shapes.Select(ContestantSet.ParseShape).ToArray();
        RunStreams(rounds, shapes);
        RunLatency(rounds, shapes.Where(s => s.InputSize == 1).ToArray());
        RunBackward(rounds, shapes);
        return 0;
    }

    private static string F(double value, string format = "F1") => value.ToString(format, CultureInfo.InvariantCulture);

    private static void RunMachine(int rounds)
    {
        const long Iterations = 20_000_000;
        double[] m = QuickComparison.Medians(
            new Action[]
            {
                () => GC.KeepAlive(DependentAdds(Iterations, 3)),
                () => GC.KeepAlive(DependentFusedMultiplyAdds(Iterations)),
            },
            rounds);
        double peak = Enumerable.Range(0, rounds).Max(_ => BatchStepper.MeasureFusedMultiplyAddPeak());
        double ghz = 8 * Iterations / m[0];
        double fmaLatency = m[1] / (8 * Iterations);
        Console.WriteLine();
        Console.WriteLine($"Clock (8 dependent integer adds per iteration, 1 cycle each): {F(ghz, "F2")} GHz");
        Console.WriteLine($"One dependent zmm FMA: {F(fmaLatency, "F3")} ns = {F(fmaLatency * ghz, "F2")} cycles");
        Console.WriteLine($"FMA throughput (12 independent chains, best of {rounds}×5): {F(peak, "F2")} zmm FMA/ns = {F(peak / ghz, "F2")} per cycle");
    }

    /// <summary>Step of the generated code, contestant 4 and 4b against a sequential read and an FMA stream of as many bytes.</summary>
    private static void RunStreams(int rounds, (int InputSize, int HiddenSize)[] shapes)
    {
        var cases = new List<Action>();
        var bytes = new List<int>();
        foreach (var (i, h) in shapes)
        {
            var weights = Weights.Load(i, h);
            var workload = new Workload(i, h, Steps);
            var generated = new GeneratedContestant(weights, workload);
            var four = new PanelVector512Lstm<ExpActivations>(weights, workload);
            var fourB = new PanelVector512Lstm<RationalActivations>(weights, workload);
            int floats = GeneratedContestant.Create(i, h).ParameterCount;
            var buffer = new AlignedBuffer(floats + 256);
            buffer.Span.Fill(1e-3f);
            var scales = new AlignedBuffer(256);
            scales.Span.Fill(0.5f);

            // Whole 1 KB rows (16 zmm) for the FMA stream, whole 512-byte blocks (8 zmm) for the read: at most 1 KB short.
            nuint rows = (nuint)(floats / 256);
            nuint blocks = (nuint)(floats / 128);
            cases.Add(generated.Step);
            cases.Add(four.Step);
            cases.Add(fourB.Step);
            cases.Add(() => GC.KeepAlive(SequentialRead(ref buffer.Reference, blocks)));
            cases.Add(() => GC.KeepAlive(FusedMultiplyAddStream(ref buffer.Reference, rows, ref scales.Reference)));
            cases.Add(() => GC.KeepAlive(SequentialRead(ref buffer.Reference, blocks) + SequentialReadBackwards(ref buffer.Reference, blocks)));
            bytes.Add(floats * sizeof(float));
        }

        double[] m = QuickComparison.Medians(cases.ToArray(), rounds);
        Console.WriteLine();
        Console.WriteLine("Step against a plain sequential read and an FMA stream of the parameters' bytes (ns per call; B/ns = parameter bytes / ns)");
        Console.WriteLine("| (I, H) | bytes | Step gen | Step 4 | Step 4b | read | FMA stream | read, alternate directions | gen B/ns | 4b B/ns | read B/ns | FMA stream B/ns | alternate B/ns | gen / read | gen / FMA stream | gen / alternate |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", 15)));
        for (int k = 0; k < shapes.Length; k++)
        {
            double b = bytes[k];
            double gen = m[6 * k], four = m[6 * k + 1], fourB = m[6 * k + 2];
            double read = m[6 * k + 3] * b / (b - b % 512), stream = m[6 * k + 4] * b / (b - b % 1024), alternate = m[6 * k + 5] / 2 * b / (b - b % 512);
            Console.WriteLine($"| ({shapes[k].InputSize}, {shapes[k].HiddenSize}) | {b:N0} | {F(gen)} | {F(four)} | {F(fourB)} | {F(read)} | {F(stream)} | {F(alternate)} | " +
                $"{F(b / gen, "F0")} | {F(b / fourB, "F0")} | {F(b / read, "F0")} | {F(b / stream, "F0")} | {F(b / alternate, "F0")} | {F(gen / read, "F2")} | {F(gen / stream, "F2")} | {F(gen / alternate, "F2")} |");
        }
    }

    /// <summary>One state (every step waits for the previous h) against 4 independent states in turn, ns per step.</summary>
    private static void RunLatency(int rounds, (int InputSize, int HiddenSize)[] shapes)
    {
        const int States = 4;
        var cases = new List<Action>();
        foreach (var (i, h) in shapes)
        {
            var weights = Weights.Load(i, h);
            foreach (ILstm model in new[] { GeneratedContestant.Create(i, h) })
            {
                model.ImportPyTorch(weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh);
                float[] x = new float[i];
                x.AsSpan().Fill(0.3f);
                float[][] hidden = Enumerable.Range(0, States).Select(_ => new float[h]).ToArray();
                float[][] cell = Enumerable.Range(0, States).Select(_ => new float[h]).ToArray();
                cases.Add(() =>
                {
                    for (int s = 0; s < States; s++)
                    {
                        model.Step(x, hidden[0], cell[0]);
                    }
                });
                cases.Add(() =>
                {
                    for (int s = 0; s < States; s++)
                    {
                        model.Step(x, hidden[s], cell[s]);
                    }
                });
            }
        }

        double[] m = QuickComparison.Medians(cases.ToArray(), rounds);
        Console.WriteLine();
        Console.WriteLine($"Generated Step: one state (dependent steps) against {States} independent states in turn, ns per step");
        Console.WriteLine("| (I, H) | one state | 4 states | one / 4 states |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int k = 0; k < shapes.Length; k++)
        {
            double one = m[2 * k] / States, four = m[2 * k + 1] / States;
            Console.WriteLine($"| ({shapes[k].InputSize}, {shapes[k].HiddenSize}) | {F(one)} | {F(four)} | {F(one / four, "F2")} |");
        }
    }

    /// <summary>
    /// Forward and the backward pass phase by phase (the generated kernels' AVX-512 methods), ns per step over T = 32, with a
    /// plain sequential read of W_hh's bytes (what the recurrent part of Forward and ∂L/∂h_{t-1} = W_hhᵀ·dz stream per step).
    /// </summary>
    private static void RunBackward(int rounds, (int InputSize, int HiddenSize)[] shapes)
    {
        const int PerShape = 11;
        var cases = new List<Action>();
        foreach (var (i, h) in shapes)
        {
            var phases = BackwardPhases.Create(i, h);
            var recurrentWeights = new AlignedBuffer(4 * h * h + 128);
            recurrentWeights.Span.Fill(1e-3f);
            nuint blocks = (nuint)(4 * h * h / 128);
            cases.AddRange(new Action[]
            {
                phases.Forward, phases.PublicForward, () => phases.Recurrent(alternate: true), () => GC.KeepAlive(SequentialRead(ref recurrentWeights.Reference, blocks)),
                phases.PublicBackward, phases.Record, phases.RecordAndBackward, phases.HiddenGradients, phases.InputGradients, phases.ParameterGradients,
                () => phases.Recurrent(alternate: false),
            });
        }

        double[] m = QuickComparison.Medians(cases.ToArray(), rounds);
        Console.WriteLine();
        Console.WriteLine($"Forward, ns per step (T = {Steps}): the kernel's Forward, the public Forward, the recurrent steps alone (StepRecurrent512 × T, odd steps reading W_hh backwards as Forward does, and every step in order; none for I = 1), a plain read of W_hh's bytes");
        Console.WriteLine("| (I, H) | Forward | public Forward | recurrent | recurrent, rows in order | projection (Forward − recurrent) | W_hh bytes | read W_hh | read B/ns | recurrent B/ns (W_hh) | recurrent / read | Forward zmm FMA/ns |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", 11)));
        for (int k = 0; k < shapes.Length; k++)
        {
            var (i, h) = shapes[k];
            double[] p = m.Skip(PerShape * k).Take(PerShape).ToArray();
            double forward = p[0] / Steps, publicForward = p[1] / Steps, recurrent = p[2] / Steps, read = p[3], inOrder = p[10] / Steps;
            double whhBytes = 4.0 * h * h * sizeof(float);
            double forwardFmas = (i + h) * 4.0 * h / 16;
            bool split = i > 1;
            Console.WriteLine($"| ({i}, {h}) | {F(forward)} | {F(publicForward)} | {(split ? F(recurrent) : "–")} | {(split ? F(inOrder) : "–")} | {(split ? F(forward - recurrent) : "–")} | {whhBytes:N0} | {F(read)} | {F(whhBytes / read, "F0")} | " +
                $"{(split ? F(whhBytes / recurrent, "F0") : "–")} | {(split ? F(recurrent / read, "F2") : "–")} | {F(forwardFmas / forward, "F2")} |");
        }

        Console.WriteLine();
        Console.WriteLine($"Backward phase by phase, ns per step (T = {Steps}); cell = record+backward − record − W_hhᵀ·dz − ∂x − ∂W; FMA/ns in zmm (16 floats)");
        Console.WriteLine("| (I, H) | public Backward | record | record + backward | cell (+ loop) | W_hhᵀ·dz | ∂x | ∂W | public Bwd / public Fwd | (record + bwd) / Fwd | bwd only / Fwd | W_hhᵀ·dz B/ns | W_hhᵀ·dz / read W_hh | W_hhᵀ·dz FMA/ns | ∂W FMA/ns |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", 14)));
        for (int k = 0; k < shapes.Length; k++)
        {
            var (i, h) = shapes[k];
            double[] p = m.Skip(PerShape * k).Take(PerShape).ToArray();
            double forward = p[0] / Steps, publicForward = p[1] / Steps, read = p[3];
            double publicBackward = p[4] / Steps, record = p[5] / Steps, whole = p[6] / Steps, hidden = p[7] / Steps, input = p[8] / Steps, parameters = p[9] / Steps;
            double cell = whole - record - hidden - input - parameters;
            double whhBytes = 4.0 * h * h * sizeof(float);
            double hiddenFmas = h * 4.0 * h / 16, forwardFmas = (i + h) * 4.0 * h / 16;
            Console.WriteLine($"| ({i}, {h}) | {F(publicBackward)} | {F(record)} | {F(whole)} | {F(cell)} | {F(hidden)} | {F(input)} | {F(parameters)} | " +
                $"{F(publicBackward / publicForward, "F2")} | {F(whole / forward, "F2")} | {F((whole - record) / forward, "F2")} | {F(whhBytes / hidden, "F0")} | {F(hidden / read, "F2")} | " +
                $"{F(hiddenFmas / hidden, "F2")} | {F(forwardFmas / parameters, "F2")} |");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long DependentAdds(long iterations, long step)
    {
        // Each add waits for the previous one: 8 cycles per iteration; the loop counter runs alongside.
        long x = 0;
        for (long n = 0; n < iterations; n++)
        {
            x += step;
            x += step;
            x += step;
            x += step;
            x += step;
            x += step;
            x += step;
            x += step;
        }

        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float DependentFusedMultiplyAdds(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.999f), b = Vector512.Create(1e-3f), c = Vector512<float>.Zero;
        for (long n = 0; n < iterations; n++)
        {
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
            c = Avx512F.FusedMultiplyAdd(c, a, b);
        }

        return Vector512.Sum(c);
    }

    /// <summary>Reads <paramref name="blocks"/> × 512 bytes front to back, 8 zmm loads per block summed into 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float SequentialRead(ref float start, nuint blocks)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        ref float p = ref start;
        for (nuint n = 0; n < blocks; n++)
        {
            s0 += Vector512.LoadUnsafe(ref p, 0);
            s1 += Vector512.LoadUnsafe(ref p, 16);
            s2 += Vector512.LoadUnsafe(ref p, 32);
            s3 += Vector512.LoadUnsafe(ref p, 48);
            s4 += Vector512.LoadUnsafe(ref p, 64);
            s5 += Vector512.LoadUnsafe(ref p, 80);
            s6 += Vector512.LoadUnsafe(ref p, 96);
            s7 += Vector512.LoadUnsafe(ref p, 112);
            p = ref Unsafe.Add(ref p, 128);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    /// <summary>As <see cref="SequentialRead"/>, last block first: after a forward pass, it starts with what is still cached.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float SequentialReadBackwards(ref float start, nuint blocks)
    {
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        for (nuint n = blocks; n-- > 0;)
        {
            ref float p = ref Unsafe.Add(ref start, n * 128);
            s0 += Vector512.LoadUnsafe(ref p, 112);
            s1 += Vector512.LoadUnsafe(ref p, 96);
            s2 += Vector512.LoadUnsafe(ref p, 80);
            s3 += Vector512.LoadUnsafe(ref p, 64);
            s4 += Vector512.LoadUnsafe(ref p, 48);
            s5 += Vector512.LoadUnsafe(ref p, 32);
            s6 += Vector512.LoadUnsafe(ref p, 16);
            s7 += Vector512.LoadUnsafe(ref p, 0);
        }

        return Vector512.Sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7);
    }

    /// <summary>
    /// The step kernels' access pattern without their dependencies: per 1 KB row one broadcast scale and 16 zmm FMAs with
    /// the row's vectors as memory operands, into 16 accumulators (a full panel), rows front to back.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float FusedMultiplyAddStream(ref float start, nuint rows, ref float scales)
    {
        Vector512<float> z0 = default, z1 = default, z2 = default, z3 = default, z4 = default, z5 = default, z6 = default, z7 = default;
        Vector512<float> z8 = default, z9 = default, z10 = default, z11 = default, z12 = default, z13 = default, z14 = default, z15 = default;
        ref float p = ref start;
        for (nuint n = 0; n < rows; n++)
        {
            var s = Vector512.Create(Unsafe.Add(ref scales, n & 255));
            z0 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 0), s, z0);
            z1 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 16), s, z1);
            z2 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 32), s, z2);
            z3 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 48), s, z3);
            z4 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 64), s, z4);
            z5 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 80), s, z5);
            z6 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 96), s, z6);
            z7 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 112), s, z7);
            z8 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 128), s, z8);
            z9 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 144), s, z9);
            z10 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 160), s, z10);
            z11 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 176), s, z11);
            z12 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 192), s, z12);
            z13 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 208), s, z13);
            z14 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 224), s, z14);
            z15 = Avx512F.FusedMultiplyAdd(Vector512.LoadUnsafe(ref p, 240), s, z15);
            p = ref Unsafe.Add(ref p, 256);
        }

        return Vector512.Sum(z0 + z1 + z2 + z3 + z4 + z5 + z6 + z7 + z8 + z9 + z10 + z11 + z12 + z13 + z14 + z15);
    }
}
