using Xunit;

namespace LstmGen.Tests;

/// <summary>Every span is checked at the public edge; the message names the argument and both lengths.</summary>
public sealed class ArgumentValidationTests
{
    private readonly Lstm_I7_H33_T9 _model = new();

    private static void AssertWrongLength(Action call, string parameter, string expected, string actual)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains($"'{parameter}'", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.Contains($"its length is {actual}", e.Message);
    }

    [Fact]
    public void Step_rejects_wrong_lengths()
    {
        AssertWrongLength(() => _model.Step(new float[6], new float[33], new float[33]), "input", "length 7", "6");
        AssertWrongLength(() => _model.Step(new float[7], new float[32], new float[33]), "hidden", "length 33", "32");
        AssertWrongLength(() => _model.Step(new float[7], new float[33], new float[34]), "cell", "length 33", "34");
        AssertWrongLength(() => _model.Step(default, new float[33], new float[33]), "input", "length 7", "0");
    }

    [Fact]
    public void Forward_rejects_inputs_that_are_not_1_to_T_steps()
    {
        AssertWrongLength(() => _model.Forward(new float[0], new float[0], new float[33], new float[33]), "input", "from 7 to 63", "0");
        AssertWrongLength(() => _model.Forward(new float[15], new float[66], new float[33], new float[33]), "input", "multiple of 7", "15");
        AssertWrongLength(() => _model.Forward(new float[70], new float[330], new float[33], new float[33]), "input", "between 1 and 9 time steps", "70");
    }

    [Fact]
    public void Forward_rejects_wrong_output_and_state_lengths()
    {
        AssertWrongLength(() => _model.Forward(new float[14], new float[33], new float[33], new float[33]), "output", "length 66", "33");
        AssertWrongLength(() => _model.Forward(new float[14], new float[66], new float[3], new float[33]), "hidden", "length 33", "3");
        AssertWrongLength(() => _model.Forward(new float[14], new float[66], new float[33], new float[0]), "cell", "length 33", "0");
    }

    [Fact]
    public void ImportPyTorch_and_ExportPyTorch_name_the_tensor_and_its_shape()
    {
        float[] wih = new float[132 * 7], whh = new float[132 * 33], b = new float[132];
        AssertWrongLength(() => _model.ImportPyTorch(new float[10], whh, b, b), "weightIh", "[132, 7]", "10");
        AssertWrongLength(() => _model.ImportPyTorch(wih, new float[10], b, b), "weightHh", "[132, 33]", "10");
        AssertWrongLength(() => _model.ImportPyTorch(wih, whh, new float[131], b), "biasIh", "length 132", "131");
        AssertWrongLength(() => _model.ExportPyTorch(wih, whh, b, new float[133]), "biasHh", "length 132", "133");
    }

    [Fact]
    public void A_rejected_call_leaves_the_state_untouched()
    {
        _model.InitializeParameters(1);
        float[] hidden = Enumerable.Repeat(0.25f, 33).ToArray();
        float[] cell = Enumerable.Repeat(-0.5f, 33).ToArray();
        Assert.Throws<ArgumentException>(() => _model.Forward(new float[14], new float[65], hidden, cell));
        Assert.All(hidden, v => Assert.Equal(0.25f, v));
        Assert.All(cell, v => Assert.Equal(-0.5f, v));
    }
}
