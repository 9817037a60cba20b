using System.Diagnostics;
using System.Globalization;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

/// <summary>
/// A Stopwatch comparison: rounds interleave the cases of one group (so drift hits them all alike), and the median
/// of the rounds is reported, with the ratios the issues set targets for. <c>--quick [rounds] [--all]
/// [--only lstm,gru,model,batch,train] [--shapes I1_H8,I16_H64]</c>; <c>--all</c> adds the slow contestants (naive,
/// TensorPrimitives, ONNX); <c>--only</c> takes a comma-separated list of groups (default: all of them).
/// </summary>
public static class QuickComparison
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 && int.TryParse(args[0], out int r) ? r : 7;
        bool all = args.Contains("--all");
        string[] groups = Option(args, "--only")?.Split(',') ?? new[] { "lstm", "gru", "model", "batch", "train" };
        string[]? shapes = Option(args, "--shapes")?.Split(',');
        Console.WriteLine($"--quick: {rounds} rounds, medians; {Environment.ProcessorCount} CPUs, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        if (groups.Contains("lstm"))
        {
            RunLstm(rounds, all, shapes ?? ContestantSet.Shapes);
        }

        if (groups.Contains("gru"))
        {
            RunGru(rounds, all, (shapes ?? GruContestantSet.Shapes).Where(s => GruContestantSet.Shapes.Contains(s)).ToArray());
        }

        if (groups.Contains("model"))
        {
            RunModelFile(rounds);
        }

        if (groups.Contains("batch"))
        {
            RunStepBatch(rounds, shapes ?? BatchShapes);
        }

        if (groups.Contains("train"))
        {
            RunMinibatchTraining(rounds);
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static void RunLstm(int rounds, bool all, string[] shapes)
    {
        Console.WriteLine();
        Console.WriteLine("LSTM, ns per call (Forward and Backward: per call over T = 32)");
        Console.WriteLine("| (I, H) | Step gen | Step 4 | Step 4b | Step 4-old | Fwd gen | Fwd 4 | Fwd 4b | Bwd gen | Fwd+BwdFromTape |" + (all ? " Step naive | Step TP | Step ONNX | Fwd naive | Fwd TP | Fwd ONNX |" : string.Empty));
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", all ? 15 : 9)));
        var ratioLines = new List<string>();
        foreach (string shape in shapes)
        {
            using var c = ContestantSet.Create(shape);
            c.VerifyAgreement();
            var cases = new List<(string Name, Action Run)>
            {
                ("Step gen", c.Generated.Step), ("Step 4", c.Vector512.Step), ("Step 4b", c.Vector512Rational.Step), ("Step 4-old", c.Vector512Old.Step),
                ("Fwd gen", c.Generated.Forward), ("Fwd 4", c.Vector512.Forward), ("Fwd 4b", c.Vector512Rational.Forward),
                ("Bwd gen", c.Generated.Backward), ("Tape", c.GeneratedTape.Backward),
            };
            if (all)
            {
                cases.AddRange(new (string, Action)[]
                {
                    ("Step naive", c.Naive.Step), ("Step TP", c.TensorPrimitives.Step), ("Step ONNX", c.Onnx.Step),
                    ("Fwd naive", c.Naive.Forward), ("Fwd TP", c.TensorPrimitives.Forward), ("Fwd ONNX", c.Onnx.Forward),
                });
            }

            double[] m = Medians(cases.Select(k => k.Run).ToArray(), rounds);
            (int i, int h) = ContestantSet.ParseShape(shape);
            Console.WriteLine($"| ({i}, {h}) | " + string.Join(" | ", m.Select(Format)) + " |");
            const double T = ContestantSet.SequenceLength;
            ratioLines.Add($"| ({i}, {h}) | {m[0] / m[1]:F2} | {m[0] / m[2]:F2} | {m[1] / m[3]:F2} | {m[4] / T / m[1]:F2} | {m[4] / m[5]:F2} | {m[4] / T / m[0]:F2} | {m[7] / m[4]:F2} | {m[8] / m[4]:F2} |");
        }

        Console.WriteLine();
        Console.WriteLine("| (I, H) | Step / 4 | Step / 4b | 4 / 4-old (Step) | Fwd per step / 4 Step | Fwd / 4 Fwd | Fwd per step / Step | Bwd / Fwd | tape / Fwd |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        ratioLines.ForEach(Console.WriteLine);
    }

    private static void RunGru(int rounds, bool all, string[] shapes)
    {
        if (shapes.Length == 0)
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("GRU, ns per call (Forward and Backward: per call over T = 32); LSTM Step = the generated LSTM of the same (I, H)");
        Console.WriteLine("| (I, H) | GRU Step | LSTM Step | GRU Fwd | GRU Bwd | GRU Fwd+BwdFromTape |" + (all ? " Step naive | Step ONNX | Fwd naive | Fwd ONNX | Bwd naive |" : string.Empty) + " GRU/LSTM Step | Bwd / Fwd | tape / Fwd |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", all ? 13 : 8)));
        foreach (string shape in shapes)
        {
            using var g = GruContestantSet.Create(shape);
            g.VerifyAgreement();
            using var l = ContestantSet.Create(shape);
            var cases = new List<(string Name, Action Run)>
            {
                ("GRU Step", g.Generated.Step), ("LSTM Step", l.Generated.Step), ("GRU Fwd", g.Generated.Forward),
                ("GRU Bwd", g.Generated.Backward), ("GRU tape", g.GeneratedTape.Backward),
            };
            if (all)
            {
                cases.AddRange(new (string, Action)[]
                {
                    ("Step naive", g.Naive.Step), ("Step ONNX", g.Onnx.Step), ("Fwd naive", g.Naive.Forward), ("Fwd ONNX", g.Onnx.Forward), ("Bwd naive", g.Naive.Backward),
                });
            }

            double[] m = Medians(cases.Select(k => k.Run).ToArray(), rounds);
            (int i, int h) = ContestantSet.ParseShape(shape);
            Console.WriteLine($"| ({i}, {h}) | " + string.Join(" | ", m.Select(Format)) + $" | {m[0] / m[1]:F2} | {m[3] / m[2]:F2} | {m[4] / m[2]:F2} |");
        }
    }

    private static void RunModelFile(int rounds)
    {
        var set = new ModelFileSet();
        set.VerifyAgreement();
        var cases = set.Cases().ToArray();
        double[] m = Medians(cases.Select(k => k.Run).ToArray(), rounds).Select(v => v / ModelFileSet.Samples).ToArray();
        Console.WriteLine();
        Console.WriteLine($"Model file {ModelFileSet.File} (LSTM(1→40) + Linear + skip), ns per sample over {ModelFileSet.Samples} samples");
        Console.WriteLine("| way | ns/sample | vs (a) | vs (b) |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (int k = 0; k < cases.Length; k++)
        {
            Console.WriteLine($"| {cases[k].Name} | {m[k]:F1} | {m[k] / m[2]:F2} | {m[k] / m[3]:F2} |");
        }
    }

    /// <summary>The shapes of the StepBatch table (issue 13), for the LSTM and the GRU.</summary>
    public static readonly string[] BatchShapes = { "I1_H40", "I16_H64", "I64_H128", "I32_H256" };

    /// <summary>The batch sizes of the StepBatch table.</summary>
    public static readonly int[] BatchSizes = { 1, 8, 32 };

    /// <summary>
    /// Issue 13: per state, B calls of <c>Step</c> (one per state) against one <c>StepBatch</c> of B states, B = 1, 8, 32,
    /// in the same rounds; and each against the multiply-add floor, G·H·(I + H)/16 zmm FMAs per state at the peak rate
    /// measured here.
    /// </summary>
    private static void RunStepBatch(int rounds, string[] shapes)
    {
        double peak = BatchStepper.MeasureFusedMultiplyAddPeak();
        Console.WriteLine();
        Console.WriteLine($"StepBatch (issue 13), ns per state and step; FMA peak {peak:F2} zmm FMA/ns (12 independent Avx512F.FusedMultiplyAdd chains); floor = G·H·(I+H)/16 FMAs at that peak");
        Console.WriteLine("| cell (I, H) | Step ×1 | Step ×8 | Step ×32 | StepBatch 1 | StepBatch 8 | StepBatch 32 | floor | B=1 / Step | B=8 / Step | B=32 / Step | Step / floor | B=8 / floor | B=32 / floor |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", 13)));
        foreach (string cell in new[] { "lstm", "gru" })
        {
            foreach (string shape in shapes)
            {
                var steppers = BatchSizes.Select(b => BatchStepper.Create(cell, shape, b)).ToArray();
                foreach (var stepper in steppers)
                {
                    stepper.VerifyAgreement();
                }

                Action[] cases = steppers.Select(s => (Action)s.StepEach).Concat(steppers.Select(s => (Action)s.StepBatch)).ToArray();
                double[] m = Medians(cases, rounds);
                double[] perState = m.Select((ns, k) => ns / BatchSizes[k % BatchSizes.Length]).ToArray();
                double floor = steppers[0].FusedMultiplyAddsPerState / peak;
                (int i, int h) = ContestantSet.ParseShape(shape);
                Console.WriteLine($"| {steppers[0].Cell} ({i}, {h}) | " + string.Join(" | ", perState.Select(Format)) + $" | {Format(floor)}" +
                    $" | {perState[3] / perState[0]:F2} | {perState[4] / perState[1]:F2} | {perState[5] / perState[2]:F2} | {perState[0] / floor:F2} | {perState[4] / floor:F2} | {perState[5] / floor:F2} |");
            }
        }
    }

    /// <summary>
    /// Issue 13: one minibatch training step of samples/AddingProblem's model (B = 32, T = 50, (2 → 64) + Linear, Adam),
    /// per sequence against batched, in sequences/s; the floor is forward + backward at the FMA peak.
    /// </summary>
    private static void RunMinibatchTraining(int rounds)
    {
        double peak = BatchStepper.MeasureFusedMultiplyAddPeak();
        Console.WriteLine();
        Console.WriteLine($"Minibatch training step (issue 13): B = {MinibatchStep.Batch}, T = {MinibatchStep.SequenceLength}, (2 → 64) + Linear(64 → 1), MSE on h_T, backward, Adam; sequences/s; FMA peak {peak:F2} zmm FMA/ns");
        Console.WriteLine("| cell | per sequence (Forward+tape, BackwardFromTape ×32) | batched (ForwardBatch+tape, BackwardBatchFromTape) | batched / per sequence | FMAs per step·sequence | floor (forward + backward at peak) | batched / floor |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (string cell in new[] { "lstm", "gru" })
        {
            MinibatchStep Create(bool batched) => cell == "lstm" ? new LstmMinibatchStep(batched) : new GruMinibatchStep(batched);
            MinibatchStep.VerifyAgreement(Create(batched: false), Create(batched: true));
            MinibatchStep perSequence = Create(batched: false), batched = Create(batched: true);
            double[] m = Medians(new Action[] { perSequence.Step, batched.Step }, rounds);
            const int Sequences = MinibatchStep.Batch;
            double each = Sequences / m[0] * 1e9, together = Sequences / m[1] * 1e9;
            double floor = 1e9 / (perSequence.FusedMultiplyAddsPerStep / peak * MinibatchStep.SequenceLength);
            Console.WriteLine(FormattableString.Invariant($"| {perSequence.Cell} | {each:N0} | {together:N0} | {together / each:F2} | {perSequence.FusedMultiplyAddsPerStep:N0} | {floor:N0} | {together / floor:F2} |"));
        }
    }

    private static string Format(double ns) => ns >= 10_000 ? (ns / 1000).ToString("N1", CultureInfo.InvariantCulture) + " µs" : ns.ToString(ns >= 100 ? "N0" : "F1", CultureInfo.InvariantCulture);

    /// <summary>Each round runs every case once; the median over the rounds per case.</summary>
    public static double[] Medians(Action[] cases, int rounds)
    {
        // One round that is not recorded: code that is not [AggressiveOptimization] (contestant 4, and Vector512.Exp
        // in CoreLib) runs tier-0 code until tiered compilation replaces it, some 100 ms to 1 s after its first calls.
        foreach (Action action in cases)
        {
            Measure(action);
        }

        var samples = cases.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < rounds; round++)
        {
            for (int k = 0; k < cases.Length; k++)
            {
                samples[k].Add(Measure(cases[k]));
            }
        }

        return samples.Select(Median).ToArray();
    }

    public static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>ns per call: a short warm-up (≤ 50 calls or ~20 ms), then calls in batches of 16 for ≥ 100 ms.</summary>
    public static double Measure(Action action, double seconds = 0.1)
    {
        long warm = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 50;
        for (int i = 0; i < 50 && Stopwatch.GetTimestamp() < warm; i++)
        {
            action();
        }

        long budget = (long)(Stopwatch.Frequency * seconds);
        int calls = 0;
        long start = Stopwatch.GetTimestamp();
        long elapsed;
        do
        {
            for (int i = 0; i < 16; i++)
            {
                action();
            }

            calls += 16;
            elapsed = Stopwatch.GetTimestamp() - start;
        }
        while (elapsed < budget);
        return elapsed * 1e9 / Stopwatch.Frequency / calls;
    }
}
