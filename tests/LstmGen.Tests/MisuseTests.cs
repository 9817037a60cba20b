using LstmGen.Tests.Gru;
using LstmGen.Tests.ModelFiles;
using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// Misuse fails loudly: a written span that shares memory with another span is an ArgumentException naming both
/// (overlap at the start, in the middle and at the end), except the one aliasing with a meaning (Step's input taken
/// from the state it updates); a tape is bound to the instance and the input that recorded it.
/// </summary>
public sealed class MisuseTests
{
    private const int I = 4, H = 16, T = 8;

    /// <summary>Where <c>second</c> starts inside one shared buffer, relative to <c>first</c>: overlapping its start, middle and end.</summary>
    public static TheoryData<string> Placements() => new() { "start", "middle", "end" };

    /// <summary>Two views of one buffer: <paramref name="first"/> floats and <paramref name="second"/> floats overlapping as placed.</summary>
    private static (float[] Buffer, int FirstStart, int SecondStart) Overlapping(int first, int second, string placement)
    {
        var buffer = new float[first + 2 * second + 64];
        int firstStart = second + 32;
        int secondStart = placement switch
        {
            "start" => firstStart - second + 1,   // second ends on first's first element
            "middle" => firstStart + first / 2 - second / 2,
            _ => firstStart + first - 1,          // second starts on first's last element
        };
        return (buffer, firstStart, secondStart);
    }

