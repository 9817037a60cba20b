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
    /// PyTorch layout; both bias gradients equal ∂L/∂z) with the reference, per tensor at 1e-4.
    /// </summary>
    internal static void AssertGradientsMatch(ILstm model, ReferenceLstm.Result expected, float[] dx, float[] dh0, float[] dc0)
    {
        int i = model.InputSize, h = model.HiddenSize;
        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        model.ExportGradientsPyTorch(wih, whh, bih, bhh);
        Compare.PerTensor("∂L/∂input", dx, expected.GradInput, 1e-4);
        Compare.PerTensor("∂L/∂h0", dh0, expected.GradH0, 1e-4);
        Compare.PerTensor("∂L/∂c0", dc0, expected.GradC0, 1e-4);
        Compare.PerTensor("∂L/∂weight_ih", wih, expected.GradWeightIh, 1e-4);
        Compare.PerTensor("∂L/∂weight_hh", whh, expected.GradWeightHh, 1e-4);
        Compare.PerTensor("∂L/∂bias_ih", bih, expected.GradBias, 1e-4);
        Compare.PerTensor("∂L/∂bias_hh", bhh, expected.GradBias, 1e-4);
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
