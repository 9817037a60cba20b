using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks.Contestants;

// The generated GRUs for the benchmark shapes (T = 32).
[Gru(inputSize: 16, hiddenSize: 64, sequenceLength: 32)] public sealed partial class GeneratedGruI16H64 { }
[Gru(inputSize: 64, hiddenSize: 128, sequenceLength: 32)] public sealed partial class GeneratedGruI64H128 { }

/// <summary>The generated [Gru] (through IGru: one interface call per operation, like every contestant).</summary>
public sealed class GeneratedGruContestant : IContestant
{
    private readonly IGru _model;
    private readonly Workload _workload;
    private readonly float[] _hidden, _output, _dx, _dh0, _zeros, _tape, _x0;
    private readonly bool _useTape;

    public GeneratedGruContestant(Weights weights, Workload workload, bool useTape = false)
    {
        _model = (weights.InputSize, weights.HiddenSize) switch
        {
            (16, 64) => new GeneratedGruI16H64(),
            (64, 128) => new GeneratedGruI64H128(),
            _ => throw new ArgumentException("no generated GRU for this shape"),
        };
        _model.ImportPyTorch(weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh);
        _workload = workload;
        _useTape = useTape;
        int h = weights.HiddenSize;
        _hidden = new float[h];
        _zeros = new float[h];
        _output = new float[workload.Steps * h];
        _dx = new float[workload.Input.Length];
        _dh0 = new float[h];
        _tape = new float[_model.TapeLength];
        _x0 = workload.Input.AsSpan(0, weights.InputSize).ToArray();
        _ = _model.Gradients; // allocate the gradient buffer outside the timed calls
    }

    public string Name => _useTape ? "Generated GRU (tape)" : "Generated GRU";

    public ReadOnlySpan<float> Hidden => _hidden;

    public ReadOnlySpan<float> InputGradient => _dx;

    public void Reset() => Array.Clear(_hidden);

    public void Step() => _model.Step(_x0, _hidden);

    public void Forward() => _model.Forward(_workload.Input, _output, _hidden);

    public void Backward()
    {
        if (_useTape)
        {
            Array.Clear(_hidden);
            _model.Forward(_workload.Input, _output, _hidden, _tape);
            _model.BackwardFromTape(_workload.Input, _tape, _workload.OutputGradient, _zeros, _dx, _dh0);
        }
        else
        {
            _model.Backward(_workload.Input, _zeros, _workload.OutputGradient, _zeros, _dx, _dh0);
        }
    }
}

/// <summary>
/// A naive runtime-sized GRU: PyTorch layout (gate order r, z, n), plain loops over float[], MathF activations, and
/// a textbook scalar BPTT. PyTorch semantics: n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
/// </summary>
public sealed class NaiveGru : IContestant
{
    private readonly int _i, _h;
    private readonly float[] _wih, _whh, _bih, _bhh;
    private readonly float[] _gwih, _gwhh, _gbih, _gbhh;
    private readonly float[] _hidden, _ax, _ah, _output, _x0;
    private readonly Workload _workload;

    // Per step for the backward pass: r, z, n, W_hn h + b_hn (4H) and h_{t-1} (H).
    private readonly float[] _record, _previousHidden;
    private readonly float[] _dh, _dax, _dah, _dx;

    public NaiveGru(Weights weights, Workload workload)
    {
        _i = weights.InputSize;
        _h = weights.HiddenSize;
        _wih = weights.WeightIh.ToArray();
        _whh = weights.WeightHh.ToArray();
        _bih = weights.BiasIh.ToArray();
        _bhh = weights.BiasHh.ToArray();
        _gwih = new float[_wih.Length];
        _gwhh = new float[_whh.Length];
        _gbih = new float[_bih.Length];
        _gbhh = new float[_bhh.Length];
        _hidden = new float[_h];
        _ax = new float[3 * _h];
        _ah = new float[3 * _h];
        _workload = workload;
        _output = new float[workload.Steps * _h];
        _x0 = workload.Input.AsSpan(0, _i).ToArray();
        _record = new float[workload.Steps * 4 * _h];
        _previousHidden = new float[workload.Steps * _h];
        _dh = new float[_h];
        _dax = new float[3 * _h];
        _dah = new float[3 * _h];
        _dx = new float[workload.Input.Length];
    }

    public string Name => "Naive C# GRU";

    public ReadOnlySpan<float> Hidden => _hidden;

    public ReadOnlySpan<float> InputGradient => _dx;

    public void Reset() => Array.Clear(_hidden);

    public void Step() => StepAt(_x0, 0, record: false);

    public void Forward()
    {
        for (int t = 0; t < _workload.Steps; t++)
        {
            StepAt(_workload.Input.AsSpan(t * _i, _i), t, record: false);
            _hidden.CopyTo(_output, t * _h);
        }
    }

