using LstmGen.Training;

namespace LstmGen.Benchmarks.Contestants;

// samples/AddingProblem's recurrent layers at T = 50.
[Lstm(inputSize: 2, hiddenSize: 64, sequenceLength: 50)] public sealed partial class AddingLstm { }
[Gru(inputSize: 2, hiddenSize: 64, sequenceLength: 50)] public sealed partial class AddingGru { }

/// <summary>
/// One minibatch training step of samples/AddingProblem's model, the work <c>benchmarks/pytorch/minibatch_step.py</c>
/// times in PyTorch: B = 32 adding-problem sequences of T = 50 steps through an LSTM or GRU (2 → 64) from the zero
/// state, a Linear(64 → 1) on each h_T, the mean squared error, the backward pass, one Adam step for each of the two
/// modules. Per sequence (<c>Forward</c> with a tape, then <c>BackwardFromTape</c>, 32 times) or batched (one
/// <c>ForwardBatch</c> with a batch tape, one <c>BackwardBatchFromTape</c>). The minibatch is generated once and reused:
/// only the training step is timed. No gradient clipping (the PyTorch script has none either).
/// </summary>
public abstract class MinibatchStep
{
    public const int Batch = 32, SequenceLength = 50, InputSize = 2, HiddenSize = 64;

    private readonly Linear _readout = new(HiddenSize, 1);
    private readonly Adam _layerOptimizer, _readoutOptimizer;
    private readonly float[] _prediction = new float[1], _target = new float[1], _predictionGradient = new float[1];

    protected MinibatchStep(int parameterCount, bool batched)
    {
        Batched = batched;
        _readout.InitializeParameters(seed: 2);
        _layerOptimizer = new Adam(parameterCount, learningRate: 0.003f);
        _readoutOptimizer = new Adam(_readout.ParameterCount, learningRate: 0.003f);
        var random = new Random(1);
        for (int s = 0; s < Batch; s++)
        {
            Targets[s] = NextSequence(random, Input.AsSpan(s * SequenceLength * InputSize, SequenceLength * InputSize));
        }
    }

    public bool Batched { get; }

    /// <summary>"LSTM" or "GRU".</summary>
    public abstract string Cell { get; }

    /// <summary>Zmm fused multiply-adds per step and sequence of forward + backward: G·H·(I + H)/16 each for the forward gate sums, ∂L/∂W and ∂L/∂[x; h] (G = 4 or 3).</summary>
    public double FusedMultiplyAddsPerStep => 3.0 * Gates * HiddenSize * (InputSize + HiddenSize) / 16;

    /// <summary>[B, T, I], the minibatch.</summary>
    protected float[] Input { get; } = new float[Batch * SequenceLength * InputSize];

    protected float[] Targets { get; } = new float[Batch];

    /// <summary>[B, H]: each sequence's h_T.</summary>
    protected float[] FinalHidden { get; } = new float[Batch * HiddenSize];

    /// <summary>[B, H]: ∂L/∂h_T from the readout.</summary>
    protected float[] FinalHiddenGradient { get; } = new float[Batch * HiddenSize];

    /// <summary>The recurrent layer's accumulated parameter gradients.</summary>
    public abstract Span<float> Gradients { get; }

    protected abstract int Gates { get; }

    protected abstract Span<float> Parameters { get; }

    protected abstract void ZeroGradients();

    /// <summary>Sequence s from the zero state, recording its tape; h_T into row s of <see cref="FinalHidden"/>.</summary>
    protected abstract void ForwardSequence(int s);

    /// <summary>The backward pass of sequence s from row s of <see cref="FinalHiddenGradient"/> (nothing via the outputs).</summary>
    protected abstract void BackwardSequence(int s);

    /// <summary>All sequences from the zero state at once, recording the batch tape.</summary>
    protected abstract void ForwardBatch();

    /// <summary>The batched backward pass from <see cref="FinalHiddenGradient"/>.</summary>
    protected abstract void BackwardBatch();

    /// <summary>One training step: gradients of the minibatch's mean loss, then Adam.</summary>
    public void Step()
    {
        ComputeGradients();
        _layerOptimizer.Step(Parameters, Gradients);
        _readoutOptimizer.Step(_readout.Parameters, _readout.Gradients);
    }

