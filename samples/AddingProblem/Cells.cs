using LstmGen;

namespace AddingProblem;

/// <summary>
/// What the trainer needs from a recurrent layer, over the generated <c>[Lstm]</c> (<see cref="ILstm"/>) or
/// <c>[Gru]</c> (<see cref="IGru"/>): the LSTM's cell state is kept here, since the task starts every sequence from zero.
/// </summary>
public interface IRecurrentLayer
{
    string Name { get; }
    int InputSize { get; }
    int HiddenSize { get; }
    int SequenceLength { get; }
    int ParameterCount { get; }
    Span<float> Parameters { get; }
    Span<float> Gradients { get; }
    void ZeroGradients();

    /// <summary>PyTorch's default initialization, then the "remember" gate biased open (see the implementations).</summary>
    void Initialize(int seed);

    /// <summary>Runs a sequence from the zero state; <paramref name="hidden"/> receives h_T.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden);

    /// <summary><see cref="Forward"/> recording the tape for <see cref="BackwardFromTape"/>.</summary>
    void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape);

    /// <summary>The backward pass for a loss on h_T only.</summary>
    void BackwardFromTape(ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> finalHiddenGradient);

    int TapeLength { get; }

    /// <summary>Floats a batch tape for <paramref name="sequences"/> sequences needs.</summary>
    int BatchTapeLength(int sequences);

    /// <summary>B sequences from the zero state at once, recording a batch tape; <paramref name="hidden"/> [B, H] receives each h_T.</summary>
    void ForwardBatch(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape);

    /// <summary>The batched backward pass for a loss on each sequence's h_T only; parameter gradients are summed.</summary>
    void BackwardBatchFromTape(ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> finalHiddenGradient);
}

/// <summary>The adapter for a generated LSTM.</summary>
public sealed class LstmLayer : IRecurrentLayer
{
    private readonly ILstm _lstm;
    private readonly float[] _cell, _zeros, _zeroOutputs, _inputGradient, _initialGradient;

    public LstmLayer(ILstm lstm)
    {
        _lstm = lstm;
        _cell = new float[lstm.HiddenSize];
        _zeros = new float[lstm.HiddenSize];
        _zeroOutputs = new float[lstm.SequenceLength * lstm.HiddenSize];
        _inputGradient = new float[lstm.SequenceLength * lstm.InputSize];
        _initialGradient = new float[2 * lstm.HiddenSize];
    }

    public string Name => "LSTM";
    public int InputSize => _lstm.InputSize;
    public int HiddenSize => _lstm.HiddenSize;
    public int SequenceLength => _lstm.SequenceLength;
    public int ParameterCount => _lstm.ParameterCount;
    public int TapeLength => _lstm.TapeLength;
    public int BatchTapeLength(int sequences) => _lstm.BatchTapeLength(sequences);
    public Span<float> Parameters => _lstm.Parameters;
    public Span<float> Gradients => _lstm.Gradients;
    public void ZeroGradients() => _lstm.ZeroGradients();

    /// <summary>
    /// A forget-gate bias of 1 (Gers et al., 2000; Jozefowicz et al., 2015) starts the cell close to "remember", so the
    /// marked values survive the long lags early in training. Done through the PyTorch layout, whose gate order
    /// (i, f, g, o) is documented: rows H..2H-1 of bias_ih_l0 are the forget gate.
    /// </summary>
    public void Initialize(int seed)
    {
        _lstm.InitializeParameters(seed);
        int h = HiddenSize, i = InputSize;
        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        _lstm.ExportPyTorch(wih, whh, bih, bhh);
        Array.Fill(bih, 1f, h, h);
        Array.Fill(bhh, 0f, h, h);
        _lstm.ImportPyTorch(wih, whh, bih, bhh);
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden)
    {
        hidden.Clear();
        _cell.AsSpan().Clear();
        _lstm.Forward(input, output, hidden, _cell);
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape)
    {
        hidden.Clear();
        _cell.AsSpan().Clear();
        _lstm.Forward(input, output, hidden, _cell, tape);
    }

    private float[] _batchCell = Array.Empty<float>(), _batchZeros = Array.Empty<float>(), _batchOutputs = Array.Empty<float>(), _batchInputGradient = Array.Empty<float>(), _batchInitial = Array.Empty<float>();

    public void ForwardBatch(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape)
    {
        EnsureBatch(hidden.Length / HiddenSize);
        hidden.Clear();
        _batchCell.AsSpan().Clear();
        _lstm.ForwardBatch(input, output, hidden, _batchCell, tape);
    }

