using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using LstmGen.Training;
using Xunit;

namespace LstmGen.Tests.GuitarAmp;

/// <summary>
/// <see cref="Losses.ErrorToSignalRatio"/> against hand-computed values and against CoreAudioML's <c>PreEmph</c> +
/// <c>ESRLoss</c> differentiated by PyTorch's autograd (tests/fixtures/agam_writer/esr_loss.json).
/// </summary>
public sealed class ErrorToSignalRatioTests
{
    public static IEnumerable<object[]> PyTorchCases()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SavedModel.OutputDirectory, "esr_loss.json")));
        int count = document.RootElement.GetProperty("cases").GetArrayLength();
        return Enumerable.Range(0, count).Select(i => new object[] { i });
    }

    [Fact]
    public void Plain_ratio_and_gradient_match_a_hand_computation()
    {
        // e = p − t = [1, 1], t = [0, 1]: mean e² = 1, mean t² = 0.5 → L = 2; ∂L/∂p_t = 2·e_t / (n·0.5) = 2.
        float[] gradient = new float[2];
        float loss = Losses.ErrorToSignalRatio([1f, 2f], [0f, 1f], gradient, epsilon: 0f);
        Assert.Equal(2f, loss, 6);
        Assert.Equal(new[] { 2f, 2f }, gradient);
    }

    [Fact]
    public void Pre_emphasis_filters_error_and_target_from_a_zero_before_the_sequence()
    {
        // a = 0.5, e = [1, 1], t = [0, 1]: E = [1, 1 − 0.5] = [1, 0.5], Y = [0, 1]; mean E² = 0.625, mean Y² = 0.5
        // → L = 1.25; ∂L/∂p_0 = 2·(E_0 − a·E_1) / (2·0.5) = 1.5, ∂L/∂p_1 = 2·E_1 / 1 = 1.
        float[] gradient = new float[2];
        float loss = Losses.ErrorToSignalRatio([1f, 2f], [0f, 1f], gradient, preEmphasis: 0.5f, epsilon: 0f);
        Assert.Equal(1.25f, loss, 6);
        Assert.Equal(1.5f, gradient[0], 6);
        Assert.Equal(1f, gradient[1], 6);
    }

    [Fact]
    public void The_filter_does_not_cross_from_one_sequence_to_the_next()
    {
        // Two sequences [1, 2] | [2, 3] against [0, 1] | [1, 1], a = 0.5 (each starts from a zero):
        // E = [1, 0.5 | 1, 1.5], Y = [0, 1 | 1, 0.5]; mean E² = (1 + 0.25 + 1 + 2.25)/4 = 1.125, mean Y² = 2.25/4 = 0.5625
        // → L = 2. Run as one sequence instead, E_2 would be (2 − 1) − 0.5·(2 − 1) = 0.5, a different loss.
        float[] prediction = [1f, 2f, 2f, 3f], target = [0f, 1f, 1f, 1f], gradient = new float[4];
        Assert.Equal(2f, Losses.ErrorToSignalRatio(prediction, target, gradient, sequences: 2, preEmphasis: 0.5f, epsilon: 0f), 6);
        Assert.NotEqual(2f, Losses.ErrorToSignalRatio(prediction, target, gradient, sequences: 1, preEmphasis: 0.5f, epsilon: 0f), 3);
    }

    [Theory]
    [MemberData(nameof(PyTorchCases))]
    public void Loss_and_gradient_match_coreaudioml_differentiated_by_pytorch(int index)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SavedModel.OutputDirectory, "esr_loss.json")));
        JsonElement c = document.RootElement.GetProperty("cases")[index];
        float[] prediction = c.GetProperty("prediction").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        float[] target = c.GetProperty("target").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
        double[] expected = c.GetProperty("gradient").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double expectedLoss = c.GetProperty("loss").GetDouble();
        float[] gradient = new float[prediction.Length];

        float loss = Losses.ErrorToSignalRatio(prediction, target, gradient, c.GetProperty("sequences").GetInt32(),
            (float)c.GetProperty("pre_emphasis").GetDouble(), (float)c.GetProperty("epsilon").GetDouble());

        // Computed in double and rounded once to float: within a few float ulps of PyTorch's float64 values.
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-6 * expectedLoss, $"loss {loss:R}, PyTorch {expectedLoss:R}");
        double largest = expected.Max(Math.Abs);
        for (int k = 0; k < gradient.Length; k++)
        {
            Assert.True(Math.Abs(gradient[k] - expected[k]) <= 1e-6 * largest, $"gradient {k}: {gradient[k]:R}, PyTorch {expected[k]:R}");
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected_by_name()
    {
        float[] two = new float[2], four = new float[4];
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(two, new float[3], two)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(two, two, new float[1])).ParamName);
        Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio([], [], [])).ParamName);
        Assert.Equal("prediction", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(four, four, four, sequences: 3)).ParamName);
        Assert.Equal("sequences", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(four, four, four, sequences: 0)).ParamName);
        Assert.Equal("preEmphasis", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(two, two, two, preEmphasis: 1f)).ParamName);
        Assert.Equal("preEmphasis", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(two, two, two, preEmphasis: float.NaN)).ParamName);
        Assert.Equal("epsilon", Assert.Throws<ArgumentException>(() => Losses.ErrorToSignalRatio(two, two, two, epsilon: -1e-5f)).ParamName);
    }
}