    /// <summary>Zeroes the gradients and accumulates those of the minibatch's mean loss; returns the loss.</summary>
    public double ComputeGradients()
    {
        ZeroGradients();
        _readout.ZeroGradients();
        double loss = 0;
        if (Batched)
        {
            ForwardBatch();
            for (int s = 0; s < Batch; s++)
            {
                loss += Readout(s);
            }

            BackwardBatch();
        }
        else
        {
            for (int s = 0; s < Batch; s++)
            {
                ForwardSequence(s);
                loss += Readout(s);
                BackwardSequence(s);
            }
        }

        return loss / Batch;
    }

    /// <summary>The batched and the per-sequence gradients of one minibatch agree within 1e-4 of the largest.</summary>
    public static void VerifyAgreement(MinibatchStep perSequence, MinibatchStep batched)
    {
        double lossEach = perSequence.ComputeGradients(), lossBatched = batched.ComputeGradients();
        float[] reference = perSequence.Gradients.ToArray(), other = batched.Gradients.ToArray();
        float scale = reference.Max(MathF.Abs), worst = reference.Zip(other, (a, b) => MathF.Abs(a - b)).Max();
        if (!(worst <= 1e-4f * scale) || Math.Abs(lossEach - lossBatched) > 1e-5)
        {
            throw new InvalidOperationException($"{batched.Cell}: batched gradients differ from the per-sequence ones by {worst} (largest {scale}); losses {lossEach}, {lossBatched}.");
        }
    }

    /// <summary>Linear(64 → 1) on h_T of sequence s, the loss (divided by B: the batch mean) and ∂L/∂h_T.</summary>
    private float Readout(int s)
    {
        Span<float> hidden = FinalHidden.AsSpan(s * HiddenSize, HiddenSize);
        _readout.Forward(hidden, _prediction);
        _target[0] = Targets[s];
        float loss = Losses.MeanSquaredError(_prediction, _target, _predictionGradient);
        _predictionGradient[0] /= Batch;
        _readout.Backward(hidden, _predictionGradient, FinalHiddenGradient.AsSpan(s * HiddenSize, HiddenSize));
        return loss;
    }

    /// <summary>An adding-problem sequence (as samples/AddingProblem's AddingTask): T pairs (U(0, 1), marker), two markers, one per half; returns their sum.</summary>
    private static float NextSequence(Random random, Span<float> input)
    {
        int first = random.Next(0, SequenceLength / 2), second = random.Next(SequenceLength / 2, SequenceLength);
        float target = 0;
        for (int t = 0; t < SequenceLength; t++)
        {
            float marker = t == first || t == second ? 1f : 0f;
            input[2 * t] = random.NextSingle();
            input[2 * t + 1] = marker;
            target += marker * input[2 * t];
        }

        return target;
    }
}

/// <summary>The minibatch step with the generated LSTM(2 → 64).</summary>
public sealed class LstmMinibatchStep : MinibatchStep
{
    private readonly AddingLstm _lstm = new();
    private readonly float[] _cell = new float[HiddenSize], _output = new float[SequenceLength * HiddenSize], _tape = new float[AddingLstm.TapeLength];
    private readonly float[] _zeroOutputs = new float[SequenceLength * HiddenSize], _zeros = new float[HiddenSize];
    private readonly float[] _inputGradient = new float[SequenceLength * InputSize], _initialHiddenGradient = new float[HiddenSize], _initialCellGradient = new float[HiddenSize];
    private readonly float[] _batchCell = new float[Batch * HiddenSize], _batchOutput = new float[Batch * SequenceLength * HiddenSize], _batchTape = new float[AddingLstm.BatchTapeLength(Batch)];
    private readonly float[] _batchZeroOutputs = new float[Batch * SequenceLength * HiddenSize], _batchZeros = new float[Batch * HiddenSize];
    private readonly float[] _batchInputGradient = new float[Batch * SequenceLength * InputSize], _batchInitialHiddenGradient = new float[Batch * HiddenSize], _batchInitialCellGradient = new float[Batch * HiddenSize];

