using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// Sequences longer than one input-projection block (the sequence loops project the inputs of up to 32 steps
/// at a time) and shapes the fixtures do not have, against the double-precision <see cref="ReferenceLstm"/>.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class LongSequenceTests
{
    [Theory]
    [MemberData(nameof(ForwardParityTests.Cases), MemberType = typeof(ForwardParityTests))]
    public void The_reference_implementation_matches_pytorch(string fixtureName, int caseIndex)
    {
        Fixture f = Fixture.Load(fixtureName);
        FixtureCase c = f.Cases[caseIndex];
        var reference = new ReferenceLstm(f.InputSize, f.HiddenSize, f.WeightIh, f.WeightHh, f.BiasIh, f.BiasHh);
        ReferenceLstm.Result r = reference.Run(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN);
        AssertClose("output", r.Output, c.Output);
        AssertClose("h_n", r.HN, c.HN);
        AssertClose("c_n", r.CN, c.CN);
        AssertClose("∂L/∂input", r.GradInput, c.GradInput);
        AssertClose("∂L/∂h0", r.GradH0, c.GradH0);
        AssertClose("∂L/∂c0", r.GradC0, c.GradC0);
        AssertClose("∂L/∂weight_ih", r.GradWeightIh, c.GradWeightIh);
        AssertClose("∂L/∂weight_hh", r.GradWeightHh, c.GradWeightHh);
        AssertClose("∂L/∂bias_ih", r.GradBias, c.GradBiasIh);
        AssertClose("∂L/∂bias_hh", r.GradBias, c.GradBiasHh);

        static void AssertClose(string what, double[] actual, double[] expected)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (int n = 0; n < expected.Length; n++)
            {
                Assert.True(Math.Abs(actual[n] - expected[n]) <= 1e-9 * Math.Max(1, Math.Abs(expected[n])), $"{what}[{n}]: {actual[n]:R} vs PyTorch {expected[n]:R}");
            }
        }
    }

    public static TheoryData<int> Lengths => new() { 31, 32, 33, 100, 200 };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Forward_and_Backward_over_long_sequences_match_the_reference(int steps)
    {
        var model = new LongSequenceModel();
        model.InitializeParameters(seed: steps);
        var random = new Random(steps);
        float[] Rand(int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
        const int I = LongSequenceModel.InputSize, H = LongSequenceModel.HiddenSize;
        float[] input = Rand(steps * I, 1), h0 = Rand(H, 0.5f), c0 = Rand(H, 0.5f), dy = Rand(steps * H, 1), dh = Rand(H, 1), dc = Rand(H, 1);
        ReferenceLstm.Result expected = ReferenceLstm.From(model).Run(input, h0, c0, dy, dh, dc);

        float[] output = new float[steps * H], hidden = h0.ToArray(), cell = c0.ToArray();
        model.Forward(input, output, hidden, cell);
        Compare.ElementWise("output", output, expected.Output, 1e-5);
        Compare.ElementWise("h_n", hidden, expected.HN, 1e-5);
        Compare.ElementWise("c_n", cell, expected.CN, 1e-5);

        // Forward with a tape, then BackwardFromTape, and the self-contained Backward.
        float[] tape = new float[LongSequenceModel.TapeLength], taped = new float[output.Length];
        model.Forward(input, taped, h0.ToArray(), c0.ToArray(), tape);
        Assert.Equal(output, taped);
        foreach (bool fromTape in new[] { true, false })
        {
            float[] dx = new float[input.Length], dh0 = new float[H], dc0 = new float[H];
            model.ZeroGradients();
            if (fromTape)
            {
                model.BackwardFromTape(input, tape, dy, dh, dc, dx, dh0, dc0);
            }
            else
            {
                model.Backward(input, h0, c0, dy, dh, dc, dx, dh0, dc0);
            }

            AssertGradientsMatch(model, expected, dx, dh0, dc0);
        }
    }

    /// <summary>
    /// Compares the input and initial-state gradients and the accumulated parameter gradients (exported in
    /// PyTorch layout; both bias gradients equal ∂L/∂z) with the reference, per tensor at 1e-4, and returns the
    /// largest scaled error.
    /// </summary>
    internal static double AssertGradientsMatch(ILstm model, ReferenceLstm.Result expected, float[] dx, float[] dh0, float[] dc0)
    {
        int i = model.InputSize, h = model.HiddenSize;
        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        model.ExportGradientsPyTorch(wih, whh, bih, bhh);
        return new[]
        {
            Compare.PerTensor("∂L/∂input", dx, expected.GradInput, 1e-4),
            Compare.PerTensor("∂L/∂h0", dh0, expected.GradH0, 1e-4),
            Compare.PerTensor("∂L/∂c0", dc0, expected.GradC0, 1e-4),
            Compare.PerTensor("∂L/∂weight_ih", wih, expected.GradWeightIh, 1e-4),
            Compare.PerTensor("∂L/∂weight_hh", whh, expected.GradWeightHh, 1e-4),
            Compare.PerTensor("∂L/∂bias_ih", bih, expected.GradBias, 1e-4),
            Compare.PerTensor("∂L/∂bias_hh", bhh, expected.GradBias, 1e-4),
        }.Max();
    }
}

