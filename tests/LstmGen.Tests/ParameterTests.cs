using System.Text.Json;
using Xunit;

namespace LstmGen.Tests;

public sealed class ParameterTests
{
    [Theory]
    [MemberData(nameof(ForwardParityTests.Cases), MemberType = typeof(ForwardParityTests))]
    public void ExportPyTorch_of_ImportPyTorch_is_bit_exact(string fixtureName, int caseIndex)
    {
        _ = caseIndex;
        Fixture f = Fixture.Load(fixtureName);
        ILstm model = f.CreateModel();
        float[] wih = new float[f.WeightIh.Length], whh = new float[f.WeightHh.Length], bih = new float[f.BiasIh.Length], bhh = new float[f.BiasHh.Length];
        model.ExportPyTorch(wih, whh, bih, bhh);
        Assert.Equal(Bits(f.WeightIh), Bits(wih));
        Assert.Equal(Bits(f.WeightHh), Bits(whh));
        Assert.Equal(Bits(f.BiasIh), Bits(bih));
        Assert.Equal(Bits(f.BiasHh), Bits(bhh));
    }

    [Fact]
    public void Import_places_weights_in_the_documented_transposed_layout()
    {
        // I = 3, H = 5: PyTorch's weight_ih[r, k] must land at Parameters[k·4H + r], and so on.
        var model = new Lstm_I3_H5_T7();
        const int I = 3, H = 5, G = 4 * H;
        float[] wih = Enumerable.Range(0, G * I).Select(v => (float)v).ToArray();
        float[] whh = Enumerable.Range(0, G * H).Select(v => 1000f + v).ToArray();
        float[] bih = Enumerable.Range(0, G).Select(v => 5000f + v).ToArray();
        float[] bhh = Enumerable.Range(0, G).Select(v => 6000f + v).ToArray();
        model.ImportPyTorch(wih, whh, bih, bhh);
        Span<float> p = model.Parameters;
        Assert.Equal(Lstm_I3_H5_T7.ParameterCount, p.Length);
        Assert.Equal(4 * H * I + 4 * H * H + 8 * H, Lstm_I3_H5_T7.ParameterCount);
        for (int r = 0; r < G; r++)
        {
            for (int k = 0; k < I; k++)
            {
                Assert.Equal(wih[r * I + k], p[k * G + r]);
            }

            for (int j = 0; j < H; j++)
            {
                Assert.Equal(whh[r * H + j], p[G * I + j * G + r]);
            }

            Assert.Equal(bih[r], p[G * (I + H) + r]);
            Assert.Equal(bhh[r], p[G * (I + H + 1) + r]);
        }
    }

    [Fact]
    public void A_new_instance_holds_zeros_and_its_forward_is_the_zero_weight_lstm()
    {
        var model = new Lstm_I16_H64_T8();
        Assert.All(model.Parameters.ToArray(), v => Assert.Equal(0f, v));

        // All-zero weights: every gate pre-activation is 0, so i = f = o = ½, g = 0: c' = ½c, h' = ½·tanh(½c).
        float[] hidden = new float[64], cell = Enumerable.Range(0, 64).Select(v => (v - 32) / 8f).ToArray();
        float[] expectedCell = cell.Select(c => 0.5f * c).ToArray();
        model.Step(new float[16], hidden, cell);
        for (int j = 0; j < 64; j++)
        {
            Assert.Equal(expectedCell[j], cell[j]);
            Assert.Equal(0.5 * Math.Tanh(expectedCell[j]), hidden[j], 1e-6);
        }
    }