    public LstmMinibatchStep(bool batched)
        : base(AddingLstm.ParameterCount, batched)
    {
        _lstm.InitializeParameters(seed: 1);
        _ = _lstm.Gradients; // allocated outside the timed calls
    }

    public override string Cell => "LSTM";

    public override Span<float> Gradients => _lstm.Gradients;

    protected override int Gates => 4;

    protected override Span<float> Parameters => _lstm.Parameters;

    protected override void ZeroGradients() => _lstm.ZeroGradients();

    protected override void ForwardSequence(int s)
    {
        Span<float> hidden = FinalHidden.AsSpan(s * HiddenSize, HiddenSize);
        hidden.Clear();
        Array.Clear(_cell);
        _lstm.Forward(Input.AsSpan(s * _inputGradient.Length, _inputGradient.Length), _output, hidden, _cell, _tape);
    }

    protected override void BackwardSequence(int s) => _lstm.BackwardFromTape(
        Input.AsSpan(s * _inputGradient.Length, _inputGradient.Length), _tape, _zeroOutputs, FinalHiddenGradient.AsSpan(s * HiddenSize, HiddenSize), _zeros,
        _inputGradient, _initialHiddenGradient, _initialCellGradient);

    protected override void ForwardBatch()
    {
        Array.Clear(FinalHidden);
        Array.Clear(_batchCell);
        _lstm.ForwardBatch(Input, _batchOutput, FinalHidden, _batchCell, _batchTape);
    }

    protected override void BackwardBatch() => _lstm.BackwardBatchFromTape(
        Input, _batchTape, _batchZeroOutputs, FinalHiddenGradient, _batchZeros, _batchInputGradient, _batchInitialHiddenGradient, _batchInitialCellGradient);
}

/// <summary>The minibatch step with the generated GRU(2 → 64).</summary>
public sealed class GruMinibatchStep : MinibatchStep
{
    private readonly AddingGru _gru = new();
    private readonly float[] _output = new float[SequenceLength * HiddenSize], _tape = new float[AddingGru.TapeLength];
    private readonly float[] _zeroOutputs = new float[SequenceLength * HiddenSize];
    private readonly float[] _inputGradient = new float[SequenceLength * InputSize], _initialHiddenGradient = new float[HiddenSize];
    private readonly float[] _batchOutput = new float[Batch * SequenceLength * HiddenSize], _batchTape = new float[AddingGru.BatchTapeLength(Batch)];
    private readonly float[] _batchZeroOutputs = new float[Batch * SequenceLength * HiddenSize];
    private readonly float[] _batchInputGradient = new float[Batch * SequenceLength * InputSize], _batchInitialHiddenGradient = new float[Batch * HiddenSize];

    public GruMinibatchStep(bool batched)
        : base(AddingGru.ParameterCount, batched)
    {
        _gru.InitializeParameters(seed: 1);
        _ = _gru.Gradients;
    }

    public override string Cell => "GRU";

    public override Span<float> Gradients => _gru.Gradients;

    protected override int Gates => 3;

    protected override Span<float> Parameters => _gru.Parameters;

    protected override void ZeroGradients() => _gru.ZeroGradients();

    protected override void ForwardSequence(int s)
    {
        Span<float> hidden = FinalHidden.AsSpan(s * HiddenSize, HiddenSize);
        hidden.Clear();
        _gru.Forward(Input.AsSpan(s * _inputGradient.Length, _inputGradient.Length), _output, hidden, _tape);
    }

    protected override void BackwardSequence(int s) => _gru.BackwardFromTape(
        Input.AsSpan(s * _inputGradient.Length, _inputGradient.Length), _tape, _zeroOutputs, FinalHiddenGradient.AsSpan(s * HiddenSize, HiddenSize),
        _inputGradient, _initialHiddenGradient);

    protected override void ForwardBatch()
    {
        Array.Clear(FinalHidden);
        _gru.ForwardBatch(Input, _batchOutput, FinalHidden, _batchTape);
    }

    protected override void BackwardBatch() => _gru.BackwardBatchFromTape(
        Input, _batchTape, _batchZeroOutputs, FinalHiddenGradient, _batchInputGradient, _batchInitialHiddenGradient);
}
