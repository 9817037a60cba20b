using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LstmGen.Benchmarks.Contestants;
using LstmGen.Generated;
using LstmGen.Kernels;

namespace LstmGen.Benchmarks;

/// <summary>
/// The phases of the generated backward pass of one benchmark shape, each callable alone (for <c>--bounds</c>): the
/// AVX-512 methods of the shape's kernel class, called with the arguments <c>BackwardSequence512</c> gives them.
/// </summary>
public abstract class BackwardPhases
{
    private readonly ILstm _model;
    private readonly float[] _input, _output, _outputGradient, _inputGradient, _hidden, _cell, _zeros, _tape, _state, _initialGradients, _projected;

    protected BackwardPhases(ILstm model, int tapeHeaderLength, int tapeStride)
    {
        _model = model;
        TapeHeaderLength = tapeHeaderLength;
        TapeStride = tapeStride;
        int i = model.InputSize, h = model.HiddenSize, steps = ContestantSet.SequenceLength;
        var workload = new Workload(i, h, steps);
        var weights = Weights.Load(i, h);
        model.ImportPyTorch(weights.WeightIh, weights.WeightHh, weights.BiasIh, weights.BiasHh);
        _ = model.Gradients;
        _input = workload.Input;
        _outputGradient = workload.OutputGradient;
        _output = new float[steps * h];
        _inputGradient = new float[steps * i];
        _hidden = new float[h];
        _cell = new float[h];
        _zeros = new float[h];
        _state = new float[2 * h];
        _initialGradients = new float[2 * h];
        _tape = new float[model.TapeLength];
        _projected = new float[4 * h];
        _projected.AsSpan().Fill(0.1f);
    }

    protected int TapeHeaderLength { get; }

    protected int TapeStride { get; }

    protected ref float Weights0 => ref MemoryMarshal.GetReference(_model.Parameters);

    protected ref float Gradients0 => ref MemoryMarshal.GetReference(_model.Gradients);

    protected ref float Input0 => ref _input[0];

    protected ref float Tape0 => ref _tape[0];

    protected ref float HiddenGradient0 => ref _state[0];

    protected ref float CellGradient0 => ref _state[_model.HiddenSize];

    protected ref float InputGradient0 => ref _inputGradient[0];

    protected ref float OutputGradient0 => ref _outputGradient[0];

    protected ref float Output0 => ref _output[0];

    protected ref float Hidden0 => ref _hidden[0];

    protected ref float Cell0 => ref _cell[0];

    protected ref float Projected0 => ref _projected[0];

    /// <summary>A generated model's phases: one of the suite's LSTM shapes; the tape's rows hold dz, as the phases find them inside <c>BackwardSequence512</c>.</summary>
    public static BackwardPhases Create(int inputSize, int hiddenSize)
    {
        BackwardPhases phases = Of(inputSize, hiddenSize);
        phases.RecordAndBackward();
        return phases;
    }

    private static BackwardPhases Of(int inputSize, int hiddenSize) => (inputSize, hiddenSize) switch
    {
        (1, 8) => new I1H8(),
        (1, 40) => new I1H40(),
        (16, 64) => new I16H64(),
        (64, 128) => new I64H128(),
        (32, 256) => new I32H256(),
        _ => throw new ArgumentException($"no generated model for ({inputSize}, {hiddenSize})"),
    };

    /// <summary>The kernel's <c>Forward</c> over T steps (the state carries on from call to call).</summary>
    public abstract void Forward();

    /// <summary>
    /// T steps of the recurrent part of <c>Forward</c> alone (<c>StepRecurrent512</c>: W_hh·h_{t-1} plus a precomputed input
    /// projection, alternate steps reading W_hh backwards, as <c>Forward512</c> runs them); false where <c>Forward</c> has no
    /// separate input projection (I = 1: its step is the whole step). With <paramref name="alternate"/> false every step reads
    /// the rows in order.
    /// </summary>
    public abstract bool Recurrent(bool alternate);

    /// <summary>The kernel's <c>Record</c> (forward into the tape) over T steps from the zero state.</summary>
    public abstract void Record();

    /// <summary>∂L/∂h_{t-1} = W_hhᵀ·dz_t for t = T−1 … 0, as the backward loop runs it.</summary>
    public abstract void HiddenGradients();

    /// <summary>∂L/∂x_t = W_ihᵀ·dz_t for every step, after the loop.</summary>
    public abstract void InputGradients();

    /// <summary>∂L/∂W and ∂L/∂b from every step's dz, after the loop.</summary>
    public abstract void ParameterGradients();

    /// <summary>The model's public <c>Forward</c> (validation included), as the suite times it.</summary>
    public void PublicForward() => _model.Forward(_input, _output, _hidden, _cell);

    /// <summary>The model's public <c>Backward</c> (records the forward itself), as the suite times it.</summary>
    public void PublicBackward() =>
        _model.Backward(_input, _zeros, _zeros, _outputGradient, _zeros, _zeros, _inputGradient, _initialGradients.AsSpan(0, _model.HiddenSize), _initialGradients.AsSpan(_model.HiddenSize));