    private void StepAt(ReadOnlySpan<float> x, int t, bool record)
    {
        int h = _h, i = _i;
        if (record)
        {
            _hidden.CopyTo(_previousHidden, t * h);
        }

        for (int r = 0; r < 3 * h; r++)
        {
            float sx = _bih[r], sh = _bhh[r];
            for (int k = 0; k < i; k++)
            {
                sx += _wih[r * i + k] * x[k];
            }

            for (int j = 0; j < h; j++)
            {
                sh += _whh[r * h + j] * _hidden[j];
            }

            _ax[r] = sx;
            _ah[r] = sh;
        }

        for (int j = 0; j < h; j++)
        {
            float rg = Sigmoid(_ax[j] + _ah[j]), zg = Sigmoid(_ax[h + j] + _ah[h + j]);
            float ng = MathF.Tanh(_ax[2 * h + j] + rg * _ah[2 * h + j]);
            if (record)
            {
                int g = t * 4 * h;
                _record[g + j] = rg;
                _record[g + h + j] = zg;
                _record[g + 2 * h + j] = ng;
                _record[g + 3 * h + j] = _ah[2 * h + j];
            }

            _hidden[j] = (1 - zg) * ng + zg * _hidden[j];
        }
    }

    public void Backward()
    {
        int h = _h, i = _i, steps = _workload.Steps;
        Reset();
        for (int t = 0; t < steps; t++)
        {
            StepAt(_workload.Input.AsSpan(t * i, i), t, record: true);
        }

        Array.Clear(_dh);
        for (int t = steps - 1; t >= 0; t--)
        {
            int g = t * 4 * h;
            for (int j = 0; j < h; j++)
            {
                float rg = _record[g + j], zg = _record[g + h + j], ng = _record[g + 2 * h + j], hn = _record[g + 3 * h + j];
                float hp = _previousHidden[t * h + j];
                float dh = _workload.OutputGradient[t * h + j] + _dh[j];
                float dan = dh * (1 - zg) * (1 - ng * ng);
                float dar = dan * hn * rg * (1 - rg);
                float daz = dh * (hp - ng) * zg * (1 - zg);
                _dax[j] = dar;
                _dax[h + j] = daz;
                _dax[2 * h + j] = dan;
                _dah[j] = dar;
                _dah[h + j] = daz;
                _dah[2 * h + j] = dan * rg;
                _dh[j] = dh * zg; // the direct path; the matrix path is added below
            }

            for (int k = 0; k < i; k++)
            {
                _dx[t * i + k] = 0;
            }

            for (int r = 0; r < 3 * h; r++)
            {
                float dx = _dax[r], dhh = _dah[r];
                _gbih[r] += dx;
                _gbhh[r] += dhh;
                for (int k = 0; k < i; k++)
                {
                    _gwih[r * i + k] += dx * _workload.Input[t * i + k];
                    _dx[t * i + k] += dx * _wih[r * i + k];
                }

                for (int j = 0; j < h; j++)
                {
                    _gwhh[r * h + j] += dhh * _previousHidden[t * h + j];
                    _dh[j] += dhh * _whh[r * h + j];
                }
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}

/// <summary>
/// ONNX Runtime's GRU operator (nn.GRU exported by models/make_models.py; linear_before_reset = 1, PyTorch's
/// semantics), one intra-op thread, inputs and outputs bound once with an OrtIoBinding.
/// </summary>
public sealed class OnnxGru : IContestant, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _stepBinding, _forwardBinding;
    private readonly List<OrtValue> _values = new();
    private readonly float[] _stepX, _h0, _stepY, _hidden, _forwardY;

    public OnnxGru(Weights weights, Workload workload)
    {
        int h = weights.HiddenSize, i = weights.InputSize;
        string path = Path.Combine(AppContext.BaseDirectory, "models", $"gru_I{i}_H{h}.onnx");
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(path, options);
        _stepX = workload.Input.AsSpan(0, i).ToArray();
        _h0 = new float[h];
        _stepY = new float[h];
        _hidden = new float[h];
        _forwardY = new float[workload.Steps * h];
        long[] state = { 1, 1, h };
        _stepBinding = Bind(_stepX, new long[] { 1, 1, i }, _stepY, new long[] { 1, 1, h }, state);
        _forwardBinding = Bind(workload.Input, new long[] { workload.Steps, 1, i }, _forwardY, new long[] { workload.Steps, 1, h }, state);
    }

    private OrtIoBinding Bind(float[] x, long[] xShape, float[] y, long[] yShape, long[] state)
    {
        OrtIoBinding binding = _session.CreateIoBinding();
        binding.BindInput("x", Value(x, xShape));
        binding.BindInput("h0", Value(_h0, state));
        binding.BindOutput("y", Value(y, yShape));
        binding.BindOutput("h", Value(_hidden, state));
        return binding;
    }

    private OrtValue Value(float[] data, long[] shape)
    {
        OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
        _values.Add(value);
        return value;
    }

    public string Name => "ONNX Runtime GRU";

    public ReadOnlySpan<float> Hidden => _hidden;

    public void Reset() => Array.Clear(_h0);

    public void Step()
    {
        _session.RunWithBinding(_runOptions, _stepBinding);
        _hidden.CopyTo(_h0, 0);
    }

    public void Forward()
    {
        _session.RunWithBinding(_runOptions, _forwardBinding);
        _hidden.CopyTo(_h0, 0);
    }

    public void Dispose()
    {
        _stepBinding.Dispose();
        _forwardBinding.Dispose();
        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }
}
