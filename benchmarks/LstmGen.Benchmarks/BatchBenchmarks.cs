using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

/// <summary>
/// Issue 13: B independent states advanced one step, by B calls of <c>Step</c> (the baseline) or one <c>StepBatch</c>,
/// for the generated LSTM and GRU. Times are per call, i.e. for all B states; divide by B for the cost per state.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class StepBatchBenchmarks
{
    private BatchStepper _stepper = null!;

    [Params("lstm", "gru")]
    public string Cell { get; set; } = "lstm";

    [Params("I1_H40", "I16_H64", "I64_H128", "I32_H256")]
    public string Shape { get; set; } = "I16_H64";

    [Params(1, 8, 32)]
    public int Batch { get; set; } = 8;

    [GlobalSetup]
    public void Setup()
    {
        _stepper = BatchStepper.Create(Cell, Shape, Batch);
        _stepper.VerifyAgreement();
    }

    [Benchmark(Description = "Step ×B", Baseline = true)] public void StepEach() => _stepper.StepEach();
    [Benchmark(Description = "StepBatch")] public void StepBatch() => _stepper.StepBatch();
}

/// <summary>
/// Issue 13: one minibatch training step of samples/AddingProblem's model (B = 32, T = 50, (2 → 64) + Linear, Adam),
/// per sequence (the baseline) or batched. Per call = one minibatch of 32 sequences.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class MinibatchTrainingBenchmarks
{
    private MinibatchStep _perSequence = null!, _batched = null!;

    [Params("lstm", "gru")]
    public string Cell { get; set; } = "lstm";

    [GlobalSetup]
    public void Setup()
    {
        MinibatchStep Create(bool batched) => Cell == "lstm" ? new LstmMinibatchStep(batched) : new GruMinibatchStep(batched);
        MinibatchStep.VerifyAgreement(Create(batched: false), Create(batched: true));
        _perSequence = Create(batched: false);
        _batched = Create(batched: true);
    }

    [Benchmark(Description = "Forward+tape, BackwardFromTape ×32", Baseline = true)] public void PerSequence() => _perSequence.Step();
    [Benchmark(Description = "ForwardBatch+tape, BackwardBatchFromTape")] public void Batched() => _batched.Step();
}