    private static void AssertOverlap(Action call, string a, string b)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(call);
        Assert.Contains($"'{a}'", e.Message + $"'{e.ParamName}'");
        Assert.Contains($"'{b}'", e.Message);
        Assert.Contains("overlap", e.Message);
    }

    private static Lstm_I4_H16_T8 Model()
    {
        var model = new Lstm_I4_H16_T8();
        model.InitializeParameters(4);
        return model;
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Forward_refuses_output_overlapping_input(string placement)
    {
        var model = Model();
        (float[] buffer, int inputAt, int outputAt) = Overlapping(T * I, T * H, placement);
        AssertOverlap(() => model.Forward(buffer.AsSpan(inputAt, T * I), buffer.AsSpan(outputAt, T * H), new float[H], new float[H]), "output", "input");
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Forward_refuses_hidden_overlapping_output_and_cell_overlapping_hidden(string placement)
    {
        var model = Model();
        (float[] buffer, int outputAt, int hiddenAt) = Overlapping(T * H, H, placement);
        AssertOverlap(() => model.Forward(new float[T * I], buffer.AsSpan(outputAt, T * H), buffer.AsSpan(hiddenAt, H), new float[H]), "output", "hidden");
        (float[] states, int h, int c) = Overlapping(H, H, placement);
        AssertOverlap(() => model.Forward(new float[T * I], new float[T * H], states.AsSpan(h, H), states.AsSpan(c, H)), "hidden", "cell");
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Step_refuses_hidden_and_cell_sharing_memory(string placement)
    {
        var model = Model();
        (float[] buffer, int h, int c) = Overlapping(H, H, placement);
        AssertOverlap(() => model.Step(new float[I], buffer.AsSpan(h, H), buffer.AsSpan(c, H)), "hidden", "cell");
        float[] same = new float[H];
        AssertOverlap(() => model.Step(new float[I], same, same), "hidden", "cell");
    }

    [Fact]
    public void Step_reads_an_input_that_aliases_the_state_before_writing_the_state()
    {
        // Feeding h back as the next input (I <= H): the result must be the one a separate copy of the input gives.
        var model = Model();
        var random = new Random(3);
        float[] hidden = Enumerable.Range(0, H).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] cell = Enumerable.Range(0, H).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] expectedHidden = hidden.ToArray(), expectedCell = cell.ToArray();
        model.Step(hidden.AsSpan(2, I).ToArray(), expectedHidden, expectedCell);
        model.Step(hidden.AsSpan(2, I), hidden, cell);
        Assert.Equal(expectedHidden, hidden);
        Assert.Equal(expectedCell, cell);

        // The same through the cell state.
        float[] h2 = hidden.ToArray(), c2 = cell.ToArray(), eh = hidden.ToArray(), ec = cell.ToArray();
        model.Step(c2.AsSpan(H - I, I).ToArray(), eh, ec);
        model.Step(c2.AsSpan(H - I, I), h2, c2);
        Assert.Equal(eh, h2);
        Assert.Equal(ec, c2);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void Backward_refuses_a_workspace_overlapping_inputGradient(string placement)
    {
        var model = Model();
        int work = Lstm_I4_H16_T8.BackwardWorkspaceLength;
        (float[] buffer, int dxAt, int workAt) = Overlapping(T * I, work, placement);
        AssertOverlap(
            () => model.Backward(new float[T * I], new float[H], new float[H], new float[T * H], new float[H], new float[H],
                buffer.AsSpan(dxAt, T * I), new float[H], new float[H], buffer.AsSpan(workAt, work)),
            "inputGradient", "workspace");
    }

    [Fact]
    public void Backward_refuses_gradients_written_over_their_inputs()
    {
        var model = Model();
        float[] shared = new float[T * H];
        AssertOverlap(
            () => model.Backward(new float[T * I], new float[H], new float[H], shared, new float[H], new float[H],
                new float[T * I], shared.AsSpan(0, H), new float[H]),
            "outputGradient", "initialHiddenGradient");
        float[] state = new float[H];
        AssertOverlap(
            () => model.Backward(new float[T * I], state, new float[H], new float[T * H], new float[H], new float[H],
                new float[T * I], state, new float[H]),
            "initialHidden", "initialHiddenGradient");
    }

    [Fact]
    public void BackwardFromTape_refuses_another_instances_tape()
    {
        var a = Model();
        var b = Model();
        float[] input = Enumerable.Range(0, T * I).Select(k => k * 0.01f).ToArray();
        float[] tape = new float[Lstm_I4_H16_T8.TapeLength];
        a.Forward(input, new float[T * H], new float[H], new float[H], tape);
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            b.BackwardFromTape(input, tape, new float[T * H], new float[H], new float[H], new float[T * I], new float[H], new float[H]));
        Assert.Equal("tape", e.ParamName);
        Assert.Contains("another instance", e.Message);
        // The owner can still use it.
        a.BackwardFromTape(input, tape, new float[T * H], new float[H], new float[H], new float[T * I], new float[H], new float[H]);
    }

    [Fact]
    public void BackwardFromTape_refuses_a_different_input_and_a_consumed_tape()
    {
        var model = Model();
        float[] input = Enumerable.Range(0, T * I).Select(k => k * 0.01f).ToArray();
        float[] tape = new float[Lstm_I4_H16_T8.TapeLength];
        model.Forward(input, new float[T * H], new float[H], new float[H], tape);
        float[] other = input.ToArray();
        other[T * I / 2] += 1e-3f;
        ArgumentException e = Assert.Throws<ArgumentException>(() =>
            model.BackwardFromTape(other, tape, new float[T * H], new float[H], new float[H], new float[T * I], new float[H], new float[H]));
        Assert.Contains("different input", e.Message);

        model.BackwardFromTape(input, tape, new float[T * H], new float[H], new float[H], new float[T * I], new float[H], new float[H]);
        e = Assert.Throws<ArgumentException>(() =>
            model.BackwardFromTape(input, tape, new float[T * H], new float[H], new float[H], new float[T * I], new float[H], new float[H]));
        Assert.Contains("already consumed", e.Message);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void BackwardFromTape_refuses_a_tape_overlapping_the_gradients(string placement)
    {
        var model = Model();
        float[] input = new float[T * I];
        int tapeLength = Lstm_I4_H16_T8.TapeLength;
        (float[] buffer, int tapeAt, int dxAt) = Overlapping(tapeLength, T * I, placement);
        Span<float> tape = buffer.AsSpan(tapeAt, tapeLength);
        model.Forward(input, new float[T * H], new float[H], new float[H], tape);
        float[] copy = buffer.ToArray();
        AssertOverlap(
            () => model.BackwardFromTape(input, copy.AsSpan(tapeAt, tapeLength), new float[T * H], new float[H], new float[H], copy.AsSpan(dxAt, T * I), new float[H], new float[H]),
            "tape", "inputGradient");
    }

    [Fact]
    public void ExportPyTorch_refuses_destinations_that_overlap_each_other_or_the_parameters()
    {
        var model = Model();
        float[] wih = new float[4 * H * I], whh = new float[4 * H * H];
        AssertOverlap(() => model.ExportPyTorch(wih, whh, wih.AsSpan(0, 4 * H), new float[4 * H]), "weightIh", "biasIh");
        AssertOverlap(() => model.ExportPyTorch(model.Parameters.Slice(0, 4 * H * I), whh, new float[4 * H], new float[4 * H]), "weightIh", "the model's own buffer");
        AssertOverlap(() => model.ImportPyTorch(model.Parameters.Slice(0, 4 * H * I), whh, new float[4 * H], new float[4 * H]), "weightIh", "Parameters");
    }

    [Fact]
    public void Gru_refuses_overlaps_and_foreign_tapes_too()
    {
        var gru = new Gru_I3_H5_T7();
        var other = new Gru_I3_H5_T7();
        gru.InitializeParameters(1);
        float[] buffer = new float[64];
        AssertOverlap(() => gru.Forward(buffer.AsSpan(0, 21), buffer.AsSpan(20, 35), new float[5]), "output", "input");
        AssertOverlap(() => gru.Forward(new float[21], buffer.AsSpan(0, 35), buffer.AsSpan(34, 5)), "output", "hidden");
        float[] input = Enumerable.Range(0, 21).Select(k => k * 0.1f).ToArray();
        float[] tape = new float[Gru_I3_H5_T7.TapeLength];
        gru.Forward(input, new float[35], new float[5], tape);
        ArgumentException e = Assert.Throws<ArgumentException>(() => other.BackwardFromTape(input, tape, new float[35], new float[5], new float[21], new float[5]));
        Assert.Contains("another instance", e.Message);

        // h fed back as the input of a GRU step.
        float[] hidden = { 0.1f, -0.2f, 0.3f, -0.4f, 0.5f }, expected = hidden.ToArray();
        gru.Step(hidden.AsSpan(1, 3).ToArray(), expected);
        gru.Step(hidden.AsSpan(1, 3), hidden);
        Assert.Equal(expected, hidden);
    }

    [Fact]
    public void Process_refuses_output_or_state_overlapping_the_input()
    {
        var model = new Model_agam_lstm_i1_h40_skip1_trained();
        float[] buffer = new float[200];
        AssertOverlap(() => model.Process(buffer.AsSpan(0, 64), buffer.AsSpan(63, 64)), "output", "input");
        AssertOverlap(() => model.Process(buffer.AsSpan(0, 64), new float[64], buffer.AsSpan(10, Model_agam_lstm_i1_h40_skip1_trained.StateLength)), "state", "input");
        AssertOverlap(() => model.Process(new float[64], buffer.AsSpan(0, 64), buffer.AsSpan(60, Model_agam_lstm_i1_h40_skip1_trained.StateLength)), "output", "state");
    }
}

/// <summary>The example shape for the misuse tests.</summary>
[Lstm(inputSize: 4, hiddenSize: 16, sequenceLength: 8)]
public partial class Lstm_I4_H16_T8
{
}
