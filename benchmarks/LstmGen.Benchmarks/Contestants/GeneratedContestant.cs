namespace LstmGen.Benchmarks.Contestants;

// The generated models for the benchmark shapes (T = 32).
[Lstm(inputSize: 1, hiddenSize: 8, sequenceLength: 32)] public sealed partial class GeneratedI1H8 { }
[Lstm(inputSize: 1, hiddenSize: 40, sequenceLength: 32)] public sealed partial class GeneratedI1H40 { }
[Lstm(inputSize: 16, hiddenSize: 64, sequenceLength: 32)] public sealed partial class GeneratedI16H64 { }
[Lstm(inputSize: 64, hiddenSize: 128, sequenceLength: 32)] public sealed partial class GeneratedI64H128 { }
[Lstm(inputSize: 32, hiddenSize: 256, sequenceLength: 32)] public sealed partial class GeneratedI32H256 { }

/// <summary>Contestant 1: the generated code (through ILstm: every contestant pays one interface call per operation).</summary>
public sealed class GeneratedContestant : IContestant
{
    private readonly ILstm _model;
    private readonly Workload _workload;
    private readonly float[] _hidden, _cell, _output, _dx, _dh0, _dc0, _zeros, _tape, _x0;
    private readonly bool _useTape;

    public GeneratedContestant(Weights weights, Workload workload, bool useTape = false)
    {
        _model = Create(weights.InputSize, weights.HiddenSize);
        _model.ImportPyTorch(weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh);
        _workload = workload;
        _useTape = useTape;
        int h = weights.HiddenSize;
        _hidden = new float[h];
        _cell = new float[h];
        _zeros = new float[h];
        _output = new float[workload.Steps * h];
        _dx = new float[workload.Input.Length];
        _dh0 = new float[h];
        _dc0 = new float[h];
        _tape = new float[_model.TapeLength];
        _x0 = workload.Input.AsSpan(0, weights.InputSize).ToArray();
        _ = _model.Gradients; // allocate the gradient buffer outside the timed calls
    }

    /// <summary>A new generated model of one benchmark shape.</summary>
    public static ILstm Create(int inputSize, int hiddenSize) => (inputSize, hiddenSize) switch
    {
        (1, 8) => new GeneratedI1H8(),
        (1, 40) => new GeneratedI1H40(),
        (16, 64) => new GeneratedI16H64(),
        (64, 128) => new GeneratedI64H128(),
        (32, 256) => new GeneratedI32H256(),
        _ => throw new ArgumentException($"no generated model for ({inputSize}, {hiddenSize})"),
    };

    public string Name => _useTape ? "Generated (tape)" : "Generated";

    public ReadOnlySpan<float> Hidden => _hidden;

    public ReadOnlySpan<float> InputGradient => _dx;

    public void Reset()
    {
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }

    public void Step() => _model.Step(_x0, _hidden, _cell);

    public void Forward() => _model.Forward(_workload.Input, _output, _hidden, _cell);

    public void Backward()
    {
        if (_useTape)
        {
            // A training step's forward + backward, with the forward recorded once.
            Array.Clear(_hidden);
            Array.Clear(_cell);
            _model.Forward(_workload.Input, _output, _hidden, _cell, _tape);
            _model.BackwardFromTape(_workload.Input, _tape, _workload.OutputGradient, _zeros, _zeros, _dx, _dh0, _dc0);
        }
        else
        {
            _model.Backward(_workload.Input, _zeros, _zeros, _workload.OutputGradient, _zeros, _zeros, _dx, _dh0, _dc0);
        }
    }
}
