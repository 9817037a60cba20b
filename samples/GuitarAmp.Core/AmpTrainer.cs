using System.Diagnostics;
using LstmGen;
using LstmGen.Training;

namespace GuitarAmp;

/// <summary>Options of one training run of <see cref="AmpTrainer"/>.</summary>
public sealed record AmpTrainingOptions
{
    /// <summary>Optimizer updates (one per chunk of <c>SequenceLength</c> samples of every sequence in the batch).</summary>
    public int Steps { get; init; } = 2_400;

    /// <summary>Sequences per minibatch, run together through <c>ForwardBatch</c>/<c>BackwardBatchFromTape</c>.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Chunks per sampled window: the state is carried from chunk to chunk, the gradient is not (truncated BPTT).</summary>
    public int ChunksPerWindow { get; init; } = 8;

    /// <summary>Samples run before a window's first chunk without gradient, so that it starts from a realistic state.</summary>
    public int WarmupSamples { get; init; } = 256;

    /// <summary>Adam's learning rate at the start; it decays along a half cosine to <see cref="FinalLearningRate"/>.</summary>
    public float LearningRate { get; init; } = 0.005f;

    /// <summary>The learning rate at the last step.</summary>
    public float FinalLearningRate { get; init; } = 0.0002f;

    /// <summary>Gradients are scaled so that the joint L2 norm of the LSTM's and the head's is at most this.</summary>
    public float MaxGradientNorm { get; init; } = 1f;

    /// <summary>
    /// The pre-emphasis filter <c>1 − a·z⁻¹</c> applied to the error and the target in the loss (0.85 in
    /// Wright et al., 2020; it weights high frequencies up, where audible distortion lives); 0 trains on the plain ESR.
    /// </summary>
    public float PreEmphasis { get; init; }

    /// <summary>Seed of the initialization and of the windows drawn.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Progress is reported every this many steps (and at the last).</summary>
    public int ReportEvery { get; init; } = 10;

    /// <summary>Stops early when training has taken this long (null: run all <see cref="Steps"/>).</summary>
    public TimeSpan? TimeLimit { get; init; }
}

/// <summary>One progress report of <see cref="AmpTrainer.Train"/>.</summary>
/// <param name="Step">Updates done.</param>
/// <param name="Steps">Updates planned.</param>
/// <param name="TrainLoss">The mean training loss (ESR, pre-emphasized if so configured) since the last report.</param>
/// <param name="LearningRate">The learning rate of the last update.</param>
/// <param name="ElapsedSeconds">Training time so far.</param>
/// <param name="SamplesPerSecond">Sample steps (forward and backward) per second so far.</param>
public sealed record AmpProgress(int Step, int Steps, double TrainLoss, float LearningRate, double ElapsedSeconds, double SamplesPerSecond);

/// <summary>
/// Trains the classic amp model of Wright, Damskägg and Välimäki (2019, 2020): a one-layer LSTM on the audio sample,
/// a <see cref="Linear"/> head on its hidden state and a skip connection, <c>ŷ_t = W·h_t + b + x_t</c>; truncated
/// backpropagation through time over random windows of the training audio, minibatches through the batched kernels,
/// Adam with a cosine learning-rate decay and global-norm gradient clipping, loss = error-to-signal ratio (optionally
/// pre-emphasized). Every buffer is allocated in the constructor: the training loop allocates nothing.
/// </summary>
public sealed class AmpTrainer
{
    private const float LossEpsilon = 1e-5f; // added to the mean signal power (as CoreAudioML does): a silent chunk must not divide by 0

    private readonly AmpTrainingOptions _options;
    private readonly int _hidden, _length, _batch;
    private readonly Adam _lstmOptimizer, _headOptimizer;
    private readonly float[] _input, _target, _output, _outputGradient, _tape;
    private readonly float[] _state, _cell, _zeros, _inputGradient, _initialGradient;
    private readonly float[] _prediction = new float[1], _predictions, _predictionGradients;
    private readonly int[] _windowStarts;

