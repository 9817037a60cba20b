using System.Diagnostics;
using LstmGen;
using LstmGen.Training;

namespace AddingProblem;

/// <summary>Options of one training run.</summary>
public sealed record TrainingOptions(int Steps, int Seed, int BatchSize, float LearningRate, float MaxGradientNorm, int ReportEvery);

/// <summary>One progress report.</summary>
public sealed record Progress(int Iteration, float TrainLoss, double ElapsedSeconds, double SamplesPerSecond);

/// <summary>
/// Trains a generated LSTM plus a Linear readout on the last hidden state with minibatches, Adam and global-norm
/// clipping. Every buffer is allocated up front: the training loop itself allocates nothing.
/// </summary>
public sealed class Trainer
{
    private readonly ILstm _lstm;
    private readonly Linear _readout;
    private readonly Adam _lstmOptimizer;
    private readonly Adam _readoutOptimizer;
    private readonly TrainingOptions _options;
    private readonly float[] _input, _output, _tape, _hidden, _cell, _zeroOutputGradient, _zeroState;
    private readonly float[] _inputGradient, _hiddenGradient, _initialHiddenGradient, _initialCellGradient;
    private readonly float[] _prediction = new float[1], _target = new float[1], _predictionGradient = new float[1];

    public Trainer(ILstm lstm, TrainingOptions options)
    {
        _lstm = lstm;
        _options = options;
        int h = lstm.HiddenSize, t = lstm.SequenceLength, i = lstm.InputSize;

        lstm.InitializeParameters(options.Seed);
        SetForgetGateBias(lstm, 1f);
        _readout = new Linear(h, 1);
        _readout.InitializeParameters(options.Seed + 1);
        _lstmOptimizer = new Adam(lstm.ParameterCount, options.LearningRate);
        _readoutOptimizer = new Adam(_readout.ParameterCount, options.LearningRate);

        _input = new float[t * i];
        _output = new float[t * h];
        _tape = new float[lstm.TapeLength];
        _hidden = new float[h];
        _cell = new float[h];
        _zeroOutputGradient = new float[t * h];
        _zeroState = new float[h];
        _inputGradient = new float[t * i];
        _hiddenGradient = new float[h];
        _initialHiddenGradient = new float[h];
        _initialCellGradient = new float[h];
    }

    /// <summary>
    /// A forget-gate bias of 1 (Gers et al., 2000; Jozefowicz et al., 2015) starts the cell close to "remember",
    /// so the marked values survive the long lags early in training. Done through the PyTorch layout, whose gate
    /// order (i, f, g, o) is documented: rows H..2H-1 of bias_ih_l0 are the forget gate.
    /// </summary>
    private static void SetForgetGateBias(ILstm lstm, float value)
    {
        int h = lstm.HiddenSize, i = lstm.InputSize;
        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        lstm.ExportPyTorch(wih, whh, bih, bhh);
        Array.Fill(bih, value, h, h);
        Array.Fill(bhh, 0f, h, h);
        lstm.ImportPyTorch(wih, whh, bih, bhh);
    }

    /// <summary>Predicts the target of one sequence.</summary>
    public float Predict(ReadOnlySpan<float> input)
    {
        _zeroState.CopyTo(_hidden);
        _zeroState.CopyTo(_cell);
        _lstm.Forward(input, _output, _hidden, _cell);
        _readout.Forward(_hidden, _prediction);
        return _prediction[0];
    }

    /// <summary>Runs the training loop, calling <paramref name="report"/> every <c>ReportEvery</c> iterations.</summary>
    public void Train(AddingTask task, Action<Progress> report)
    {
        var stopwatch = Stopwatch.StartNew();
        double intervalLoss = 0;
        int intervalSamples = 0;
        int h = _lstm.HiddenSize;
        for (int iteration = 1; iteration <= _options.Steps; iteration++)
        {
            _lstm.ZeroGradients();
            _readout.ZeroGradients();
            for (int b = 0; b < _options.BatchSize; b++)
            {
                _target[0] = task.Next(_input);

                // Forward once, recording what the backward pass needs.
                _zeroState.CopyTo(_hidden);
                _zeroState.CopyTo(_cell);
                _lstm.Forward(_input, _output, _hidden, _cell, _tape);
                _readout.Forward(_hidden, _prediction);

                // Loss on the last hidden state only; the batch mean is the sum of per-sample losses / B.
                float loss = Losses.MeanSquaredError(_prediction, _target, _predictionGradient);
                _predictionGradient[0] /= _options.BatchSize;
                intervalLoss += loss;
                intervalSamples++;

                // Backward: readout, then the LSTM from its tape (∂L/∂h_T from the readout, nothing via outputs).
                _readout.Backward(_hidden, _predictionGradient, _hiddenGradient);
                _lstm.BackwardFromTape(_input, _tape, _zeroOutputGradient, _hiddenGradient, _zeroState, _inputGradient, _initialHiddenGradient, _initialCellGradient);
            }

            // Exploding gradients are tamed by clipping the joint norm of all parameters' gradients.
            GradientClipping.ClipByGlobalNorm(_lstm.Gradients, _readout.Gradients, _options.MaxGradientNorm);
            _lstmOptimizer.Step(_lstm.Parameters, _lstm.Gradients);
            _readoutOptimizer.Step(_readout.Parameters, _readout.Gradients);

            if (iteration % _options.ReportEvery == 0 || iteration == _options.Steps)
            {
                double elapsed = stopwatch.Elapsed.TotalSeconds;
                report(new Progress(iteration, (float)(intervalLoss / intervalSamples), elapsed, (double)iteration * _options.BatchSize / elapsed));
                intervalLoss = 0;
                intervalSamples = 0;
            }
        }

        _ = h;
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