    [Fact]
    public void InitializeParameters_is_uniform_in_plus_minus_one_over_sqrt_H_and_deterministic()
    {
        var a = new Lstm_I16_H64_T8();
        var b = new Lstm_I16_H64_T8();
        var c = new Lstm_I16_H64_T8();
        a.InitializeParameters(seed: 42);
        b.InitializeParameters(seed: 42);
        c.InitializeParameters(seed: 43);

        float bound = 1f / MathF.Sqrt(64);
        float[] values = a.Parameters.ToArray();
        Assert.Equal(Bits(values), Bits(b.Parameters.ToArray()));
        Assert.NotEqual(Bits(values), Bits(c.Parameters.ToArray()));
        Assert.All(values, v => Assert.InRange(v, -bound, bound));

        // A uniform distribution on [-b, b]: mean 0, variance b²/3, and both ends reached.
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (v - mean) * (v - mean));
        double standardError = bound / Math.Sqrt(3 * values.Length);
        Assert.InRange(mean, -5 * standardError, 5 * standardError);
        Assert.InRange(variance, bound * bound / 3 * 0.95, bound * bound / 3 * 1.05);
        Assert.True(values.Min() < -0.99f * bound && values.Max() > 0.99f * bound);
    }

    public static TheoryData<int> InitializerCases() => new(Enumerable.Range(0, InitializerFixture().GetArrayLength()));

    /// <summary>
    /// Known answers from <c>tests/fixtures/make_initializer_fixture.py</c>, an independent Python implementation
    /// of the generator (SplitMix64-seeded xoshiro128**, 24 bits, ±1/√H) consuming its stream in PyTorch tensor
    /// order. Compared through <c>ExportPyTorch</c>, so the values do not depend on the generated layout: the first
    /// and last values of each tensor bit for bit, and the float64 sum of every element in row-major order.
    /// </summary>
    [Theory]
    [MemberData(nameof(InitializerCases))]
    public void InitializeParameters_matches_the_python_known_answers(int caseIndex)
    {
        JsonElement c = InitializerFixture()[caseIndex];
        int i = c.GetProperty("input_size").GetInt32(), h = c.GetProperty("hidden_size").GetInt32(), seed = c.GetProperty("seed").GetInt32();
        ILstm model = (i, h) switch
        {
            (3, 5) => new Lstm_I3_H5_T7(),
            (7, 33) => new Lstm_I7_H33_T9(),
            (1, 1) => new Lstm_I1_H1_T4(),
            _ => throw new ArgumentException($"No generated model for I={i}, H={h}."),
        };
        model.InitializeParameters(seed);
        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        model.ExportPyTorch(wih, whh, bih, bhh);

        foreach ((string name, float[] actual) in new[] { ("weight_ih", wih), ("weight_hh", whh), ("bias_ih", bih), ("bias_hh", bhh) })
        {
            JsonElement expected = c.GetProperty(name);
            string what = $"{name} of I={i}, H={h}, seed {seed}";
            Assert.Equal(expected.GetProperty("length").GetInt32(), actual.Length);
            float[] first = expected.GetProperty("first").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            float[] last = expected.GetProperty("last").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
            Assert.True(Bits(first).SequenceEqual(Bits(actual[..first.Length])), $"{what}: first values {string.Join(", ", actual[..first.Length])}, Python says {string.Join(", ", first)}");
            Assert.True(Bits(last).SequenceEqual(Bits(actual[^last.Length..])), $"{what}: last values {string.Join(", ", actual[^last.Length..])}, Python says {string.Join(", ", last)}");

            double sum = 0;
            foreach (float v in actual)
            {
                sum += v;
            }

            Assert.True(sum == expected.GetProperty("sum").GetDouble(), $"{what}: sum {sum:R}, Python says {expected.GetProperty("sum").GetDouble():R}");
        }
    }

    private static JsonElement InitializerFixture()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "initializer.json")));
        return document.RootElement.GetProperty("cases").Clone();
    }

    [Fact]
    public void Parameters_are_64_byte_aligned()
    {
        var model = new Lstm_I8_H128_T5();
        unsafe
        {
            fixed (float* p = model.Parameters)
            {
                Assert.Equal(0, (long)p % 64);
            }
        }
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
