using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

/// <summary>
/// GRU contestants on the same weights and inputs, batch 1, float32, T = 32: the generated [Gru], a naive runtime-sized
/// GRU and ONNX Runtime's GRU operator; plus the generated LSTM's Step of the same shape, for the GRU/LSTM ratio.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class GruBenchmarks
{
    private GruContestantSet _c = null!;
    private ContestantSet _lstm = null!;

    [Params("I16_H64", "I64_H128")]
    public string Shape { get; set; } = "I16_H64";

    [GlobalSetup]
    public void Setup()
    {
        _c = GruContestantSet.Create(Shape);
        _c.VerifyAgreement();
        _lstm = ContestantSet.Create(Shape);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _c.Dispose();
        _lstm.Dispose();
    }

    [BenchmarkCategory("Step"), Benchmark(Description = "Generated GRU", Baseline = true)] public void Step_Generated() => _c.Generated.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "Generated LSTM (same I, H)")] public void Step_GeneratedLstm() => _lstm.Generated.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "Naive C# GRU")] public void Step_Naive() => _c.Naive.Step();
    [BenchmarkCategory("Step"), Benchmark(Description = "ONNX Runtime GRU")] public void Step_Onnx() => _c.Onnx.Step();

    [BenchmarkCategory("Forward"), Benchmark(Description = "Generated GRU", Baseline = true)] public void Forward_Generated() => _c.Generated.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "Naive C# GRU")] public void Forward_Naive() => _c.Naive.Forward();
    [BenchmarkCategory("Forward"), Benchmark(Description = "ONNX Runtime GRU")] public void Forward_Onnx() => _c.Onnx.Forward();

    [BenchmarkCategory("Backward"), Benchmark(Description = "Generated GRU Forward (reference)", Baseline = true)] public void Backward_Reference_Forward() => _c.Generated.Forward();
    [BenchmarkCategory("Backward"), Benchmark(Description = "Generated GRU Backward")] public void Backward_Generated() => _c.Generated.Backward();
    [BenchmarkCategory("Backward"), Benchmark(Description = "Generated GRU Forward+BackwardFromTape")] public void Backward_GeneratedTape() => _c.GeneratedTape.Backward();
    [BenchmarkCategory("Backward"), Benchmark(Description = "Naive C# GRU Backward")] public void Backward_Naive() => _c.Naive.Backward();
}

/// <summary>All GRU contestants of one shape, checked against each other before anything is timed.</summary>
public sealed class GruContestantSet : IDisposable
{
    /// <summary>The GRU shapes of the suite.</summary>
    public static readonly string[] Shapes = { "I16_H64", "I64_H128" };

    private GruContestantSet(Weights weights, Workload workload)
    {
        Generated = new GeneratedGruContestant(weights, workload);
        GeneratedTape = new GeneratedGruContestant(weights, workload, useTape: true);
        Naive = new NaiveGru(weights, workload);
        Onnx = new OnnxGru(weights, workload);
    }

    public GeneratedGruContestant Generated { get; }
    public GeneratedGruContestant GeneratedTape { get; }
    public NaiveGru Naive { get; }
    public OnnxGru Onnx { get; }

    public IEnumerable<IContestant> All => new IContestant[] { Generated, Naive, Onnx };

    public static GruContestantSet Create(string shape)
    {
        (int i, int h) = ContestantSet.ParseShape(shape);
        return new GruContestantSet(Weights.LoadGru(i, h), new Workload(i, h, ContestantSet.SequenceLength));
    }

    /// <summary>h after a step and after a sequence (each twice) within 1e-4 everywhere; the generated gradients against the naive BPTT.</summary>
    public void VerifyAgreement()
    {
        ContestantSet.VerifyStates(All, Generated.Name);
        Generated.Backward();
        GeneratedTape.Backward();
        Naive.Backward();
        ContestantSet.VerifyGradients(Naive, Generated, GeneratedTape);
    }

    public void Dispose() => Onnx.Dispose();
}
