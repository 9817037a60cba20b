using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests;

/// <summary>
/// The generated forward pass against PyTorch's <c>nn.LSTM</c> evaluated in float64 on the same float32
/// weights and inputs. A correct float32 kernel lands near 1e-6; the bound is 1e-5 · max(1, |reference|).
/// </summary>
[Trait("Category", "Numeric")]
public sealed class ForwardParityTests
{
    private const double Tolerance = 1e-5;
    private readonly ITestOutputHelper _output;

    public ForwardParityTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> Cases() =>
        Fixture.Names.SelectMany(name => Enumerable.Range(0, Fixture.Load(name).Cases.Count).Select(c => new object[] { name, c }));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_pytorch(string fixtureName, int caseIndex)
    {
        Fixture fixture = Fixture.Load(fixtureName);
        FixtureCase c = fixture.Cases[caseIndex];
        ILstm model = fixture.CreateModel();

        float[] output = new float[c.Steps * fixture.HiddenSize];
        float[] hidden = c.H0.ToArray();
        float[] cell = c.C0.ToArray();
        model.Forward(c.Input, output, hidden, cell);

        double worst = Compare.ElementWise("output", output, c.Output, Tolerance);
        worst = System.Math.Max(worst, Compare.ElementWise("h_n", hidden, c.HN, Tolerance));
        worst = System.Math.Max(worst, Compare.ElementWise("c_n", cell, c.CN, Tolerance));
        _output.WriteLine($"{fixtureName} case {caseIndex} ({c.Steps} steps) on {IsaInfo.Describe()}: worst scaled error {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Step_loop_matches_pytorch(string fixtureName, int caseIndex)
    {
        Fixture fixture = Fixture.Load(fixtureName);
        FixtureCase c = fixture.Cases[caseIndex];
        ILstm model = fixture.CreateModel();
        int h = fixture.HiddenSize, i = fixture.InputSize;

        float[] hidden = c.H0.ToArray();
        float[] cell = c.C0.ToArray();
        float[] outputs = new float[c.Steps * h];
        for (int t = 0; t < c.Steps; t++)
        {
            model.Step(c.Input.AsSpan(t * i, i), hidden, cell);
            hidden.CopyTo(outputs, t * h);
        }

        Compare.ElementWise("h_t of every step", outputs, c.Output, Tolerance);
        Compare.ElementWise("h_n", hidden, c.HN, Tolerance);
        Compare.ElementWise("c_n", cell, c.CN, Tolerance);
    }

    /// <summary>Every case of two or more steps, with every point it can be split at (1 … steps − 1 first steps).</summary>
    public static IEnumerable<object[]> SplitCases() =>
        Fixture.Names.SelectMany(name => Fixture.Load(name).Cases.SelectMany((c, index) =>
            Enumerable.Range(1, c.Steps - 1).Select(first => new object[] { name, index, first })));

    [Fact]
    public void Every_fixture_has_a_case_to_split()
    {
        Assert.Equal(Fixture.Names.Count, SplitCases().Select(c => c[0]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(SplitCases))]
    public void Forward_split_into_two_calls_continues_the_state(string fixtureName, int caseIndex, int first)
    {
        Fixture fixture = Fixture.Load(fixtureName);
        FixtureCase c = fixture.Cases[caseIndex];
        ILstm model = fixture.CreateModel();
        int h = fixture.HiddenSize, i = fixture.InputSize;
        float[] output = new float[c.Steps * h];
        float[] hidden = c.H0.ToArray();
        float[] cell = c.C0.ToArray();
        model.Forward(c.Input.AsSpan(0, first * i), output.AsSpan(0, first * h), hidden, cell);
        model.Forward(c.Input.AsSpan(first * i), output.AsSpan(first * h), hidden, cell);

        Compare.ElementWise("output", output, c.Output, Tolerance);
        Compare.ElementWise("h_n", hidden, c.HN, Tolerance);
        Compare.ElementWise("c_n", cell, c.CN, Tolerance);
    }
}
