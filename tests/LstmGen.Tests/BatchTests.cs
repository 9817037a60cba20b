using LstmGen.Tests.Gru;
using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// The batched members against the per-state ones: <c>StepBatch</c> and <c>ForwardBatch</c> give each state what
/// <c>Step</c>/<c>Forward</c> give it (within 1e-6), and <c>BackwardBatchFromTape</c> gives each sequence's input and
/// state gradients and the sum of the parameter gradients (within 1e-5 relative), for B = 1, 3, 8 and 17.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class BatchTests
{
    public static TheoryData<int, int, int, int> LstmCases()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach ((int i, int h, int t) in new[] { (16, 64, 8), (7, 33, 9), (8, 128, 5), (3, 65, 4), (1, 40, 6), (3, 20, 5), (16, 40, 5), (5, 72, 4), (19, 96, 24), (1, 8, 6), (3, 5, 7), (1, 1, 4) })
        {
            foreach (int b in new[] { 1, 3, 8, 17 })
            {
                data.Add(i, h, t, b);
            }
        }

        return data;
    }

    public static TheoryData<int, int, int, int> GruCases()
    {
        var data = new TheoryData<int, int, int, int>();
        foreach ((int i, int h, int t) in new[] { (16, 64, 8), (7, 33, 9), (2, 129, 3), (18, 100, 21), (2, 8, 10), (1, 1, 4) })
        {
            foreach (int b in new[] { 1, 3, 8, 17 })
            {
                data.Add(i, h, t, b);
            }
        }

        return data;
    }

    private static float[] Random(Random random, int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();

    private static void Close(string what, float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.True(float.IsFinite(actual[k]), $"{what}[{k}] is {actual[k]}");
            double error = Math.Abs(actual[k] - expected[k]);
            Assert.True(error <= tolerance, $"{what}[{k}]: batched {actual[k]:R}, per state {expected[k]:R} (error {error:E2})");
        }
    }

    private static void CloseRelative(string what, float[] expected, float[] actual, double tolerance)
    {
        double scale = Math.Max(1e-3, expected.Max(v => Math.Abs((double)v)));
        Close(what, expected, actual, tolerance * scale);
    }

    [Theory]
    [MemberData(nameof(LstmCases))]
    public void Lstm_StepBatch_and_ForwardBatch_match_Step_and_Forward(int i, int h, int t, int b)
    {
        ILstm model = Models.Create(i, h, t);
        model.InitializeParameters(i * 100 + h);
        var random = new Random(b);
        float[] x = Random(random, b * i, 1.5), h0 = Random(random, b * h, 0.5), c0 = Random(random, b * h, 0.5);

        // StepBatch: state s advanced as Step advances it.
        float[] hidden = h0.ToArray(), cell = c0.ToArray();
        model.StepBatch(x, hidden, cell);
        float[] expectedHidden = h0.ToArray(), expectedCell = c0.ToArray();
        for (int s = 0; s < b; s++)
        {
            model.Step(x.AsSpan(s * i, i), expectedHidden.AsSpan(s * h, h), expectedCell.AsSpan(s * h, h));
        }

        Close("hidden", expectedHidden, hidden, 1e-6);
        Close("cell", expectedCell, cell, 1e-6);

        // ForwardBatch: sequence s run as Forward runs it.
        float[] sequences = Random(random, b * t * i, 1.5);
        float[] output = new float[b * t * h];
        hidden = h0.ToArray();
        cell = c0.ToArray();
        model.ForwardBatch(sequences, output, hidden, cell);
        float[] expectedOutput = new float[output.Length];
        expectedHidden = h0.ToArray();
        expectedCell = c0.ToArray();
        for (int s = 0; s < b; s++)
        {
            model.Forward(sequences.AsSpan(s * t * i, t * i), expectedOutput.AsSpan(s * t * h, t * h), expectedHidden.AsSpan(s * h, h), expectedCell.AsSpan(s * h, h));
        }

        Close("output", expectedOutput, output, 1e-6);
        Close("final hidden", expectedHidden, hidden, 1e-6);
        Close("final cell", expectedCell, cell, 1e-6);
    }

    [Theory]
    [MemberData(nameof(LstmCases))]
    public void Lstm_batched_gradients_are_the_sum_of_the_per_sequence_gradients(int i, int h, int t, int b)
    {
        ILstm model = Models.Create(i, h, t);
        model.InitializeParameters(i * 100 + h);
        var random = new Random(100 + b);
        int steps = Math.Max(1, t - 1);
        float[] x = Random(random, b * steps * i, 1.5), h0 = Random(random, b * h, 0.5), c0 = Random(random, b * h, 0.5);
        float[] dy = Random(random, b * steps * h, 1), dh = Random(random, b * h, 1), dc = Random(random, b * h, 1);

        // Per sequence, gradients accumulated over the batch.
        model.ZeroGradients();
        float[] expectedDx = new float[x.Length], expectedDh0 = new float[b * h], expectedDc0 = new float[b * h], expectedOutput = new float[b * steps * h];
        float[] tape = new float[model.TapeLength];
        for (int s = 0; s < b; s++)
        {
            float[] hs = h0.AsSpan(s * h, h).ToArray(), cs = c0.AsSpan(s * h, h).ToArray();
            model.Forward(x.AsSpan(s * steps * i, steps * i), expectedOutput.AsSpan(s * steps * h, steps * h), hs, cs, tape);
            model.BackwardFromTape(x.AsSpan(s * steps * i, steps * i), tape, dy.AsSpan(s * steps * h, steps * h), dh.AsSpan(s * h, h), dc.AsSpan(s * h, h),
                expectedDx.AsSpan(s * steps * i, steps * i), expectedDh0.AsSpan(s * h, h), expectedDc0.AsSpan(s * h, h));
        }

        float[] expectedGradients = model.Gradients.ToArray();

        // Batched.
        model.ZeroGradients();
        float[] batchTape = new float[model.BatchTapeLength(b)];
        float[] output = new float[expectedOutput.Length], hidden = h0.ToArray(), cell = c0.ToArray();
        model.ForwardBatch(x, output, hidden, cell, batchTape);
        float[] dx = new float[x.Length], dh0 = new float[b * h], dc0 = new float[b * h];
        model.BackwardBatchFromTape(x, batchTape, dy, dh, dc, dx, dh0, dc0);

        Close("recorded output", expectedOutput, output, 1e-6);
        CloseRelative("∂L/∂input", expectedDx, dx, 1e-5);
        CloseRelative("∂L/∂h0", expectedDh0, dh0, 1e-5);
        CloseRelative("∂L/∂c0", expectedDc0, dc0, 1e-5);
        CloseRelative("∂L/∂parameters", expectedGradients, model.Gradients.ToArray(), 1e-5);
    }

    [Theory]
    [MemberData(nameof(GruCases))]
    public void Gru_batched_members_match_the_per_state_ones(int i, int h, int t, int b)
    {
        IGru model = GruModels.Create(i, h, t);
        model.InitializeParameters(i * 100 + h);
        var random = new Random(200 + b);
        float[] x = Random(random, b * i, 1.5), h0 = Random(random, b * h, 0.5);
        float[] hidden = h0.ToArray();
        model.StepBatch(x, hidden);
        float[] expected = h0.ToArray();
        for (int s = 0; s < b; s++)
        {
            model.Step(x.AsSpan(s * i, i), expected.AsSpan(s * h, h));
        }

        Close("hidden", expected, hidden, 1e-6);

        int steps = t;
        float[] seq = Random(random, b * steps * i, 1.5), dy = Random(random, b * steps * h, 1), dh = Random(random, b * h, 1);
        model.ZeroGradients();
        float[] expectedOutput = new float[b * steps * h], expectedDx = new float[seq.Length], expectedDh0 = new float[b * h];
        float[] tape = new float[model.TapeLength];
        for (int s = 0; s < b; s++)
        {
            float[] hs = h0.AsSpan(s * h, h).ToArray();
            model.Forward(seq.AsSpan(s * steps * i, steps * i), expectedOutput.AsSpan(s * steps * h, steps * h), hs, tape);
            model.BackwardFromTape(seq.AsSpan(s * steps * i, steps * i), tape, dy.AsSpan(s * steps * h, steps * h), dh.AsSpan(s * h, h),
                expectedDx.AsSpan(s * steps * i, steps * i), expectedDh0.AsSpan(s * h, h));
        }

        float[] expectedGradients = model.Gradients.ToArray();
        model.ZeroGradients();
        float[] output = new float[expectedOutput.Length], batchTape = new float[model.BatchTapeLength(b)];
        hidden = h0.ToArray();
        model.ForwardBatch(seq, output, hidden, batchTape);
        float[] dx = new float[seq.Length], dh0 = new float[b * h];
        model.BackwardBatchFromTape(seq, batchTape, dy, dh, dx, dh0);
        Close("output", expectedOutput, output, 1e-6);
        CloseRelative("∂L/∂input", expectedDx, dx, 1e-5);
        CloseRelative("∂L/∂h0", expectedDh0, dh0, 1e-5);
        CloseRelative("∂L/∂parameters", expectedGradients, model.Gradients.ToArray(), 1e-5);

        float[] plainOutput = new float[output.Length];
        hidden = h0.ToArray();
        model.ForwardBatch(seq, plainOutput, hidden);
        Close("ForwardBatch without a tape", expectedOutput, plainOutput, 1e-6);
    }
}