    /// <summary><see cref="Record"/> then the kernel's whole <c>Backward</c> (zero ∂L/∂h_T and ∂L/∂c_T).</summary>
    public void RecordAndBackward()
    {
        Record();
        Array.Clear(_state);
        Backward();
    }

    protected abstract void Backward();

    private sealed class I1H8() : BackwardPhases(new GeneratedI1H8(), Lstm_I1_H8.TapeHeaderLength, Lstm_I1_H8.TapeStride)
    {
        public override void Forward() => Lstm_I1_H8.Forward(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Output0, ref Hidden0, ref Cell0);

        public override bool Recurrent(bool alternate) => false;

        public override void Record() => Lstm_I1_H8.Record(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Tape0);

        protected override void Backward() => Lstm_I1_H8.Backward(ref Weights0, ref Gradients0, ref Input0, ContestantSet.SequenceLength, ref Tape0, ref OutputGradient0, ref InputGradient0, ref HiddenGradient0, ref CellGradient0);

        public override void HiddenGradients()
        {
            for (int t = ContestantSet.SequenceLength - 1; t >= 0; t--)
            {
                Lstm_I1_H8.HiddenGradient512(ref Weights0, ref Row(t), ref HiddenGradient0, (t & 1) == 1);
            }
        }

        public override void InputGradients() => Lstm_I1_H8.InputGradients512(ref Weights0, ref Row(0), (nuint)TapeStride, ContestantSet.SequenceLength, ref InputGradient0);

        public override void ParameterGradients() => Lstm_I1_H8.ParameterGradients512(ref Gradients0, ref Input0, ContestantSet.SequenceLength, 1, ref Tape0);

        private ref float Row(int t) => ref Unsafe.Add(ref Tape0, TapeHeaderLength + (t + 1) * TapeStride);
    }

    private sealed class I1H40() : BackwardPhases(new GeneratedI1H40(), Lstm_I1_H40.TapeHeaderLength, Lstm_I1_H40.TapeStride)
    {
        public override void Forward() => Lstm_I1_H40.Forward(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Output0, ref Hidden0, ref Cell0);

        public override bool Recurrent(bool alternate) => false;

        public override void Record() => Lstm_I1_H40.Record(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Tape0);

        protected override void Backward() => Lstm_I1_H40.Backward(ref Weights0, ref Gradients0, ref Input0, ContestantSet.SequenceLength, ref Tape0, ref OutputGradient0, ref InputGradient0, ref HiddenGradient0, ref CellGradient0);

        public override void HiddenGradients()
        {
            for (int t = ContestantSet.SequenceLength - 1; t >= 0; t--)
            {
                Lstm_I1_H40.HiddenGradient512(ref Weights0, ref Row(t), ref HiddenGradient0, (t & 1) == 1);
            }
        }

        public override void InputGradients() => Lstm_I1_H40.InputGradients512(ref Weights0, ref Row(0), (nuint)TapeStride, ContestantSet.SequenceLength, ref InputGradient0);

        public override void ParameterGradients() => Lstm_I1_H40.ParameterGradients512(ref Gradients0, ref Input0, ContestantSet.SequenceLength, 1, ref Tape0);

        private ref float Row(int t) => ref Unsafe.Add(ref Tape0, TapeHeaderLength + (t + 1) * TapeStride);
    }

    private sealed class I16H64() : BackwardPhases(new GeneratedI16H64(), Lstm_I16_H64.TapeHeaderLength, Lstm_I16_H64.TapeStride)
    {
        public override void Forward() => Lstm_I16_H64.Forward(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Output0, ref Hidden0, ref Cell0);

        public override bool Recurrent(bool alternate)
        {
            ref float previous = ref Hidden0;
            for (int t = 0; t < ContestantSet.SequenceLength; t++)
            {
                ref float next = ref Unsafe.Add(ref Output0, t * Lstm_I16_H64.HiddenSize);
                if ((t & 1) == 0 || !alternate)
                {
                    Lstm_I16_H64.StepRecurrent512<NoTape, RowsInOrder>(ref Weights0, ref Projected0, ref previous, ref next, ref Cell0, ref Cell0, ref next);
                }
                else
                {
                    Lstm_I16_H64.StepRecurrent512<NoTape, RowsReversed>(ref Weights0, ref Projected0, ref previous, ref next, ref Cell0, ref Cell0, ref next);
                }

                previous = ref next;
            }

            return true;
        }

        public override void Record() => Lstm_I16_H64.Record(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Tape0);

        protected override void Backward() => Lstm_I16_H64.Backward(ref Weights0, ref Gradients0, ref Input0, ContestantSet.SequenceLength, ref Tape0, ref OutputGradient0, ref InputGradient0, ref HiddenGradient0, ref CellGradient0);

        public override void HiddenGradients()
        {
            for (int t = ContestantSet.SequenceLength - 1; t >= 0; t--)
            {
                Lstm_I16_H64.HiddenGradient512(ref Weights0, ref Row(t), ref HiddenGradient0, (t & 1) == 1);
            }
        }