    public void BackwardBatchFromTape(ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> finalHiddenGradient)
    {
        int b = finalHiddenGradient.Length / HiddenSize;
        EnsureBatch(b);
        _lstm.BackwardBatchFromTape(input, tape, _batchOutputs.AsSpan(0, input.Length / InputSize * HiddenSize), finalHiddenGradient, _batchZeros,
            _batchInputGradient.AsSpan(0, input.Length), _batchInitial.AsSpan(0, b * HiddenSize), _batchInitial.AsSpan(b * HiddenSize));
    }

    // Buffers for a batch size, allocated when it first appears (training uses one size throughout).
    private void EnsureBatch(int b)
    {
        if (_batchCell.Length != b * HiddenSize)
        {
            _batchCell = new float[b * HiddenSize];
            _batchZeros = new float[b * HiddenSize];
            _batchOutputs = new float[b * SequenceLength * HiddenSize];
            _batchInputGradient = new float[b * SequenceLength * InputSize];
            _batchInitial = new float[2 * b * HiddenSize];
        }
    }

    public void BackwardFromTape(ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> finalHiddenGradient)
    {
        int steps = input.Length / InputSize;
        _lstm.BackwardFromTape(input, tape, _zeroOutputs.AsSpan(0, steps * HiddenSize), finalHiddenGradient, _zeros,
            _inputGradient.AsSpan(0, steps * InputSize), _initialGradient.AsSpan(0, HiddenSize), _initialGradient.AsSpan(HiddenSize));
    }
}

/// <summary>The adapter for a generated GRU.</summary>
public sealed class GruLayer : IRecurrentLayer
{
    private readonly IGru _gru;
    private readonly float[] _zeroOutputs, _inputGradient, _initialGradient;

    public GruLayer(IGru gru)
    {
        _gru = gru;
        _zeroOutputs = new float[gru.SequenceLength * gru.HiddenSize];
        _inputGradient = new float[gru.SequenceLength * gru.InputSize];
        _initialGradient = new float[gru.HiddenSize];
    }

    public string Name => "GRU";
    public int InputSize => _gru.InputSize;
    public int HiddenSize => _gru.HiddenSize;
    public int SequenceLength => _gru.SequenceLength;
    public int ParameterCount => _gru.ParameterCount;
    public int TapeLength => _gru.TapeLength;
    public int BatchTapeLength(int sequences) => _gru.BatchTapeLength(sequences);
    public Span<float> Parameters => _gru.Parameters;
    public Span<float> Gradients => _gru.Gradients;
    public void ZeroGradients() => _gru.ZeroGradients();

    /// <summary>
    /// The GRU's counterpart of the forget-gate bias: an update-gate bias of 1 (rows H..2H-1 of bias_ih_l0, gate order
    /// r, z, n) starts h' = (1 − z)·n + z·h close to "keep h".
    /// </summary>
    public void Initialize(int seed)
    {
        _gru.InitializeParameters(seed);
        int h = HiddenSize, i = InputSize;
        float[] wih = new float[3 * h * i], whh = new float[3 * h * h], bih = new float[3 * h], bhh = new float[3 * h];
        _gru.ExportPyTorch(wih, whh, bih, bhh);
        Array.Fill(bih, 1f, h, h);
        Array.Fill(bhh, 0f, h, h);
        _gru.ImportPyTorch(wih, whh, bih, bhh);
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden)
    {
        hidden.Clear();
        _gru.Forward(input, output, hidden);
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape)
    {
        hidden.Clear();
        _gru.Forward(input, output, hidden, tape);
    }

    private float[] _batchOutputs = Array.Empty<float>(), _batchInputGradient = Array.Empty<float>(), _batchInitial = Array.Empty<float>();

    public void ForwardBatch(ReadOnlySpan<float> input, Span<float> output, Span<float> hidden, Span<float> tape)
    {
        hidden.Clear();
        _gru.ForwardBatch(input, output, hidden, tape);
    }

    public void BackwardBatchFromTape(ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> finalHiddenGradient)
    {
        int b = finalHiddenGradient.Length / HiddenSize;
        if (_batchInitial.Length != b * HiddenSize)
        {
            _batchOutputs = new float[b * SequenceLength * HiddenSize];
            _batchInputGradient = new float[b * SequenceLength * InputSize];
            _batchInitial = new float[b * HiddenSize];
        }

        _gru.BackwardBatchFromTape(input, tape, _batchOutputs.AsSpan(0, input.Length / InputSize * HiddenSize), finalHiddenGradient,
            _batchInputGradient.AsSpan(0, input.Length), _batchInitial);
    }

    public void BackwardFromTape(ReadOnlySpan<float> input, Span<float> tape, ReadOnlySpan<float> finalHiddenGradient)
    {
        int steps = input.Length / InputSize;
        _gru.BackwardFromTape(input, tape, _zeroOutputs.AsSpan(0, steps * HiddenSize), finalHiddenGradient,
            _inputGradient.AsSpan(0, steps * InputSize), _initialGradient);
    }
}
