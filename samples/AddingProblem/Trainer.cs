using System.Diagnostics;
using LstmGen;
using LstmGen.Training;

namespace AddingProblem;

/// <summary>Options of one training run.</summary>
public sealed record TrainingOptions(int Steps, int Seed, int BatchSize, float LearningRate, float MaxGradientNorm, int ReportEvery, bool Batched = false);

/// <summary>One progress report.</summary>
public sealed record Progress(int Iteration, float TrainLoss, double ElapsedSeconds, double SamplesPerSecond);

/// <summary>
/// Trains a generated LSTM or GRU plus a Linear readout on the last hidden state with minibatches, Adam and global-norm
/// clipping. Every buffer is allocated up front: the training loop itself allocates nothing.
/// </summary>
public sealed class Trainer
{
    private readonly IRecurrentLayer _layer;
    private readonly Linear _readout;
    private readonly Adam _layerOptimizer;
    private readonly Adam _readoutOptimizer;
    private readonly TrainingOptions _options;
    private readonly float[] _input, _output, _tape, _hidden, _hiddenGradient;
    private readonly float[] _prediction = new float[1], _target = new float[1], _predictionGradient = new float[1];
    private readonly float[] _batchInput, _batchOutput, _batchTape, _batchHidden, _batchHiddenGradient, _batchTargets;

    /// <summary>Trains a generated LSTM.</summary>
    public Trainer(ILstm lstm, TrainingOptions options)
        : this(new LstmLayer(lstm), options)
    {
    }

    /// <summary>Trains a generated GRU.</summary>
    public Trainer(IGru gru, TrainingOptions options)
        : this(new GruLayer(gru), options)
    {
    }

    public Trainer(IRecurrentLayer layer, TrainingOptions options)
    {
        _layer = layer;
        _options = options;
        int h = layer.HiddenSize, t = layer.SequenceLength, i = layer.InputSize;

        layer.Initialize(options.Seed);
        _readout = new Linear(h, 1);
        _readout.InitializeParameters(options.Seed + 1);
        _layerOptimizer = new Adam(layer.ParameterCount, options.LearningRate);
        _readoutOptimizer = new Adam(_readout.ParameterCount, options.LearningRate);

        _input = new float[t * i];
        _output = new float[t * h];
        _tape = new float[layer.TapeLength];
        _hidden = new float[h];
        _hiddenGradient = new float[h];
        int b = options.Batched ? options.BatchSize : 0;
        _batchInput = new float[b * t * i];
        _batchOutput = new float[b * t * h];
        _batchTape = b == 0 ? Array.Empty<float>() : new float[layer.BatchTapeLength(b)];
        _batchHidden = new float[b * h];
        _batchHiddenGradient = new float[b * h];
        _batchTargets = new float[b];
    }

    /// <summary>Predicts the target of one sequence.</summary>
    public float Predict(ReadOnlySpan<float> input)
    {
        _layer.Forward(input, _output, _hidden);
        _readout.Forward(_hidden, _prediction);
        return _prediction[0];
    }

    /// <summary>Runs the training loop, calling <paramref name="report"/> every <c>ReportEvery</c> iterations.</summary>
    public void Train(AddingTask task, Action<Progress> report)
    {
        var stopwatch = Stopwatch.StartNew();
        double intervalLoss = 0;
        int intervalSamples = 0;
        for (int iteration = 1; iteration <= _options.Steps; iteration++)
        {
            _layer.ZeroGradients();
            _readout.ZeroGradients();
            if (_options.Batched)
            {
                intervalLoss += TrainBatched(task);
                intervalSamples += _options.BatchSize;
            }

            for (int b = 0; b < (_options.Batched ? 0 : _options.BatchSize); b++)
            {
                _target[0] = task.Next(_input);

                // Forward once, recording what the backward pass needs.
                _layer.Forward(_input, _output, _hidden, _tape);
                _readout.Forward(_hidden, _prediction);

                // Loss on the last hidden state only; the batch mean is the sum of per-sample losses / B.
                float loss = Losses.MeanSquaredError(_prediction, _target, _predictionGradient);
                _predictionGradient[0] /= _options.BatchSize;
                intervalLoss += loss;
                intervalSamples++;

                // Backward: readout, then the recurrent layer from its tape (∂L/∂h_T from the readout, nothing via outputs).
                _readout.Backward(_hidden, _predictionGradient, _hiddenGradient);
                _layer.BackwardFromTape(_input, _tape, _hiddenGradient);
            }

            // Exploding gradients are tamed by clipping the joint norm of all parameters' gradients.
            GradientClipping.ClipByGlobalNorm(_layer.Gradients, _readout.Gradients, _options.MaxGradientNorm);
            _layerOptimizer.Step(_layer.Parameters, _layer.Gradients);
            _readoutOptimizer.Step(_readout.Parameters, _readout.Gradients);

            if (iteration % _options.ReportEvery == 0 || iteration == _options.Steps)
            {
                double elapsed = stopwatch.Elapsed.TotalSeconds;
                report(new Progress(iteration, (float)(intervalLoss / intervalSamples), elapsed, (double)iteration * _options.BatchSize / elapsed));
                intervalLoss = 0;
                intervalSamples = 0;
            }
        }
    }

    /// <summary>
    /// One minibatch through the batched members: all sequences' forward passes in one ForwardBatch (each weight loaded
    /// serves several sequences), the readout per sequence, then one BackwardBatchFromTape. Returns the summed loss.
    /// </summary>
    private double TrainBatched(AddingTask task)
    {
        int b = _options.BatchSize, h = _layer.HiddenSize, length = _input.Length;
        for (int s = 0; s < b; s++)
        {
            _batchTargets[s] = task.Next(_batchInput.AsSpan(s * length, length));
        }

        _layer.ForwardBatch(_batchInput, _batchOutput, _batchHidden, _batchTape);
        double loss = 0;
        for (int s = 0; s < b; s++)
        {
            Span<float> hidden = _batchHidden.AsSpan(s * h, h);
            _readout.Forward(hidden, _prediction);
            _target[0] = _batchTargets[s];
            loss += Losses.MeanSquaredError(_prediction, _target, _predictionGradient);
            _predictionGradient[0] /= b;
            _readout.Backward(hidden, _predictionGradient, _batchHiddenGradient.AsSpan(s * h, h));
        }

        _layer.BackwardBatchFromTape(_batchInput, _batchTape, _batchHiddenGradient);
        return loss;
    }

    /// <summary>The test MSE over <paramref name="count"/> fresh sequences, and that of always predicting 1.0.</summary>
    public (double ModelMse, double BaselineMse) Evaluate(AddingTask task, int count)
    {
        double model = 0, baseline = 0;
        var input = new float[_input.Length];
        for (int n = 0; n < count; n++)
        {
            float target = task.Next(input);
            float prediction = Predict(input);
            model += (prediction - target) * (prediction - target);
            baseline += (1f - target) * (1f - target);
        }

        return (model / count, baseline / count);
    }
}
