using System.Globalization;
using System.Text.Json;
using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// NaN and ±∞ in the input or the initial state, through <c>Step</c>, <c>Forward</c> and every <c>Backward</c>,
/// against what PyTorch gives (<c>tests/fixtures/make_special_values.py</c>). The documented semantics:
/// <list type="bullet">
/// <item>A NaN propagates to exactly the outputs and gradients that depend on it, as in PyTorch: the outputs of
/// earlier steps stay finite, and since the loss depends on every parameter through the state, every gradient
/// becomes NaN.</item>
/// <item>A single ±∞ input element saturates every gate pre-activation it feeds to ±∞, and the gates to exactly
/// 0 or ±1: no exception, and outputs, state and most gradients stay finite. ∂L/∂<c>weight_ih</c> for that input
/// element is NaN, in PyTorch too: it is ∂L/∂z · x = 0 · ∞ at the saturated step. Likewise ±∞ in <c>h0</c>
/// leaves only its column of ∂L/∂<c>weight_hh</c> NaN.</item>
/// <item>±∞ in <c>c0</c> stays in that cell (c' = f·c + …) while h = o·tanh(c) stays finite; every gradient is
/// NaN (∞ · 0 through the saturated tanh), as in PyTorch.</item>
/// </list>
/// Each non-finite element must be the same kind (NaN, +∞, −∞) as PyTorch's, and each finite one finite and
/// within the usual tolerances (1e-5 element-wise forward, 1e-4 per tensor for gradients).
/// </summary>
[Trait("Category", "Numeric")]
public sealed class SpecialValueTests
{
    private sealed record Case(string Fixture, string Name, string Tensor, int Index, float Value, Dictionary<string, double[]> Expected)
    {
        public override string ToString() => $"{Fixture} {Name}";
    }