/// <summary>The batched members allocate nothing and check their arguments like every other member.</summary>
public sealed class BatchArgumentTests
{
    [Fact]
    public void Batched_calls_allocate_nothing()
    {
        var model = new Lstm_I16_H64_T8();
        model.InitializeParameters(1);
        const int B = 8, T = 8;
        float[] x = new float[B * 16], h = new float[B * 64], c = new float[B * 64];
        float[] seq = new float[B * T * 16], output = new float[B * T * 64], tape = new float[Lstm_I16_H64_T8.BatchTapeLength(B)];
        float[] dy = new float[B * T * 64], dx = new float[B * T * 16], dh = new float[B * 64], dc = new float[B * 64], dh0 = new float[B * 64], dc0 = new float[B * 64];
        void Calls()
        {
            model.StepBatch(x, h, c);
            model.ForwardBatch(seq, output, h, c);
            model.ForwardBatch(seq, output, h, c, tape);
            model.BackwardBatchFromTape(seq, tape, dy, dh, dc, dx, dh0, dc0);
        }

        Calls(); // JIT and the gradient buffer
        Assert.Equal(0, Allocations.Measure(Calls));
    }

    [Fact]
    public void Batched_calls_name_wrong_lengths_overlaps_and_foreign_tapes()
    {
        var model = new Lstm_I16_H64_T8();
        ArgumentException e = Assert.Throws<ArgumentException>(() => model.StepBatch(new float[17], new float[64], new float[64]));
        Assert.Equal("input", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => model.StepBatch(new float[32], new float[64], new float[128]));
        Assert.Equal("hidden", e.ParamName);
        float[] shared = new float[256];
        e = Assert.Throws<ArgumentException>(() => model.StepBatch(new float[32], shared.AsSpan(0, 128), shared.AsSpan(100, 128)));
        Assert.Contains("overlap", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.ForwardBatch(new float[2 * 3 * 16 + 1], new float[2 * 3 * 64], new float[128], new float[128]));
        Assert.Equal("input", e.ParamName);

        // BatchTapeLength(B) is exactly enough for B full-length sequences: one float less is refused, naming the tape.
        const int T8 = Lstm_I16_H64_T8.SequenceLength;
        float[] fullInput = new float[2 * T8 * 16];
        e = Assert.Throws<ArgumentException>(() => model.ForwardBatch(fullInput, new float[2 * T8 * 64], new float[128], new float[128], new float[Lstm_I16_H64_T8.BatchTapeLength(2) - 1]));
        Assert.Equal("tape", e.ParamName);
        Assert.Contains($"{Lstm_I16_H64_T8.BatchTapeLength(2)}", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Lstm_I16_H64_T8.BatchTapeLength(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Lstm_I16_H64_T8.BatchTapeLength(int.MaxValue));

        var other = new Lstm_I16_H64_T8();
        float[] seq = new float[2 * 3 * 16], tape = new float[Lstm_I16_H64_T8.BatchTapeLength(2)];
        model.ForwardBatch(seq, new float[2 * 3 * 64], new float[128], new float[128], tape);
        e = Assert.Throws<ArgumentException>(() => other.BackwardBatchFromTape(seq, tape, new float[2 * 3 * 64], new float[128], new float[128], new float[seq.Length], new float[128], new float[128]));
        Assert.Contains("another instance", e.Message);
        e = Assert.Throws<ArgumentException>(() => model.BackwardFromTape(seq.AsSpan(0, 48), tape, new float[3 * 64], new float[64], new float[64], new float[48], new float[64], new float[64]));
        Assert.Contains("batch tape", e.Message);

        // A one-sequence tape of Forward (which does not store the input) is no batch tape of B = 1, nor the reverse.
        float[] one = seq.AsSpan(0, 48).ToArray(), singleTape = new float[Lstm_I16_H64_T8.BatchTapeLength(1)];
        model.Forward(one, new float[3 * 64], new float[64], new float[64], singleTape);
        e = Assert.Throws<ArgumentException>(() => model.BackwardBatchFromTape(one, singleTape, new float[3 * 64], new float[64], new float[64], new float[48], new float[64], new float[64]));
        Assert.Equal("tape", e.ParamName);
        Assert.Contains("recorded by Forward(…, tape)", e.Message);
        model.ForwardBatch(one, new float[3 * 64], new float[64], new float[64], singleTape);
        e = Assert.Throws<ArgumentException>(() => model.BackwardFromTape(one, singleTape, new float[3 * 64], new float[64], new float[64], new float[48], new float[64], new float[64]));
        Assert.Contains("recorded by ForwardBatch(…, tape)", e.Message);
    }
}
