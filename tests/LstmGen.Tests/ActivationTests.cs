using System.Runtime.Intrinsics;
using LstmGen.Kernels;
using Xunit;

namespace LstmGen.Tests;

/// <summary>
/// The vectorized tanh and sigmoid against double-precision references, at every vector width (the
/// vector overloads run in software when their width is not accelerated, so every ISA run covers them).
/// </summary>
[Trait("Category", "Numeric")]
public sealed class ActivationTests
{
    private static readonly float[] Grid = BuildGrid();

    private static float[] BuildGrid()
    {
        var values = new List<float>();
        for (double x = -20; x <= 20; x += 1.0 / 512)
        {
            values.Add((float)x);
        }

        // Near zero, where relative accuracy matters.
        for (double x = 1e-8; x < 0.05; x *= 1.05)
        {
            values.Add((float)x);
            values.Add((float)-x);
        }

        values.AddRange(new[] { 0f, -0f, float.Epsilon, 100f, -100f, 1e30f, -1e30f, float.MaxValue, float.MinValue, Activation.TanhClampFused, -Activation.TanhClampFused, Activation.TanhClampUnfused, -Activation.TanhClampUnfused });
        while (values.Count % 16 != 0)
        {
            values.Add(0.5f);
        }

        return values.ToArray();
    }

    public static TheoryData<int> Widths => new() { 1, 4, 8, 16 };

    private static float[] Apply(int width, bool sigmoid, float[] input)
    {
        float[] result = new float[input.Length];
        for (int i = 0; i < input.Length; i += width)
        {
            switch (width)
            {
                case 1:
                    result[i] = sigmoid ? Activation.Sigmoid(input[i]) : Activation.Tanh(input[i]);
                    break;
                case 4:
                    var v4 = Vector128.Create(input, i);
                    (sigmoid ? Activation.Sigmoid(v4) : Activation.Tanh(v4)).CopyTo(result, i);
                    break;
                case 8:
                    var v8 = Vector256.Create(input, i);
                    (sigmoid ? Activation.Sigmoid(v8) : Activation.Tanh(v8)).CopyTo(result, i);
                    break;
                default:
                    var v16 = Vector512.Create(input, i);
                    (sigmoid ? Activation.Sigmoid(v16) : Activation.Tanh(v16)).CopyTo(result, i);
                    break;
            }
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Tanh_is_within_5e_7_absolute_and_relative_near_zero(int width)
    {
        float[] y = Apply(width, sigmoid: false, Grid);
        double worstAbsolute = 0, worstRelative = 0;
        for (int i = 0; i < Grid.Length; i++)
        {
            double reference = Math.Tanh(Grid[i]);
            double error = Math.Abs(y[i] - reference);
            worstAbsolute = Math.Max(worstAbsolute, error);
            // Relative accuracy is promised for normal floats; below ~1e-36 the numerator's first product is subnormal.
            if (Math.Abs(Grid[i]) >= 1e-30)
            {
                worstRelative = Math.Max(worstRelative, error / Math.Abs(reference));
            }

            Assert.InRange(y[i], -1f, 1f);
        }

        Assert.True(worstAbsolute < 5e-7, $"max |tanh error| = {worstAbsolute:E3}");
        Assert.True(worstRelative < 5e-7, $"max relative tanh error = {worstRelative:E3}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Sigmoid_is_within_5e_7_absolute_and_stays_in_0_1(int width)
    {
        float[] y = Apply(width, sigmoid: true, Grid);
        double worst = 0;
        for (int i = 0; i < Grid.Length; i++)
        {
            double reference = 1.0 / (1.0 + Math.Exp(-(double)Grid[i]));
            worst = Math.Max(worst, Math.Abs(y[i] - reference));
            Assert.InRange(y[i], 0f, 1f);
        }

        Assert.True(worst < 5e-7, $"max |sigmoid error| = {worst:E3}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Sigmoid_is_bitwise_one_half_plus_one_half_tanh_of_half_x(int width)
    {
        // The sigmoid's constants are the tanh constants scaled by powers of two: the same floats must come out.
        float[] halves = Grid.Select(x => x * 0.5f).ToArray();
        float[] tanh = Apply(width, sigmoid: false, halves);
        float[] sigmoid = Apply(width, sigmoid: true, Grid);
        for (int i = 0; i < Grid.Length; i++)
        {
            if (float.IsNaN(Grid[i]) || float.IsInfinity(Grid[i]) || Math.Abs(Grid[i]) > 1e30f)
            {
                continue;
            }

            float expected = tanh[i] * 0.5f + 0.5f;
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(sigmoid[i]),
                $"x = {Grid[i]:R}: σ = {sigmoid[i]:R}, ½ + ½·tanh(x/2) = {expected:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Special_values_give_limits_and_NaN_propagates(int width)
    {
        float[] input = new float[16];
        float[] specials = { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 100f, -100f, -0f, 0f, float.NaN };
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = specials[i % specials.Length];
        }

        float[] tanh = Apply(width, sigmoid: false, input);
        float[] sigmoid = Apply(width, sigmoid: true, input);
        for (int i = 0; i < input.Length; i++)
        {
            float x = input[i];
            if (float.IsNaN(x))
            {
                Assert.True(float.IsNaN(tanh[i]), "tanh(NaN) must be NaN");
                Assert.True(float.IsNaN(sigmoid[i]), "σ(NaN) must be NaN");
            }
            else if (x > 50)
            {
                Assert.Equal(1f, tanh[i]);
                Assert.Equal(1f, sigmoid[i]);
            }
            else if (x < -50)
            {
                Assert.Equal(-1f, tanh[i]);
                Assert.Equal(0f, sigmoid[i]);
            }
            else
            {
                // ±0: tanh keeps the sign of zero, σ(0) = ½ exactly.
                Assert.Equal(BitConverter.SingleToInt32Bits(x), BitConverter.SingleToInt32Bits(tanh[i]));
                Assert.Equal(0.5f, sigmoid[i]);
            }
        }
    }
}
