using Microsoft.ML.OnnxRuntime;

namespace LstmGen.Benchmarks.Contestants;

/// <summary>
/// Contestant 5: ONNX Runtime's LSTM operator (the model exported from the same PyTorch weights by
/// models/make_models.py), one intra-op thread, inputs and outputs bound once to preallocated buffers with an
/// IOBinding, so a call allocates nothing managed.
/// </summary>
public sealed class OnnxLstm : IContestant, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding _stepBinding, _forwardBinding;
    private readonly List<OrtValue> _values = new();
    private readonly float[] _stepX, _h0, _c0, _stepY, _hidden, _cell, _forwardY;
    private readonly int _h;

    public OnnxLstm(Weights weights, Workload workload)
    {
        _h = weights.HiddenSize;
        int i = weights.InputSize;
        string path = Path.Combine(AppContext.BaseDirectory, "models", $"lstm_I{i}_H{_h}.onnx");
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(path, options);

        _stepX = workload.Input.AsSpan(0, i).ToArray();
        _h0 = new float[_h];
        _c0 = new float[_h];
        _stepY = new float[_h];
        _hidden = new float[_h];
        _cell = new float[_h];
        _forwardY = new float[workload.Steps * _h];

        long[] state = { 1, 1, _h };
        _stepBinding = Bind(_stepX, new long[] { 1, 1, i }, _stepY, new long[] { 1, 1, _h }, state);
        _forwardBinding = Bind(workload.Input, new long[] { workload.Steps, 1, i }, _forwardY, new long[] { workload.Steps, 1, _h }, state);
    }

    private OrtIoBinding Bind(float[] x, long[] xShape, float[] y, long[] yShape, long[] state)
    {
        OrtIoBinding binding = _session.CreateIoBinding();
        binding.BindInput("x", Value(x, xShape));
        binding.BindInput("h0", Value(_h0, state));
        binding.BindInput("c0", Value(_c0, state));
        binding.BindOutput("y", Value(y, yShape));
        binding.BindOutput("h", Value(_hidden, state));
        binding.BindOutput("c", Value(_cell, state));
        return binding;
    }

    private OrtValue Value(float[] data, long[] shape)
    {
        OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
        _values.Add(value);
        return value;
    }

    public string Name => "ONNX Runtime";

    public ReadOnlySpan<float> Hidden => _hidden;

    public void Reset()
    {
        Array.Clear(_h0);
        Array.Clear(_c0);
    }

    // The state stays in separate input buffers (ONNX Runtime may not alias inputs and outputs): a step is one
    // Run plus two H-float copies, which is what a streaming caller does.
    public void Step()
    {
        _session.RunWithBinding(_runOptions, _stepBinding);
        _hidden.CopyTo(_h0, 0);
        _cell.CopyTo(_c0, 0);
    }

    public void Forward()
    {
        _session.RunWithBinding(_runOptions, _forwardBinding);
        _hidden.CopyTo(_h0, 0);
        _cell.CopyTo(_c0, 0);
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
