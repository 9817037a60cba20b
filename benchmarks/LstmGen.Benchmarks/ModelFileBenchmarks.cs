using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LstmGen.Benchmarks.Contestants;

namespace LstmGen.Benchmarks;

// The model file of the [RecurrentModel] benchmark: LSTM(1→40) + Linear(40→1) + skip, an Automated-GuitarAmpModelling
// JSON trained briefly by tests/fixtures/models/make_model_fixtures.py (an <AdditionalFiles> item of this project).
[RecurrentModel("../../tests/fixtures/models/agam_lstm_i1_h40_skip1_trained.json")] public sealed partial class AgamLstm40Model { }

// The same layer as a hand-wired [Lstm] (T = 1: streaming only), for comparison (a).
[Lstm(inputSize: 1, hiddenSize: 40, sequenceLength: 1)] public sealed partial class StreamingLstm40 { }

/// <summary>
/// One LSTM(1→40) + Linear + skip model run per sample, three ways, on the same weights and signal:
/// the compiled model file (<c>Process</c>), (a) <c>[Lstm(1, 40, 1)].Step</c> + a 40-element dot product + skip,
/// (b) contestant 4's <c>Step</c> (4b: with LstmGen's activations) + the same dot product + skip.
/// </summary>
public sealed class ModelFileSet
{
    public const string File = "agam_lstm_i1_h40_skip1_trained.json";
    public const int Samples = 4096;

    private readonly AgamLstm40Model _model = new();
    private readonly StreamingLstm40 _lstm = new();
    private readonly PanelLstmKernel<ExpActivations> _panel;
    private readonly PanelLstmKernel<RationalActivations> _panelRational;
    private readonly float[] _linearWeight, _hidden = new float[40], _cell = new float[40];
    private readonly float _linearBias;

    public ModelFileSet()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "models", File);
        using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        JsonElement stateDict = document.RootElement.GetProperty("state_dict");
        float[] Read(string name) => Flatten(stateDict.GetProperty(name)).ToArray();
        float[] wih = Read("rec.weight_ih_l0"), whh = Read("rec.weight_hh_l0"), bih = Read("rec.bias_ih_l0"), bhh = Read("rec.bias_hh_l0");
        _linearWeight = Read("lin.weight");
        _linearBias = Read("lin.bias")[0];
        _lstm.ImportPyTorch(wih, whh, bih, bhh);
        _panel = new PanelLstmKernel<ExpActivations>(1, 40, wih, whh, bih, bhh);
        _panelRational = new PanelLstmKernel<RationalActivations>(1, 40, wih, whh, bih, bhh);
        Input = Enumerable.Range(0, Samples).Select(t => 0.5f * MathF.Sin(2 * MathF.PI * 110 * t / 48000f) + 0.2f * MathF.Sin(0.37f * t)).ToArray();
    }

    public float[] Input { get; }

    public float[] Output { get; } = new float[Samples];

    private static IEnumerable<float> Flatten(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Flatten) : new[] { (float)element.GetDouble() };

    public void Reset()
    {
        _model.Reset();
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }

    /// <summary>The compiled model, one <c>float Process(float)</c> call per sample.</summary>
    public void ProcessPerSample()
    {
        float[] x = Input, y = Output;
        for (int t = 0; t < x.Length; t++)
        {
            y[t] = _model.Process(x[t]);
        }
    }

    /// <summary>The compiled model, the whole buffer in one <c>Process(span, span)</c> call.</summary>
    public void ProcessBlock() => _model.Process(Input, Output);

    /// <summary>(a): the generated [Lstm(1, 40, 1)] Step, then the Linear head and the skip by hand.</summary>
    public void GeneratedStepDot()
    {
        float[] x = Input, y = Output;
        for (int t = 0; t < x.Length; t++)
        {
            _lstm.Step(new ReadOnlySpan<float>(in x[t]), _hidden, _cell);
            y[t] = TensorPrimitives.Dot(_linearWeight, _hidden) + _linearBias + x[t];
        }
    }

    /// <summary>(b): contestant 4's Step, then the Linear head and the skip.</summary>
    public void Vector512StepDot() => KernelStepDot(_panel);

    /// <summary>(b) with LstmGen's activations (4b).</summary>
    public void Vector512RationalStepDot() => KernelStepDot(_panelRational);

    private void KernelStepDot<TActivations>(PanelLstmKernel<TActivations> kernel)
        where TActivations : struct, IVectorActivations
    {
        float[] x = Input, y = Output;
        for (int t = 0; t < x.Length; t++)
        {
            kernel.Step(new ReadOnlySpan<float>(in x[t]), _hidden, _cell);
            y[t] = TensorPrimitives.Dot(_linearWeight, _hidden) + _linearBias + x[t];
        }
    }

    /// <summary>All five ways give the same outputs (within 1e-4) from the initial state.</summary>
    public void VerifyAgreement()
    {
        float[]? reference = null;
        foreach ((string name, Action run) in Cases())
        {
            Reset();
            run();
            reference ??= Output.ToArray();
            float worst = Output.Zip(reference, (a, b) => MathF.Abs(a - b)).Max();
            if (!(worst <= 1e-4f))
            {
                throw new InvalidOperationException($"Model file: '{name}' disagrees with Process by {worst}.");
            }
        }

        Reset();
    }

    public IEnumerable<(string Name, Action Run)> Cases() => new (string, Action)[]
    {
        ("Process(float) per sample", ProcessPerSample),
        ("Process(block of 4096)", ProcessBlock),
        ("(a) [Lstm(1,40,1)].Step + dot + skip", GeneratedStepDot),
        ("(b) contestant 4 Step + dot + skip", Vector512StepDot),
        ("(b') 4b Step + dot + skip", Vector512RationalStepDot),
    };
}

/// <summary>The model-file benchmark: time per call over 4096 samples (divide by 4096 for a per-sample figure).</summary>
[MemoryDiagnoser]
public class ModelFileBenchmarks
{
    private ModelFileSet _c = null!;

    [GlobalSetup]
    public void Setup()
    {
        _c = new ModelFileSet();
        _c.VerifyAgreement();
    }

    [Benchmark(Description = "Process(float) per sample")] public void ProcessPerSample() => _c.ProcessPerSample();
    [Benchmark(Description = "Process(block)")] public void ProcessBlock() => _c.ProcessBlock();
    [Benchmark(Description = "(a) [Lstm(1,40,1)].Step + dot + skip", Baseline = true)] public void GeneratedStepDot() => _c.GeneratedStepDot();
    [Benchmark(Description = "(b) contestant 4 Step + dot + skip")] public void Vector512StepDot() => _c.Vector512StepDot();
    [Benchmark(Description = "(b') 4b Step + dot + skip")] public void Vector512RationalStepDot() => _c.Vector512RationalStepDot();
}
