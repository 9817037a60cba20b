using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

/// <summary>
/// Every contestant on the same weights and inputs, batch 1, float32, T = 32. Ratios are against contestant 4
/// (the runtime-sized Vector512 kernel) within each category (Step, Forward, Backward) and shape.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class LstmBenchmarks
{
    private ContestantSet _c = null!;

    [Params("I1_H8", "I1_H40", "I16_H64", "I64_H128", "I32_H256")]
    public string Shape { get; set; } = "I16_H64";

    [GlobalSetup]
    public void Setup()
    {
        _c = ContestantSet.Create(Shape);
        _c.VerifyAgreement();
    }

    [GlobalCleanup]
    public void Cleanup() => _c.Dispose();

    [BenchmarkCategory("Step"), Benchmark(Description = "Generated")] public void Step_Generated() => _c.Generated.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "Naive C#")] public void Step_Naive() => _c.Naive.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "TensorPrimitives")] public void Step_TensorPrimitives() => _c.TensorPrimitives.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "Runtime Vector512", Baseline = true)] public void Step_Vector512() => _c.Vector512.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "Runtime Vector512 + LstmGen activations")] public void Step_Vector512Rational() => _c.Vector512Rational.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "Runtime Vector512 transposed (4-old)")] public void Step_Vector512Old() => _c.Vector512Old.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "ONNX Runtime")] public void Step_Onnx() => _c.Onnx.Step();

    [BenchmarkCategory("Forward"), Benchmark(Description = "Generated")] public void Forward_Generated() => _c.Generated.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "Naive C#")] public void Forward_Naive() => _c.Naive.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "TensorPrimitives")] public void Forward_TensorPrimitives() => _c.TensorPrimitives.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "Runtime Vector512", Baseline = true)] public void Forward_Vector512() => _c.Vector512.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "Runtime Vector512 + LstmGen activations")] public void Forward_Vector512Rational() => _c.Vector512Rational.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "Runtime Vector512 transposed (4-old)")] public void Forward_Vector512Old() => _c.Vector512Old.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "ONNX Runtime")] public void Forward_Onnx() => _c.Onnx.Forward();

    // Backward: the generated self-contained Backward (forward recomputed inside), the tape pair (forward recorded,
    // then BackwardFromTape: one training step's LSTM work), and the hand-written scalar BPTT. Baseline: the
    // generated Forward over the same 32 steps, so the ratio reads "Backward / Forward".
    [BenchmarkCategory("Backward"), Benchmark(Description = "Generated Forward (reference)", Baseline = true)] public void Backward_Reference_Forward() => _c.Generated.Forward();
    [BenchmarkCategory("Backward"), Benchmark(Description = "Generated Backward")] public void Backward_Generated() => _c.Generated.Backward();
    [BenchmarkCategory("Backward"), Benchmark(Description = "Generated Forward+BackwardFromTape")] public void Backward_GeneratedTape() => _c.GeneratedTape.Backward();
    [BenchmarkCategory("Backward"), Benchmark(Description = "Naive C# Backward")] public void Backward_Naive() => _c.Naive.Backward();
}

/// <summary>All contestants of one shape, checked against each other before anything is timed.</summary>
public sealed class ContestantSet : IDisposable
{
    public const int SequenceLength = 32;

    private ContestantSet(Weights weights, Workload workload)
    {
        Weights = weights;
        Generated = new GeneratedContestant(weights, workload);
        GeneratedTape = new GeneratedContestant(weights, workload, useTape: true);
        Naive = new NaiveLstm(weights, workload);
        TensorPrimitives = new TensorPrimitivesLstm(weights, workload);
        Vector512 = new PanelVector512Lstm<ExpActivations>(weights, workload);
        Vector512Rational = new PanelVector512Lstm<RationalActivations>(weights, workload);
        Vector512Old = new TransposedVector512Lstm<ExpActivations>(weights, workload);
        Onnx = new OnnxLstm(weights, workload);
    }

    public Weights Weights { get; }
    public GeneratedContestant Generated { get; }
    public GeneratedContestant GeneratedTape { get; }
    public NaiveLstm Naive { get; }
    public TensorPrimitivesLstm TensorPrimitives { get; }
    public PanelVector512Lstm<ExpActivations> Vector512 { get; }
    public PanelVector512Lstm<RationalActivations> Vector512Rational { get; }
    public TransposedVector512Lstm<ExpActivations> Vector512Old { get; }
    public OnnxLstm Onnx { get; }

    public IEnumerable<IContestant> All => new IContestant[] { Generated, Naive, TensorPrimitives, Vector512, Vector512Rational, Vector512Old, Onnx };

    /// <summary>The LSTM shapes of the suite: "I{I}_H{H}".</summary>
    public static readonly string[] Shapes = { "I1_H8", "I1_H40", "I16_H64", "I64_H128", "I32_H256" };

    public static ContestantSet Create(string shape)
    {
        (int i, int h) = ParseShape(shape);
        return new ContestantSet(Weights.Load(i, h), new Workload(i, h, SequenceLength));
    }

    public static (int InputSize, int HiddenSize) ParseShape(string shape)
    {
        string[] parts = shape.Split('_');
        if (parts.Length != 2 || !parts[0].StartsWith('I') || !parts[1].StartsWith('H'))
        {
            throw new ArgumentException($"A shape is written I<inputs>_H<hidden>, e.g. I16_H64, not '{shape}'.");
        }

        return (int.Parse(parts[0].AsSpan(1)), int.Parse(parts[1].AsSpan(1)));
    }

    /// <summary>A wrong fast kernel is worthless: every contestant must produce the same h after a step and after a sequence.</summary>
    public void VerifyAgreement()
    {
        VerifyStates(All, Generated.Name);

        // Backward: the generated gradients against the naive BPTT.
        Generated.Backward();
        GeneratedTape.Backward();
        Naive.Backward();
        VerifyGradients(Naive, Generated, GeneratedTape);
    }

    /// <summary>Every contestant, from zero state, gives the first one's h within 1e-4 after two steps and after two sequences; leaves them reset.</summary>
    public static void VerifyStates(IEnumerable<IContestant> contestants, string referenceName)
    {
        foreach (Action<IContestant> run in new Action<IContestant>[] { c => c.Step(), c => c.Forward() })
        {
            float[]? reference = null;
            foreach (IContestant contestant in contestants)
            {
                contestant.Reset();
                run(contestant);
                run(contestant); // twice: the state must carry over identically too
                float[] h = contestant.Hidden.ToArray();
                reference ??= h;
                float worst = h.Zip(reference, (a, b) => MathF.Abs(a - b)).Max();
                if (!(worst <= 1e-4f))
                {
                    throw new InvalidOperationException($"{contestant.Name} disagrees with {referenceName} by {worst} on h.");
                }
            }
        }

        foreach (IContestant contestant in contestants)
        {
            contestant.Reset();
        }
    }

    /// <summary>∂L/∂input of each generated contestant within 1e-4 (scaled) of the naive BPTT's.</summary>
    public static void VerifyGradients(IContestant naive, params IContestant[] generated)
    {
        float[] reference = naive.InputGradient.ToArray();
        float scale = reference.Max(MathF.Abs);
        foreach (IContestant contestant in generated)
        {
            float worst = contestant.InputGradient.ToArray().Zip(reference, (a, b) => MathF.Abs(a - b)).Max();
            if (!(worst <= 1e-4f * MathF.Max(1, scale)))
            {
                throw new InvalidOperationException($"{contestant.Name}'s Backward disagrees with the naive BPTT by {worst}.");
            }
        }
    }

    public void Dispose() => Onnx.Dispose();
}
