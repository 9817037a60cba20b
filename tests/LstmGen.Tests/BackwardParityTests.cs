using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests;

/// <summary>
/// Gradients against PyTorch autograd (float64 on the same float32 values): ∂L/∂input, ∂L/∂h_0, ∂L/∂c_0 and all
/// four parameter gradients, with max |ours − torch| ≤ 1e-4 · max(1, max |torch|) per tensor. The fixtures hold
/// a full-length case, one shorter than SequenceLength and a saturating one for every shape.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class BackwardParityTests
{
    private const double Tolerance = 1e-4;
    private readonly ITestOutputHelper _output;

    public BackwardParityTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Cases() => ForwardParityTests.Cases();

    private sealed record Result(float[] Input, float[] H0, float[] C0, float[] Wih, float[] Whh, float[] Bih, float[] Bhh);

    private static Result Gradients(ILstm model, Fixture f, FixtureCase c, string variant)
    {
        var dx = new float[c.Steps * f.InputSize];
        var dh0 = new float[f.HiddenSize];
        var dc0 = new float[f.HiddenSize];
        model.ZeroGradients();
        switch (variant)
        {
            case "stack":
                model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0);
                break;
            case "workspace":
                model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0, new float[model.BackwardWorkspaceLength]);
                break;
            case "tape":
                var tape = new float[model.TapeLength];
                var output = new float[c.Steps * f.HiddenSize];
                model.Forward(c.Input, output, c.H0.ToArray(), c.C0.ToArray(), tape);
                Compare.ElementWise("output of the recording forward", output, c.Output, 1e-5);
                model.BackwardFromTape(c.Input, tape, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0);
                break;
            default:
                throw new ArgumentException(variant);
        }

        var wih = new float[f.WeightIh.Length];
        var whh = new float[f.WeightHh.Length];
        var bih = new float[f.BiasIh.Length];
        var bhh = new float[f.BiasHh.Length];
        model.ExportGradientsPyTorch(wih, whh, bih, bhh);
        return new Result(dx, dh0, dc0, wih, whh, bih, bhh);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_pytorch_autograd(string fixtureName, int caseIndex)
    {
        Fixture f = Fixture.Load(fixtureName);
        FixtureCase c = f.Cases[caseIndex];
        ILstm model = f.CreateModel();
        foreach (string variant in new[] { "stack", "workspace", "tape" })
        {
            Result r = Gradients(model, f, c, variant);
            double worst = 0;
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂input", r.Input, c.GradInput, Tolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂h0", r.H0, c.GradH0, Tolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂c0", r.C0, c.GradC0, Tolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂weight_ih", r.Wih, c.GradWeightIh, Tolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂weight_hh", r.Whh, c.GradWeightHh, Tolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂bias_ih", r.Bih, c.GradBiasIh, Tolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂bias_hh", r.Bhh, c.GradBiasHh, Tolerance));
            _output.WriteLine($"{fixtureName} case {caseIndex} ({c.Steps} steps, {variant}) on {IsaInfo.Describe()}: worst scaled error {worst:E2}");
        }
    }

    [Theory]
    [InlineData("lstm_I7_H33_T9")]
    [InlineData("lstm_I16_H64_T8")]
    [InlineData("lstm_I1_H1_T4")]
    public void Two_Backward_calls_accumulate_twice_the_gradient_and_ZeroGradients_resets(string fixtureName)
    {
        Fixture f = Fixture.Load(fixtureName);
        FixtureCase c = f.Cases[0];
        ILstm model = f.CreateModel();
        var dx = new float[c.Steps * f.InputSize];
        var dh0 = new float[f.HiddenSize];
        var dc0 = new float[f.HiddenSize];

        model.ZeroGradients();
        model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0);
        float[] once = model.Gradients.ToArray();
        model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0);
        float[] twice = model.Gradients.ToArray();

        Assert.Contains(once, v => v != 0);
        for (int p = 0; p < once.Length; p++)
        {
            // g + g is exact in binary floating point (barring overflow): the accumulation must be exactly 2g.
            Assert.Equal(2 * once[p], twice[p]);
        }

        model.ZeroGradients();
        Assert.All(model.Gradients.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void A_consumed_or_mismatched_tape_is_rejected()
    {
        Fixture f = Fixture.Load("lstm_I3_H5_T7");
        FixtureCase c = f.Cases[0];
        ILstm model = f.CreateModel();
        var tape = new float[model.TapeLength];
        var dx = new float[c.Steps * f.InputSize];
        var dh0 = new float[f.HiddenSize];
        var dc0 = new float[f.HiddenSize];
        model.Forward(c.Input, new float[c.Steps * f.HiddenSize], c.H0.ToArray(), c.C0.ToArray(), tape);

        // An input of a different length than the recorded one.
        var shorter = c.Input.AsSpan(0, (c.Steps - 1) * f.InputSize).ToArray();
        var e = Assert.Throws<ArgumentException>(() => model.BackwardFromTape(shorter, tape, new float[(c.Steps - 1) * f.HiddenSize], c.GradHN, c.GradCN, new float[shorter.Length], dh0, dc0));
        Assert.Contains($"recorded for {c.Steps} steps", e.Message);

        model.BackwardFromTape(c.Input, tape, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0);
        e = Assert.Throws<ArgumentException>(() => model.BackwardFromTape(c.Input, tape, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0));
        Assert.Contains("already consumed", e.Message);

        e = Assert.Throws<ArgumentException>(() => model.BackwardFromTape(c.Input, new float[model.TapeLength - 1], c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0));
        Assert.Equal("tape", e.ParamName);
        Assert.Contains($"at least {model.TapeLength}", e.Message);

        e = Assert.Throws<ArgumentException>(() => model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, new float[f.HiddenSize + 1]));
        Assert.Equal("initialCellGradient", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => model.Backward(c.Input, c.H0, c.C0, c.GradOutput, c.GradHN, c.GradCN, dx, dh0, dc0, new float[model.BackwardWorkspaceLength - 1]));
        Assert.Equal("workspace", e.ParamName);
    }
}
