using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests.ModelFiles;

/// <summary>The PyTorch reference of one model-file fixture: float32 inputs and float64 outputs from the file's initial state.</summary>
public sealed record ModelReference(string File, int InputSize, int OutputSize, int Samples, float[] Input, double[] Output, int MaxHidden)
{
    private static readonly Dictionary<string, ModelReference> Cache = new();

    public static IEnumerable<object[]> Files() => CompiledModels.ByFile.Keys.OrderBy(k => k, System.StringComparer.Ordinal).Select(k => new object[] { k });

    public static ModelReference Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out ModelReference? reference))
            {
                string path = Path.Combine(System.AppContext.BaseDirectory, "fixtures", "models", file + ".reference.json");
                using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
                JsonElement root = document.RootElement;
                reference = new ModelReference(
                    file,
                    root.GetProperty("input_size").GetInt32(),
                    root.GetProperty("output_size").GetInt32(),
                    root.GetProperty("samples").GetInt32(),
                    root.GetProperty("input").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(),
                    root.GetProperty("output").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                    WidestLayer(file));
                Cache[file] = reference;
            }

            return reference;
        }
    }

    // The widest recurrent layer, from the file name (…_h40_…): it decides the tolerance.
    private static int WidestLayer(string file)
    {
        var sizes = System.Text.RegularExpressions.Regex.Matches(file, @"(?:_h|lstm|gru)(\d+)").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        return sizes.DefaultIfEmpty(0).Max();
    }

    /// <summary>The issue's bound: 1e-5 absolute up to H = 40, 1e-4 beyond.</summary>
    public double Tolerance => MaxHidden <= 40 ? 1e-5 : 1e-4;
}

/// <summary>
/// Model files compiled by <c>[RecurrentModel]</c> against PyTorch's float64 evaluation of the same float32 weights:
/// every output within 1e-5 (1e-4 for layers wider than 40), through both <c>Process</c> overloads, in blocks of any size.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class ModelFileParityTests
{
    private readonly ITestOutputHelper _output;

    public ModelFileParityTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [MemberData(nameof(ModelReference.Files), MemberType = typeof(ModelReference))]
    public void Process_matches_pytorch(string file)
    {
        ModelReference reference = ModelReference.Load(file);
        IRecurrentModel model = CompiledModels.ByFile[file]();
        Assert.Equal(reference.InputSize, model.InputSize);
        Assert.Equal(reference.OutputSize, model.OutputSize);
        float[] output = new float[reference.Samples * reference.OutputSize];
        model.Process(reference.Input, output);
        double worst = 0;
        for (int k = 0; k < output.Length; k++)
        {
            Assert.True(float.IsFinite(output[k]), $"output {k} is {output[k]}");
            double error = System.Math.Abs(output[k] - reference.Output[k]);
            worst = System.Math.Max(worst, error);
            Assert.True(error <= reference.Tolerance, $"{file}: output {k} is {output[k]:R}, PyTorch says {reference.Output[k]:R} (error {error:E2} > {reference.Tolerance:E0})");
        }

        _output.WriteLine($"{file} on {IsaInfo.Describe()}: worst absolute error {worst:E2} over {output.Length} outputs");
    }

    [Theory]
    [MemberData(nameof(ModelReference.Files), MemberType = typeof(ModelReference))]
    public void Blocks_of_1_7_and_64_samples_and_caller_state_give_identical_bits(string file)
    {
        ModelReference reference = ModelReference.Load(file);
        IRecurrentModel whole = CompiledModels.ByFile[file]();
        float[] expected = new float[reference.Samples * reference.OutputSize];
        whole.Process(reference.Input, expected);

        foreach (int block in new[] { 1, 7, 64 })
        {
            IRecurrentModel model = CompiledModels.ByFile[file]();
            float[] output = new float[expected.Length];
            for (int start = 0; start < reference.Samples; start += block)
            {
                int count = System.Math.Min(block, reference.Samples - start);
                model.Process(reference.Input.AsSpan(start * reference.InputSize, count * reference.InputSize), output.AsSpan(start * reference.OutputSize, count * reference.OutputSize));
            }

            Assert.Equal(expected, output);
        }

        // Caller-held state, started from Reset(state), gives the same outputs and leaves the instance's state alone.
        IRecurrentModel shared = CompiledModels.ByFile[file]();
        float[] state = new float[shared.StateLength];
        shared.Reset(state);
        float[] viaState = new float[expected.Length];
        shared.Process(reference.Input, viaState, state);
        Assert.Equal(expected, viaState);
        float[] fresh = new float[expected.Length];
        shared.Process(reference.Input, fresh);
        Assert.Equal(expected, fresh);
    }

    [Theory]
    [MemberData(nameof(ModelReference.Files), MemberType = typeof(ModelReference))]
    public void Reset_restores_the_initial_state(string file)
    {
        ModelReference reference = ModelReference.Load(file);
        IRecurrentModel model = CompiledModels.ByFile[file]();
        int n = System.Math.Min(300, reference.Samples);
        float[] first = new float[n * reference.OutputSize], again = new float[first.Length];
        model.Process(reference.Input.AsSpan(0, n * reference.InputSize), first);
        model.Reset();
        model.Process(reference.Input.AsSpan(0, n * reference.InputSize), again);
        Assert.Equal(first, again);
    }
}

