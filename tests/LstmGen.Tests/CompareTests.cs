using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// The comparators every numeric test relies on: a planted non-finite value anywhere fails with its index, and
/// the tolerance is a sharp boundary (an error just above it fails, just below it passes).
/// </summary>
public sealed class CompareTests
{
    private const int Length = 9;

    public static TheoryData<int, float> NonFinitePlants()
    {
        var data = new TheoryData<int, float>();
        foreach (int index in new[] { 0, Length / 2, Length - 1 })
        {
            data.Add(index, float.NaN);
            data.Add(index, float.PositiveInfinity);
            data.Add(index, float.NegativeInfinity);
        }

        return data;
    }

    // Exact agreement everywhere except the planted element; values around 1 with one large reference (8).
    private static (float[] Actual, double[] Expected) Agreeing()
    {
        float[] actual = Enumerable.Range(0, Length).Select(n => 0.25f * n - 1f).ToArray();
        actual[Length / 2 + 1] = 8f;
        return (actual, actual.Select(v => (double)v).ToArray());
    }

    [Fact]
    public void Exact_agreement_passes_with_zero_error()
    {
        (float[] actual, double[] expected) = Agreeing();
        Assert.Equal(0, Compare.ElementWise("t", actual, expected, 1e-5));
        Assert.Equal(0, Compare.PerTensor("t", actual, expected, 1e-4));
    }

    [Theory]
    [MemberData(nameof(NonFinitePlants))]
    public void ElementWise_fails_on_a_non_finite_actual_value_and_names_its_index(int index, float planted)
    {
        (float[] actual, double[] expected) = Agreeing();
        actual[index] = planted;
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.ElementWise("t", actual, expected, 1e-5));
        Assert.Contains($"element {index} ", failure.Message);
    }

    [Theory]
    [MemberData(nameof(NonFinitePlants))]
    public void PerTensor_fails_on_a_non_finite_actual_value_and_names_its_index(int index, float planted)
    {
        (float[] actual, double[] expected) = Agreeing();
        actual[index] = planted;
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.PerTensor("t", actual, expected, 1e-4));
        Assert.Contains($"element {index} ", failure.Message);
    }

    [Theory]
    [MemberData(nameof(NonFinitePlants))]
    public void Both_fail_on_a_non_finite_reference_value(int index, float planted)
    {
        (float[] actual, double[] expected) = Agreeing();
        expected[index] = planted;
        Assert.Contains($"element {index} ", Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.ElementWise("t", actual, expected, 1e-5)).Message);
        Assert.Contains($"element {index} ", Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.PerTensor("t", actual, expected, 1e-4)).Message);
    }

    // ElementWise scales by max(1, |expected|): around 0.5 the bound is 1e-5 absolute, around 8 it is 8e-5.
    [Theory]
    [InlineData(0, 1.01, false)]
    [InlineData(0, 0.99, true)]
    [InlineData(5, 1.01, false)] // the element holding 8
    [InlineData(5, 0.99, true)]
    [InlineData(8, -1.01, false)]
    [InlineData(8, -0.99, true)]
    public void ElementWise_tolerance_is_sharp(int index, double multipleOfTolerance, bool passes)
    {
        const double Tolerance = 1e-5;
        (float[] actual, double[] expected) = Agreeing();
        expected[index] += multipleOfTolerance * Tolerance * Math.Max(1, Math.Abs(expected[index]));
        if (passes)
        {
            Assert.InRange(Compare.ElementWise("t", actual, expected, Tolerance), 0.98 * Tolerance, Tolerance);
        }
        else
        {
            var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.ElementWise("t", actual, expected, Tolerance));
            Assert.Contains($"element {index} ", failure.Message);
        }
    }

    // PerTensor scales by max(1, max |expected|) = 8 here, for every element alike.
    [Theory]
    [InlineData(0, 1.01, false)]
    [InlineData(0, 0.99, true)]
    [InlineData(8, -1.01, false)]
    [InlineData(8, -0.99, true)]
    public void PerTensor_tolerance_is_sharp(int index, double multipleOfTolerance, bool passes)
    {
        const double Tolerance = 1e-4;
        (float[] actual, double[] expected) = Agreeing();
        expected[index] += multipleOfTolerance * Tolerance * 8;
        if (passes)
        {
            Assert.InRange(Compare.PerTensor("t", actual, expected, Tolerance), 0.98 * Tolerance, Tolerance);
        }
        else
        {
            var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => Compare.PerTensor("t", actual, expected, Tolerance));
            Assert.Contains($"element {index} ", failure.Message);
        }
    }
}