/// <summary>
/// 10,000 steps (LSTM004 allows up to 65,536): Forward, Backward through the array pool and the tape pair against
/// the double-precision reference. Errors do not compound over the steps: the forget gate contracts the state,
/// so float32 rounding stays at the level of a short sequence (forward 8e-8 seen, bound 1e-5 element-wise); the
/// parameter gradients are sums over 10,000 steps (3.7e-6 of their largest element seen on every SIMD path),
/// compared per tensor at 1e-4 as elsewhere.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class TenThousandStepTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public TenThousandStepTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public void Forward_and_Backward_over_10000_steps_match_the_reference()
    {
        const int I = TenThousandStepModel.InputSize, H = TenThousandStepModel.HiddenSize, T = TenThousandStepModel.SequenceLength;
        // Backward without a workspace takes the array pool above 256 KiB of stack: make sure this one does.
        Assert.True(TenThousandStepModel.BackwardWorkspaceLength * sizeof(float) > 256 * 1024);

        var model = new TenThousandStepModel();
        model.InitializeParameters(seed: 10000);
        var random = new Random(10000);
        float[] Rand(int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();
        float[] input = Rand(T * I, 1), h0 = Rand(H, 0.5f), c0 = Rand(H, 0.5f), dy = Rand(T * H, 1), dh = Rand(H, 1), dc = Rand(H, 1);
        ReferenceLstm.Result expected = ReferenceLstm.From(model).Run(input, h0, c0, dy, dh, dc);

        float[] output = new float[T * H], hidden = h0.ToArray(), cell = c0.ToArray();
        model.Forward(input, output, hidden, cell);
        double worst = Compare.ElementWise("output", output, expected.Output, 1e-5);
        worst = Math.Max(worst, Compare.ElementWise("h_n", hidden, expected.HN, 1e-5));
        worst = Math.Max(worst, Compare.ElementWise("c_n", cell, expected.CN, 1e-5));
        _output.WriteLine($"forward: worst scaled error {worst:E2}");

        float[] dx = new float[input.Length], dh0 = new float[H], dc0 = new float[H];
        model.ZeroGradients();
        model.Backward(input, h0, c0, dy, dh, dc, dx, dh0, dc0);
        _output.WriteLine($"Backward: worst scaled error {LongSequenceTests.AssertGradientsMatch(model, expected, dx, dh0, dc0):E2}");

        float[] tape = new float[TenThousandStepModel.TapeLength], taped = new float[output.Length];
        model.Forward(input, taped, h0.ToArray(), c0.ToArray(), tape);
        Assert.Equal(output, taped);
        Array.Clear(dx);
        model.ZeroGradients();
        model.BackwardFromTape(input, tape, dy, dh, dc, dx, dh0, dc0);
        _output.WriteLine($"BackwardFromTape: worst scaled error {LongSequenceTests.AssertGradientsMatch(model, expected, dx, dh0, dc0):E2}");
    }
}

/// <summary>A hidden size above 1024 takes the sequence loops without input projection and multi-chunk kernels.</summary>
[Trait("Category", "Numeric")]
public sealed class WideModelTests
{
    [Fact]
    public void Forward_and_Backward_with_H_1040_match_the_reference()
    {
        var model = new WideModel();
        model.InitializeParameters(seed: 5);
        var random = new Random(9);
        float[] Rand(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        const int I = WideModel.InputSize, H = WideModel.HiddenSize, T = WideModel.SequenceLength;
        float[] input = Rand(T * I), h0 = Rand(H), c0 = Rand(H), dy = Rand(T * H), dh = Rand(H), dc = Rand(H);
        ReferenceLstm.Result expected = ReferenceLstm.From(model).Run(input, h0, c0, dy, dh, dc);

        float[] output = new float[T * H], hidden = h0.ToArray(), cell = c0.ToArray();
        model.Forward(input, output, hidden, cell);
        Compare.ElementWise("output", output, expected.Output, 1e-5);
        Compare.ElementWise("c_n", cell, expected.CN, 1e-5);

        float[] dx = new float[input.Length], dh0 = new float[H], dc0 = new float[H];
        model.Backward(input, h0, c0, dy, dh, dc, dx, dh0, dc0, new float[WideModel.BackwardWorkspaceLength]);
        LongSequenceTests.AssertGradientsMatch(model, expected, dx, dh0, dc0);
    }
}