/// <summary>Neural Amp Modeler files store a settled initial state: a zero input leaves it (almost) unchanged.</summary>
[Trait("Category", "Numeric")]
public sealed class NamInitialStateTests
{
    [Theory]
    [InlineData("nam_lstm_h16.nam")]
    [InlineData("nam_lstm_h8_l2.nam")]
    [InlineData("nam_lstm_h24.nam")]
    public void A_zero_input_step_from_the_stored_state_leaves_it_unchanged(string file)
    {
        IRecurrentModel model = CompiledModels.ByFile[file]();
        float[] state = new float[model.StateLength], before = new float[model.StateLength];
        model.Reset(state);
        state.CopyTo(before, 0);
        Assert.Contains(before, v => System.Math.Abs(v) > 0.05f); // the stored state is not zero
        model.Process(new float[model.InputSize], new float[model.OutputSize], state);
        for (int k = 0; k < state.Length; k++)
        {
            Assert.True(System.Math.Abs(state[k] - before[k]) < 2e-6, $"state {k} moved from {before[k]:R} to {state[k]:R}");
        }
    }
}

/// <summary>0 bytes allocated by Process and Reset after warm-up.</summary>
public sealed class ModelFileAllocationTests
{
    [Fact]
    public void Process_and_Reset_allocate_nothing()
    {
        var models = CompiledModels.ByFile.Values.Select(create => create()).ToArray();
        var inputs = models.Select(m => new float[64 * m.InputSize]).ToArray();
        var outputs = models.Select(m => new float[64 * m.OutputSize]).ToArray();
        var states = models.Select(m => new float[m.StateLength]).ToArray();
        var amp = new Model_agam_lstm_i1_h40_skip1_trained();
        float sink = amp.Process(0.5f);
        for (int m = 0; m < models.Length; m++)
        {
            models[m].Process(inputs[m], outputs[m]);
            models[m].Process(inputs[m], outputs[m], states[m]);
            models[m].Reset();
            models[m].Reset(states[m]);
        }

        Assert.Equal(0, Allocations.Measure(() =>
        {
            for (int m = 0; m < models.Length; m++)
            {
                models[m].Process(inputs[m], outputs[m]);
                models[m].Process(inputs[m], outputs[m], states[m]);
                models[m].Reset();
                models[m].Reset(states[m]);
            }

            for (int k = 0; k < 100; k++)
            {
                sink += amp.Process(k * 0.01f);
            }
        }));
        Assert.True(float.IsFinite(sink));
    }

    [Fact]
    public void Process_of_one_float_equals_the_span_overload()
    {
        ModelReference reference = ModelReference.Load("agam_lstm_i1_h40_skip1_trained.json");
        var a = new Model_agam_lstm_i1_h40_skip1_trained();
        var b = new Model_agam_lstm_i1_h40_skip1_trained();
        float[] expected = new float[reference.Samples];
        a.Process(reference.Input, expected);
        for (int k = 0; k < reference.Samples; k++)
        {
            Assert.Equal(expected[k], b.Process(reference.Input[k]));
        }
    }
}
