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

    /// <summary>
    /// The documented panel layout, computed here from its description (not from the library): groups of
    /// <paramref name="atom"/> units (the last may be narrower), columns gate by gate within a group, 4 groups per panel;
    /// per panel W_ih's rows then W_hh's rows over the panel's columns; then b_ih and b_hh in column order.
    /// </summary>
    private static (int Ih, int Hh, int Column) Expected(int gates, int inputSize, int hiddenSize, int atom, int gate, int unit, int row)
    {
        const int groupsPerPanel = 4;
        int groups = (hiddenSize + atom - 1) / atom;
        int group = unit / atom;
        int width = group == groups - 1 ? hiddenSize - (groups - 1) * atom : atom;
        int panel = group / groupsPerPanel;
        int firstUnit = panel * groupsPerPanel * atom;
        int panelColumns = gates * (Math.Min(hiddenSize, firstUnit + groupsPerPanel * atom) - firstUnit);
        int panelStart = gates * firstUnit * (inputSize + hiddenSize);
        int inPanel = (group - panel * groupsPerPanel) * gates * atom + gate * width + unit % atom;
        return (panelStart + row * panelColumns + inPanel, panelStart + (inputSize + row) * panelColumns + inPanel, gates * firstUnit + inPanel);
    }

    [Theory]
    [InlineData(3, 5, 7, 4)]     // one panel; groups of 4 units and one of 1
    [InlineData(7, 33, 9, 16)]   // groups of 16, 16 and 1
    [InlineData(8, 128, 5, 16)]  // two full panels
    public void Import_places_weights_in_the_documented_panel_layout(int inputSize, int hiddenSize, int sequenceLength, int atom)
    {
        ILstm model = Models.Create(inputSize, hiddenSize, sequenceLength);
        int g = 4 * hiddenSize;
        float[] wih = Enumerable.Range(0, g * inputSize).Select(v => (float)v).ToArray();
        float[] whh = Enumerable.Range(0, g * hiddenSize).Select(v => 1e6f + v).ToArray();
        float[] bih = Enumerable.Range(0, g).Select(v => 2e6f + v).ToArray();
        float[] bhh = Enumerable.Range(0, g).Select(v => 3e6f + v).ToArray();
        model.ImportPyTorch(wih, whh, bih, bhh);
        Span<float> p = model.Parameters;
        Assert.Equal(4 * hiddenSize * inputSize + 4 * hiddenSize * hiddenSize + 8 * hiddenSize, p.Length);
        int biasIh = g * (inputSize + hiddenSize);
        for (int gate = 0; gate < 4; gate++)
        {
            for (int unit = 0; unit < hiddenSize; unit++)
            {
                int r = gate * hiddenSize + unit;
                for (int k = 0; k < inputSize; k++)
                {
                    Assert.Equal(wih[r * inputSize + k], p[Expected(4, inputSize, hiddenSize, atom, gate, unit, k).Ih]);
                }

                for (int j = 0; j < hiddenSize; j++)
                {
                    Assert.Equal(whh[r * hiddenSize + j], p[Expected(4, inputSize, hiddenSize, atom, gate, unit, j).Hh]);
                }

                int column = Expected(4, inputSize, hiddenSize, atom, gate, unit, 0).Column;
                Assert.Equal(bih[r], p[biasIh + column]);
                Assert.Equal(bhh[r], p[biasIh + g + column]);
            }
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