    /// <summary>Prepares training of <paramref name="lstm"/> (input size 1) and a new head.</summary>
    /// <param name="lstm">A generated <c>[Lstm(1, H, T)]</c>; its parameters are initialized here.</param>
    /// <param name="options">The run's options.</param>
    /// <exception cref="ArgumentException">The LSTM does not take one input, or an option is out of range.</exception>
    public AmpTrainer(ILstm lstm, AmpTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(lstm);
        ArgumentNullException.ThrowIfNull(options);
        if (lstm.InputSize != 1)
        {
            throw new ArgumentException($"The amp model takes one input (the audio sample), but '{nameof(lstm)}' takes {lstm.InputSize}.", nameof(lstm));
        }

        if (options.WarmupSamples < 1 || options.WarmupSamples > lstm.SequenceLength)
        {
            throw new ArgumentException($"'{nameof(options.WarmupSamples)}' must be between 1 and the LSTM's SequenceLength ({lstm.SequenceLength}), but it is {options.WarmupSamples}.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Steps, nameof(options.Steps));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ChunksPerWindow, nameof(options.ChunksPerWindow));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.ReportEvery, nameof(options.ReportEvery));

        Lstm = lstm;
        _options = options;
        _hidden = lstm.HiddenSize;
        _length = lstm.SequenceLength;
        _batch = options.BatchSize;

        // PyTorch's initialization, then the forget-gate bias at 1 (Gers et al., 2000): the cell starts out remembering.
        lstm.InitializeParameters(options.Seed);
        float[] weightIh = new float[4 * _hidden], weightHh = new float[4 * _hidden * _hidden], biasIh = new float[4 * _hidden], biasHh = new float[4 * _hidden];
        lstm.ExportPyTorch(weightIh, weightHh, biasIh, biasHh);
        Array.Fill(biasIh, 1f, _hidden, _hidden);
        Array.Fill(biasHh, 0f, _hidden, _hidden);
        lstm.ImportPyTorch(weightIh, weightHh, biasIh, biasHh);
        Head = new Linear(_hidden, 1);
        Head.InitializeParameters(options.Seed + 1);

        _lstmOptimizer = new Adam(lstm.ParameterCount, options.LearningRate);
        _headOptimizer = new Adam(Head.ParameterCount, options.LearningRate);

        int rows = _batch * _length;
        _input = new float[rows];
        _target = new float[rows];
        _predictions = new float[rows];
        _predictionGradients = new float[rows];
        _output = new float[rows * _hidden];
        _outputGradient = new float[rows * _hidden];
        _tape = new float[lstm.BatchTapeLength(_batch)];
        _state = new float[_batch * _hidden];
        _cell = new float[_batch * _hidden];
        _zeros = new float[_batch * _hidden];
        _inputGradient = new float[rows];
        _initialGradient = new float[2 * _batch * _hidden];
        _windowStarts = new int[_batch];
    }

    /// <summary>The LSTM being trained.</summary>
    public ILstm Lstm { get; }

    /// <summary>The readout head, <c>Linear(H → 1)</c>.</summary>
    public Linear Head { get; }

    /// <summary>The skip connection: the first this many inputs are added to the output (always 1 here).</summary>
    public int Skip => 1;

    /// <summary>Samples one training window spans: the warm-up and the chunks.</summary>
    public int WindowLength => _options.WarmupSamples + _options.ChunksPerWindow * _length;

    /// <summary>Updates done so far.</summary>
    public int StepsDone { get; private set; }

    /// <summary>Runs the training loop on a recording of the device.</summary>
    /// <param name="input">The device's input (the dry signal).</param>
    /// <param name="target">The device's output for it.</param>
    /// <param name="report">Called every <see cref="AmpTrainingOptions.ReportEvery"/> steps and after the last; may be null.</param>
    /// <param name="cancellation">Stops training between two steps.</param>
    /// <exception cref="ArgumentException">The lengths differ or the recording is shorter than one window.</exception>
    public void Train(ReadOnlySpan<float> input, ReadOnlySpan<float> target, Action<AmpProgress>? report = null, CancellationToken cancellation = default)
    {
        if (target.Length != input.Length)
        {
            throw new ArgumentException($"'{nameof(target)}' must have as many samples as '{nameof(input)}' ({input.Length}), but it has {target.Length}.", nameof(target));
        }

        if (input.Length < WindowLength)
        {
            throw new ArgumentException($"'{nameof(input)}' must hold at least one window ({WindowLength} samples), but it has {input.Length}.", nameof(input));
        }

        var random = new Random(_options.Seed + 2);
        var stopwatch = Stopwatch.StartNew();
        double intervalLoss = 0;
        int intervalSteps = 0;
        long sampleSteps = 0;
        int warmup = _options.WarmupSamples;
        while (StepsDone < _options.Steps)
        {
            // A window per sequence, anywhere in the recording; the warm-up runs from the zero state without gradient.
            for (int b = 0; b < _batch; b++)
            {
                _windowStarts[b] = random.Next(input.Length - WindowLength + 1);
            }

            Array.Clear(_state);
            Array.Clear(_cell);
            Gather(input, _input, warmup, 0);
            Lstm.ForwardBatch(_input.AsSpan(0, _batch * warmup), _output.AsSpan(0, _batch * warmup * _hidden), _state, _cell);

            for (int chunk = 0; chunk < _options.ChunksPerWindow && StepsDone < _options.Steps; chunk++)
            {
                int offset = warmup + chunk * _length;
                Gather(input, _input, _length, offset);
                Gather(target, _target, _length, offset);

                float learningRate = LearningRateAt(StepsDone);
                _lstmOptimizer.LearningRate = learningRate;
                _headOptimizer.LearningRate = learningRate;
                Lstm.ZeroGradients();
                Head.ZeroGradients();

                // Forward with a tape from the carried state; the loss and ∂L/∂h_t at every step; then back through time
                // within the chunk only (nothing flows in from the future: the final state's gradients are zero).
                Lstm.ForwardBatch(_input, _output, _state, _cell, _tape);
                intervalLoss += LossAndGradient();
                Lstm.BackwardBatchFromTape(_input, _tape, _outputGradient, _zeros, _zeros, _inputGradient,
                    _initialGradient.AsSpan(0, _batch * _hidden), _initialGradient.AsSpan(_batch * _hidden));

                GradientClipping.ClipByGlobalNorm(Lstm.Gradients, Head.Gradients, _options.MaxGradientNorm);
                _lstmOptimizer.Step(Lstm.Parameters, Lstm.Gradients);
                _headOptimizer.Step(Head.Parameters, Head.Gradients);
                StepsDone++;
                intervalSteps++;
                sampleSteps += _batch * _length;

                bool outOfTime = _options.TimeLimit is { } limit && stopwatch.Elapsed >= limit;
                if (report is not null && (StepsDone % _options.ReportEvery == 0 || StepsDone == _options.Steps || outOfTime))
                {
                    double elapsed = stopwatch.Elapsed.TotalSeconds;
                    report(new AmpProgress(StepsDone, _options.Steps, intervalLoss / intervalSteps, learningRate, elapsed, sampleSteps / elapsed));
                    intervalLoss = 0;
                    intervalSteps = 0;
                }

                if (outOfTime || cancellation.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs the model over a whole signal from the zero state: <c>ŷ_t = W·h_t + b + x_t</c>.</summary>
    /// <param name="input">The input samples.</param>
    /// <param name="output">Receives as many output samples.</param>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public void Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (output.Length != input.Length)
        {
            throw new ArgumentException($"'{nameof(output)}' must have as many samples as '{nameof(input)}' ({input.Length}), but it has {output.Length}.", nameof(output));
        }

        float[] hidden = new float[_hidden], cell = new float[_hidden], states = new float[_length * _hidden];
        for (int start = 0; start < input.Length; start += _length)
        {
            int steps = Math.Min(_length, input.Length - start);
            Lstm.Forward(input.Slice(start, steps), states.AsSpan(0, steps * _hidden), hidden, cell);
            for (int t = 0; t < steps; t++)
            {
                Head.Forward(states.AsSpan(t * _hidden, _hidden), _prediction);
                output[start + t] = _prediction[0] + input[start + t];
            }
        }
    }

    /// <summary>The error-to-signal ratio of the model on a recording, from the zero state.</summary>
    /// <param name="input">The device's input.</param>
    /// <param name="target">The device's output.</param>
    /// <returns>Σ(y − ŷ)² / Σy².</returns>
    public double Evaluate(ReadOnlySpan<float> input, ReadOnlySpan<float> target)
    {
        float[] output = new float[input.Length];
        Process(input, output);
        return Metrics.ErrorToSignalRatio(target, output);
    }

    // Half-cosine decay from the initial to the final learning rate over all steps.
    private float LearningRateAt(int step)
    {
        double progress = _options.Steps == 1 ? 1 : (double)step / (_options.Steps - 1);
        return (float)(_options.FinalLearningRate + 0.5 * (_options.LearningRate - _options.FinalLearningRate) * (1 + Math.Cos(Math.PI * progress)));
    }

    // Copies `steps` samples from each window (at its start + offset) into the [B, steps] batch layout.
    private void Gather(ReadOnlySpan<float> source, float[] batch, int steps, int offset)
    {
        for (int b = 0; b < _batch; b++)
        {
            source.Slice(_windowStarts[b] + offset, steps).CopyTo(batch.AsSpan(b * steps, steps));
        }
    }

    // The chunk's loss from the hidden states in _output [B, T, H]: ŷ_t = W·h_t + b + x_t for every row, the loss and
    // ∂L/∂ŷ_t (Losses.ErrorToSignalRatio, pre-emphasis within each sequence), then through the head: ∂L/∂h_t = ∂L/∂ŷ_t·W
    // into _outputGradient, ∂L/∂W and ∂L/∂b into the head's gradients. (The skip adds x_t, which has no parameters.)
    private double LossAndGradient()
    {
        int rows = _batch * _length;
        for (int r = 0; r < rows; r++)
        {
            Head.Forward(_output.AsSpan(r * _hidden, _hidden), _predictions.AsSpan(r, 1));
            _predictions[r] += _input[r];
        }

        float loss = Losses.ErrorToSignalRatio(_predictions, _target, _predictionGradients, _batch, _options.PreEmphasis, LossEpsilon);
        for (int r = 0; r < rows; r++)
        {
            Head.Backward(_output.AsSpan(r * _hidden, _hidden), _predictionGradients.AsSpan(r, 1), _outputGradient.AsSpan(r * _hidden, _hidden));
        }

        return loss;
    }
}
