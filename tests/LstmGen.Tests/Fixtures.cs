using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using static LstmGen.Tests.FixtureFiles;

namespace LstmGen.Tests;

/// <summary>One PyTorch reference file written by <c>tests/fixtures/make_fixtures.py</c>.</summary>
public sealed class Fixture
{
    public required string Name { get; init; }
    public required int InputSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int SequenceLength { get; init; }
    public required float[] WeightIh { get; init; }
    public required float[] WeightHh { get; init; }
    public required float[] BiasIh { get; init; }
    public required float[] BiasHh { get; init; }
    public required IReadOnlyList<FixtureCase> Cases { get; init; }

    public override string ToString() => Name;

    public ILstm CreateModel()
    {
        ILstm model = Models.Create(InputSize, HiddenSize, SequenceLength);
        model.ImportPyTorch(WeightIh, WeightHh, BiasIh, BiasHh);
        return model;
    }

    public static IReadOnlyList<string> Names { get; } = FixtureFiles.Names("lstm_*.json");

    public static Fixture Load(string name) => FixtureFiles.Load(name, Parse);

    private static Fixture Parse(string name, JsonElement root)
    {
        return new Fixture
        {
            Name = name,
            InputSize = root.GetProperty("input_size").GetInt32(),
            HiddenSize = root.GetProperty("hidden_size").GetInt32(),
            SequenceLength = root.GetProperty("sequence_length").GetInt32(),
            WeightIh = Floats(root, "weight_ih"),
            WeightHh = Floats(root, "weight_hh"),
            BiasIh = Floats(root, "bias_ih"),
            BiasHh = Floats(root, "bias_hh"),
            Cases = root.GetProperty("cases").EnumerateArray().Select(c => new FixtureCase
            {
                Steps = c.GetProperty("steps").GetInt32(),
                Input = Floats(c, "input"),
                H0 = Floats(c, "h0"),
                C0 = Floats(c, "c0"),
                Output = Doubles(c, "output"),
                HN = Doubles(c, "h_n"),
                CN = Doubles(c, "c_n"),
                GradOutput = Floats(c, "grad_output"),
                GradHN = Floats(c, "grad_h_n"),
                GradCN = Floats(c, "grad_c_n"),
                GradInput = Doubles(c, "grad_input"),
                GradH0 = Doubles(c, "grad_h0"),
                GradC0 = Doubles(c, "grad_c0"),
                GradWeightIh = Doubles(c, "grad_weight_ih"),
                GradWeightHh = Doubles(c, "grad_weight_hh"),
                GradBiasIh = Doubles(c, "grad_bias_ih"),
                GradBiasHh = Doubles(c, "grad_bias_hh"),
            }).ToArray(),
        };
    }

}

/// <summary>One input sequence with PyTorch's float64 outputs and gradients.</summary>
public sealed class FixtureCase
{
    public required int Steps { get; init; }
    public required float[] Input { get; init; }
    public required float[] H0 { get; init; }
    public required float[] C0 { get; init; }
    public required double[] Output { get; init; }
    public required double[] HN { get; init; }
    public required double[] CN { get; init; }
    public required float[] GradOutput { get; init; }
    public required float[] GradHN { get; init; }
    public required float[] GradCN { get; init; }
    public required double[] GradInput { get; init; }
    public required double[] GradH0 { get; init; }
    public required double[] GradC0 { get; init; }
    public required double[] GradWeightIh { get; init; }
    public required double[] GradWeightHh { get; init; }
    public required double[] GradBiasIh { get; init; }
    public required double[] GradBiasHh { get; init; }
}

/// <summary>Comparisons with informative failure messages.</summary>
/// <remarks>
/// A NaN or ±∞ in <c>actual</c>, or a non-finite error (a non-finite reference), fails at once with its index:
/// a "largest error so far" would otherwise lose it, because no comparison with NaN is true.
/// </remarks>
public static class Compare
{
    /// <summary>
    /// Asserts |actual − expected| ≤ relative · max(1, |expected|) element-wise (the forward criterion),
    /// and returns the largest scaled error seen.
    /// </summary>
    public static double ElementWise(string what, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double relative)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            FailIfNotFinite(what, i, actual[i], expected[i], error);
            if (error > worst)
            {
                worst = error;
                worstIndex = i;
            }
        }

        if (worst > relative)
        {
            throw new Xunit.Sdk.XunitException(
                $"{what}: element {worstIndex} is {actual[worstIndex]:R}, the reference says {expected[worstIndex]:R}; " +
                $"scaled error {worst:E3} exceeds {relative:E1}.");
        }

        return worst;
    }

    /// <summary>
    /// Asserts max |actual − expected| ≤ relative · max(1, max |expected|) over the whole tensor (the issue's
    /// gradient criterion), and returns the scaled error.
    /// </summary>
    public static double PerTensor(string what, ReadOnlySpan<float> actual, ReadOnlySpan<double> expected, double relative)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        double maxReference = 1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            FailIfNotFinite(what, i, actual[i], expected[i], error);
            maxReference = Math.Max(maxReference, Math.Abs(expected[i]));
        }

        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (error > worst)
            {
                worst = error;
                worstIndex = i;
            }
        }

        double scaled = worst / maxReference;
        if (scaled > relative)
        {
            throw new Xunit.Sdk.XunitException(
                $"{what}: element {worstIndex} is {actual[worstIndex]:R}, the reference says {expected[worstIndex]:R}; " +
                $"error {worst:E3} / max(1, max|ref|) = {scaled:E3} exceeds {relative:E1}.");
        }

        return scaled;
    }

    private static void FailIfNotFinite(string what, int index, float actual, double expected, double error)
    {
        if (!double.IsFinite(error))
        {
            throw new Xunit.Sdk.XunitException(
                $"{what}: element {index} is {actual:R}, the reference says {expected:R}; the error is not finite.");
        }
    }
}
