using System.Collections.Generic;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests.Gru;

/// <summary>
/// The generated GRU against PyTorch's <c>nn.GRU</c> evaluated in float64 on the same float32 weights and inputs:
/// forward within 1e-5 · max(1, |reference|) per element, every gradient within 1e-4 · max(1, max |reference|) per tensor.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class GruParityTests
{
    private const double ForwardTolerance = 1e-5;
    private const double GradientTolerance = 1e-4;
    private readonly ITestOutputHelper _output;

    public GruParityTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Cases() => GruFixture.CaseData();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_pytorch(string fixtureName, int caseIndex)
    {
        GruFixture f = GruFixture.Load(fixtureName);
        GruCase c = f.Cases[caseIndex];
        IGru model = f.CreateModel();
        float[] output = new float[c.Steps * f.HiddenSize];
        float[] hidden = c.H0.ToArray();
        model.Forward(c.Input, output, hidden);
        double worst = Compare.ElementWise("output", output, c.Output, ForwardTolerance);
        worst = Math.Max(worst, Compare.ElementWise("h_n", hidden, c.HN, ForwardTolerance));
        _output.WriteLine($"{fixtureName} case {caseIndex} ({c.Steps} steps) on {IsaInfo.Describe()}: worst scaled error {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_loop_matches_pytorch(string fixtureName, int caseIndex)
    {
        GruFixture f = GruFixture.Load(fixtureName);
        GruCase c = f.Cases[caseIndex];
        IGru model = f.CreateModel();
        int h = f.HiddenSize, i = f.InputSize;
        float[] hidden = c.H0.ToArray();
        float[] outputs = new float[c.Steps * h];
        for (int t = 0; t < c.Steps; t++)
        {
            model.Step(c.Input.AsSpan(t * i, i), hidden);
            hidden.CopyTo(outputs, t * h);
        }

        Compare.ElementWise("h_t of every step", outputs, c.Output, ForwardTolerance);
        Compare.ElementWise("h_n", hidden, c.HN, ForwardTolerance);
    }

    /// <summary>The cases with at least two steps (a sequence that can be split).</summary>
    public static IEnumerable<object[]> SplittableCases() =>
        GruFixture.CaseData().Where(c => GruFixture.Load((string)c[0]).Cases[(int)c[1]].Steps >= 2);

    [Theory]
    [MemberData(nameof(SplittableCases))]
    public void Forward_split_into_two_calls_continues_the_state(string fixtureName, int caseIndex)
    {
        GruFixture f = GruFixture.Load(fixtureName);
        GruCase c = f.Cases[caseIndex];
        IGru model = f.CreateModel();
        int h = f.HiddenSize, i = f.InputSize, first = c.Steps / 2;
        float[] output = new float[c.Steps * h];
        float[] hidden = c.H0.ToArray();
        model.Forward(c.Input.AsSpan(0, first * i), output.AsSpan(0, first * h), hidden);
        model.Forward(c.Input.AsSpan(first * i), output.AsSpan(first * h), hidden);
        Compare.ElementWise("output", output, c.Output, ForwardTolerance);
        Compare.ElementWise("h_n", hidden, c.HN, ForwardTolerance);
    }

    /// <summary>
    /// The fixtures are built so that the classic port bug (b_hn added outside r ⊙ (…)) moves PyTorch's outputs by far
    /// more than the tolerance: a kernel with that bug cannot pass <see cref="Forward_matches_pytorch"/>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void The_fixtures_would_catch_b_hn_outside_the_reset_product(string fixtureName, int caseIndex)
    {
        GruCase c = GruFixture.Load(fixtureName).Cases[caseIndex];
        double scale = Math.Max(1, c.Output.Max(Math.Abs));
        Assert.True(c.WrongBiasMaxDiff > 1000 * ForwardTolerance * scale, $"the wrong-bias GRU differs by only {c.WrongBiasMaxDiff:E2}");
    }

    private sealed record Gradients(float[] Input, float[] H0, float[] Wih, float[] Whh, float[] Bih, float[] Bhh);

    private static Gradients Run(IGru model, GruFixture f, GruCase c, string variant)
    {
        var dx = new float[c.Steps * f.InputSize];
        var dh0 = new float[f.HiddenSize];
        model.ZeroGradients();
        switch (variant)
        {
            case "stack":
                model.Backward(c.Input, c.H0, c.GradOutput, c.GradHN, dx, dh0);
                break;
            case "workspace":
                model.Backward(c.Input, c.H0, c.GradOutput, c.GradHN, dx, dh0, new float[model.BackwardWorkspaceLength]);
                break;
            case "tape":
                var tape = new float[model.TapeLength];
                var output = new float[c.Steps * f.HiddenSize];
                model.Forward(c.Input, output, c.H0.ToArray(), tape);
                Compare.ElementWise("output of the recording forward", output, c.Output, ForwardTolerance);
                model.BackwardFromTape(c.Input, tape, c.GradOutput, c.GradHN, dx, dh0);
                break;
            default:
                throw new ArgumentException(variant);
        }

        var wih = new float[f.WeightIh.Length];
        var whh = new float[f.WeightHh.Length];
        var bih = new float[f.BiasIh.Length];
        var bhh = new float[f.BiasHh.Length];
        model.ExportGradientsPyTorch(wih, whh, bih, bhh);
        return new Gradients(dx, dh0, wih, whh, bih, bhh);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_matches_pytorch_autograd(string fixtureName, int caseIndex)
    {
        GruFixture f = GruFixture.Load(fixtureName);
        GruCase c = f.Cases[caseIndex];
        IGru model = f.CreateModel();
        foreach (string variant in new[] { "stack", "workspace", "tape" })
        {
            Gradients r = Run(model, f, c, variant);
            double worst = 0;
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂input", r.Input, c.GradInput, GradientTolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂h0", r.H0, c.GradH0, GradientTolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂weight_ih", r.Wih, c.GradWeightIh, GradientTolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂weight_hh", r.Whh, c.GradWeightHh, GradientTolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂bias_ih", r.Bih, c.GradBiasIh, GradientTolerance));
            worst = Math.Max(worst, Compare.PerTensor($"{variant}: ∂L/∂bias_hh", r.Bhh, c.GradBiasHh, GradientTolerance));
            _output.WriteLine($"{fixtureName} case {caseIndex} ({c.Steps} steps, {variant}) on {IsaInfo.Describe()}: worst scaled error {worst:E2}");
        }
    }

    [Theory]
    [InlineData("gru_I7_H33_T9")]
    [InlineData("gru_I16_H64_T8")]
    [InlineData("gru_I8_H128_T5")]
    public void Backward_twice_adds_exactly_twice_and_the_tape_gives_the_same_bits(string fixtureName)
    {
        GruFixture f = GruFixture.Load(fixtureName);
        GruCase c = f.Cases[0];
        IGru model = f.CreateModel();
        var dx = new float[c.Steps * f.InputSize];
        var dh0 = new float[f.HiddenSize];
        model.ZeroGradients();
        model.Backward(c.Input, c.H0, c.GradOutput, c.GradHN, dx, dh0);
        float[] once = model.Gradients.ToArray();
        model.Backward(c.Input, c.H0, c.GradOutput, c.GradHN, dx, dh0);
        float[] twice = model.Gradients.ToArray();
        for (int k = 0; k < once.Length; k++)
        {
            Assert.Equal(2 * once[k], twice[k]);
        }

        model.ZeroGradients();
        Assert.All(model.Gradients.ToArray(), v => Assert.Equal(0f, v));
        var tape = new float[model.TapeLength];
        model.Forward(c.Input, new float[c.Steps * f.HiddenSize], c.H0.ToArray(), tape);
        var dxTape = new float[dx.Length];
        var dh0Tape = new float[dh0.Length];
        model.BackwardFromTape(c.Input, tape, c.GradOutput, c.GradHN, dxTape, dh0Tape);
        Assert.Equal(once, model.Gradients.ToArray());
        Assert.Equal(dx, dxTape);
        Assert.Equal(dh0, dh0Tape);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportPyTorch_of_ImportPyTorch_is_bit_exact(string fixtureName, int caseIndex)
    {
        _ = caseIndex;
        GruFixture f = GruFixture.Load(fixtureName);
        IGru model = f.CreateModel();
        float[] wih = new float[f.WeightIh.Length], whh = new float[f.WeightHh.Length], bih = new float[f.BiasIh.Length], bhh = new float[f.BiasHh.Length];
        model.ExportPyTorch(wih, whh, bih, bhh);
        Assert.Equal(f.WeightIh.Select(BitConverter.SingleToInt32Bits), wih.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(f.WeightHh.Select(BitConverter.SingleToInt32Bits), whh.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(f.BiasIh.Select(BitConverter.SingleToInt32Bits), bih.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(f.BiasHh.Select(BitConverter.SingleToInt32Bits), bhh.Select(BitConverter.SingleToInt32Bits));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_double_precision_reference_matches_pytorch(string fixtureName, int caseIndex)
    {
        GruFixture f = GruFixture.Load(fixtureName);
        GruCase c = f.Cases[caseIndex];
        var reference = ReferenceGru.From(f.CreateModel());
        double[] outputs = reference.Forward(c.Input.Select(v => (double)v).ToArray(), c.H0.Select(v => (double)v).ToArray(), out _);
        for (int k = 0; k < outputs.Length; k++)
        {
            Assert.True(Math.Abs(outputs[k] - c.Output[k]) < 1e-12, $"element {k}: {outputs[k]:R} vs {c.Output[k]:R}");
        }
    }
}