        public override void InputGradients() => Lstm_I16_H64.InputGradients512(ref Weights0, ref Row(0), (nuint)TapeStride, ContestantSet.SequenceLength, ref InputGradient0);

        public override void ParameterGradients() => Lstm_I16_H64.ParameterGradients512(ref Gradients0, ref Input0, ContestantSet.SequenceLength, 1, ref Tape0);

        private ref float Row(int t) => ref Unsafe.Add(ref Tape0, TapeHeaderLength + (t + 1) * TapeStride);
    }

    private sealed class I64H128() : BackwardPhases(new GeneratedI64H128(), Lstm_I64_H128.TapeHeaderLength, Lstm_I64_H128.TapeStride)
    {
        public override void Forward() => Lstm_I64_H128.Forward(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Output0, ref Hidden0, ref Cell0);

        public override bool Recurrent(bool alternate)
        {
            ref float previous = ref Hidden0;
            for (int t = 0; t < ContestantSet.SequenceLength; t++)
            {
                ref float next = ref Unsafe.Add(ref Output0, t * Lstm_I64_H128.HiddenSize);
                if ((t & 1) == 0 || !alternate)
                {
                    Lstm_I64_H128.StepRecurrent512<NoTape, RowsInOrder>(ref Weights0, ref Projected0, ref previous, ref next, ref Cell0, ref Cell0, ref next);
                }
                else
                {
                    Lstm_I64_H128.StepRecurrent512<NoTape, RowsReversed>(ref Weights0, ref Projected0, ref previous, ref next, ref Cell0, ref Cell0, ref next);
                }

                previous = ref next;
            }

            return true;
        }

        public override void Record() => Lstm_I64_H128.Record(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Tape0);

        protected override void Backward() => Lstm_I64_H128.Backward(ref Weights0, ref Gradients0, ref Input0, ContestantSet.SequenceLength, ref Tape0, ref OutputGradient0, ref InputGradient0, ref HiddenGradient0, ref CellGradient0);

        public override void HiddenGradients()
        {
            for (int t = ContestantSet.SequenceLength - 1; t >= 0; t--)
            {
                Lstm_I64_H128.HiddenGradient512(ref Weights0, ref Row(t), ref HiddenGradient0, (t & 1) == 1);
            }
        }

        public override void InputGradients() => Lstm_I64_H128.InputGradients512(ref Weights0, ref Row(0), (nuint)TapeStride, ContestantSet.SequenceLength, ref InputGradient0);

        public override void ParameterGradients() => Lstm_I64_H128.ParameterGradients512(ref Gradients0, ref Input0, ContestantSet.SequenceLength, 1, ref Tape0);

        private ref float Row(int t) => ref Unsafe.Add(ref Tape0, TapeHeaderLength + (t + 1) * TapeStride);
    }

    private sealed class I32H256() : BackwardPhases(new GeneratedI32H256(), Lstm_I32_H256.TapeHeaderLength, Lstm_I32_H256.TapeStride)
    {
        public override void Forward() => Lstm_I32_H256.Forward(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Output0, ref Hidden0, ref Cell0);

        public override bool Recurrent(bool alternate)
        {
            ref float previous = ref Hidden0;
            for (int t = 0; t < ContestantSet.SequenceLength; t++)
            {
                ref float next = ref Unsafe.Add(ref Output0, t * Lstm_I32_H256.HiddenSize);
                if ((t & 1) == 0 || !alternate)
                {
                    Lstm_I32_H256.StepRecurrent512<NoTape, RowsInOrder>(ref Weights0, ref Projected0, ref previous, ref next, ref Cell0, ref Cell0, ref next);
                }
                else
                {
                    Lstm_I32_H256.StepRecurrent512<NoTape, RowsReversed>(ref Weights0, ref Projected0, ref previous, ref next, ref Cell0, ref Cell0, ref next);
                }

                previous = ref next;
            }

            return true;
        }

        public override void Record() => Lstm_I32_H256.Record(ref Weights0, ref Input0, ContestantSet.SequenceLength, ref Tape0);

        protected override void Backward() => Lstm_I32_H256.Backward(ref Weights0, ref Gradients0, ref Input0, ContestantSet.SequenceLength, ref Tape0, ref OutputGradient0, ref InputGradient0, ref HiddenGradient0, ref CellGradient0);

        public override void HiddenGradients()
        {
            for (int t = ContestantSet.SequenceLength - 1; t >= 0; t--)
            {
                Lstm_I32_H256.HiddenGradient512(ref Weights0, ref Row(t), ref HiddenGradient0, (t & 1) == 1);
            }
        }

        public override void InputGradients() => Lstm_I32_H256.InputGradients512(ref Weights0, ref Row(0), (nuint)TapeStride, ContestantSet.SequenceLength, ref InputGradient0);

        public override void ParameterGradients() => Lstm_I32_H256.ParameterGradients512(ref Gradients0, ref Input0, ContestantSet.SequenceLength, 1, ref Tape0);

        private ref float Row(int t) => ref Unsafe.Add(ref Tape0, TapeHeaderLength + (t + 1) * TapeStride);
    }
}