    private static readonly Lazy<Case[]> Cases = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "special_values.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("fixture").GetString()!,
            c.GetProperty("name").GetString()!,
            c.GetProperty("tensor").GetString()!,
            c.GetProperty("index").GetInt32(),
            (float)Number(c.GetProperty("value")),
            c.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.Array)
                .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(Number).ToArray()))).ToArray();
    });

    // JSON has no NaN or infinity: the script writes them as "NaN", "Infinity" and "-Infinity".
    private static double Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();

    public static TheoryData<string, string> Names()
    {
        var data = new TheoryData<string, string>();
        foreach (Case c in Cases.Value)
        {
            data.Add(c.Fixture, c.Name);
        }

        return data;
    }

    private static (Fixture Fixture, FixtureCase Base, Case Case, float[] Input, float[] H0, float[] C0) Load(string fixtureName, string caseName)
    {
        Case c = Cases.Value.Single(c => c.Fixture == fixtureName && c.Name == caseName);
        Fixture f = Fixture.Load(fixtureName);
        FixtureCase b = f.Cases[0];
        float[] input = b.Input.ToArray(), h0 = b.H0.ToArray(), c0 = b.C0.ToArray();
        float[] planted = c.Tensor switch { "input" => input, "h0" => h0, "c0" => c0, _ => throw new InvalidDataException(c.Tensor) };
        planted[c.Index] = c.Value;
        return (f, b, c, input, h0, c0);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_and_Step_give_what_pytorch_gives(string fixtureName, string caseName)
    {
        var (f, b, c, input, h0, c0) = Load(fixtureName, caseName);
        ILstm model = f.CreateModel();
        int i = f.InputSize, h = f.HiddenSize;

        float[] output = new float[b.Steps * h], hidden = h0.ToArray(), cell = c0.ToArray();
        model.Forward(input, output, hidden, cell);
        AssertLike("Forward output", output, c.Expected["output"], perTensor: false);
        AssertLike("Forward h_n", hidden, c.Expected["h_n"], perTensor: false);
        AssertLike("Forward c_n", cell, c.Expected["c_n"], perTensor: false);

        hidden = h0.ToArray();
        cell = c0.ToArray();
        for (int t = 0; t < b.Steps; t++)
        {
            model.Step(input.AsSpan(t * i, i), hidden, cell);
            hidden.CopyTo(output, t * h);
        }

        AssertLike("Step outputs", output, c.Expected["output"], perTensor: false);
        AssertLike("Step h_n", hidden, c.Expected["h_n"], perTensor: false);
        AssertLike("Step c_n", cell, c.Expected["c_n"], perTensor: false);
    }

    public enum BackwardKind { OnTheStack, WithWorkspace, FromTape }

    public static TheoryData<string, string, BackwardKind> NamesAndBackwards()
    {
        var data = new TheoryData<string, string, BackwardKind>();
        foreach (Case c in Cases.Value)
        {
            foreach (BackwardKind kind in Enum.GetValues<BackwardKind>())
            {
                data.Add(c.Fixture, c.Name, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NamesAndBackwards))]
    public void Backward_gives_what_pytorch_gives(string fixtureName, string caseName, BackwardKind kind)
    {
        var (f, b, c, input, h0, c0) = Load(fixtureName, caseName);
        ILstm model = f.CreateModel();
        int i = f.InputSize, h = f.HiddenSize;
        float[] dx = new float[input.Length], dh0 = new float[h], dc0 = new float[h];
        model.ZeroGradients();
        switch (kind)
        {
            case BackwardKind.OnTheStack:
                model.Backward(input, h0, c0, b.GradOutput, b.GradHN, b.GradCN, dx, dh0, dc0);
                break;
            case BackwardKind.WithWorkspace:
                model.Backward(input, h0, c0, b.GradOutput, b.GradHN, b.GradCN, dx, dh0, dc0, new float[model.BackwardWorkspaceLength]);
                break;
            case BackwardKind.FromTape:
                float[] tape = new float[model.TapeLength], output = new float[b.Steps * h];
                model.Forward(input, output, h0.ToArray(), c0.ToArray(), tape);
                AssertLike("Forward(tape) output", output, c.Expected["output"], perTensor: false);
                model.BackwardFromTape(input, tape, b.GradOutput, b.GradHN, b.GradCN, dx, dh0, dc0);
                break;
        }

        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        model.ExportGradientsPyTorch(wih, whh, bih, bhh);
        AssertLike("∂L/∂input", dx, c.Expected["grad_input"], perTensor: true);
        AssertLike("∂L/∂h0", dh0, c.Expected["grad_h0"], perTensor: true);
        AssertLike("∂L/∂c0", dc0, c.Expected["grad_c0"], perTensor: true);
        AssertLike("∂L/∂weight_ih", wih, c.Expected["grad_weight_ih"], perTensor: true);
        AssertLike("∂L/∂weight_hh", whh, c.Expected["grad_weight_hh"], perTensor: true);
        AssertLike("∂L/∂bias_ih", bih, c.Expected["grad_bias_ih"], perTensor: true);
        AssertLike("∂L/∂bias_hh", bhh, c.Expected["grad_bias_hh"], perTensor: true);
    }

    [Fact]
    public void The_cases_cover_nan_and_both_infinities_in_input_and_state()
    {
        Assert.Contains(Cases.Value, c => c.Tensor == "input" && float.IsNaN(c.Value));
        Assert.Contains(Cases.Value, c => c.Tensor == "input" && c.Value == float.PositiveInfinity);
        Assert.Contains(Cases.Value, c => c.Tensor == "input" && c.Value == float.NegativeInfinity);
        Assert.Contains(Cases.Value, c => c.Tensor != "input");
    }

    /// <summary>
    /// Non-finite elements of <paramref name="expected"/> must be matched exactly (NaN by NaN, ±∞ by the same
    /// infinity); the finite ones must be finite and close, with the comparators of the parity tests.
    /// </summary>
    private static void AssertLike(string what, float[] actual, double[] expected, bool perTensor)
    {
        Assert.Equal(expected.Length, actual.Length);
        float[] finiteActual = actual.ToArray();
        double[] finiteExpected = expected.ToArray();
        for (int n = 0; n < expected.Length; n++)
        {
            if (!double.IsFinite(expected[n]))
            {
                bool same = double.IsNaN(expected[n]) ? float.IsNaN(actual[n]) : actual[n] == expected[n];
                Assert.True(same, $"{what}: element {n} is {actual[n]:R}, PyTorch says {expected[n]:R}.");
                finiteActual[n] = 0;
                finiteExpected[n] = 0;
            }
        }

        if (perTensor)
        {
            Compare.PerTensor(what, finiteActual, finiteExpected, 1e-4);
        }
        else
        {
            Compare.ElementWise(what, finiteActual, finiteExpected, 1e-5);
        }
    }
}
