using System.Text.Json;
using LstmGen.Training;
using Xunit;
using static LstmGen.Tests.FixtureFiles;

namespace LstmGen.Tests;

/// <summary>Optimizers, clipping, loss and the Linear layer: hand-computed values and PyTorch fixtures.</summary>
public sealed class TrainingTests
{
    private static readonly JsonElement Fixture = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "training.json"))).RootElement;

    [Fact]
    public void Adam_follows_a_hand_computed_trajectory()
    {
        // p0 = 1, lr = 0.1, β = (0.9, 0.999), ε = 1e-8, gradients 0.5, −0.25, 0.125.
        // t=1: m = 0.05, v = 0.00025; m̂ = 0.5, √v̂ = 0.5 → p = 1 − 0.1·0.5/0.5 = 0.9 (Adam's first step is lr·sign g)
        // t=2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225;
        //      p = 0.9 − (0.1/0.19)·0.02 / (√0.00031225/√0.001999) = 0.9 − 0.0266337 = 0.8733663
        // t=3: m = 0.018 + 0.0125 = 0.0305, v = 0.00031193775 + 0.000015625 = 0.00032756275;
        //      p = 0.8733663 − (0.1/0.271)·0.0305 / (√0.00032756275/√0.002997001) = 0.8393234
        var adam = new Adam(1, learningRate: 0.1f);
        float[] p = { 1f };
        float[] expected = { 0.9f, 0.8733663f, 0.8393234f };
        float[] gradients = { 0.5f, -0.25f, 0.125f };
        for (int t = 0; t < 3; t++)
        {
            adam.Step(p, new[] { gradients[t] });
            Assert.Equal(expected[t], p[0], 1e-6f);
        }

        Assert.Equal(3, adam.StepCount);
    }

    [Fact]
    public void Sgd_with_momentum_follows_a_hand_computed_trajectory()
    {
        // p0 = 1, lr = 0.1, μ = 0.9, constant gradient 1: b = 1, 1.9, 2.71 → p = 0.9, 0.71, 0.439.
        var sgd = new Sgd(1, learningRate: 0.1f, momentum: 0.9f);
        float[] p = { 1f };
        foreach (float expected in new[] { 0.9f, 0.71f, 0.439f })
        {
            sgd.Step(p, new[] { 1f });
            Assert.Equal(expected, p[0], 1e-6f);
        }

        // Weight decay adds λ·p to the gradient: p = 2, λ = 0.5, g = 0 → d = 1 → p = 2 − 0.1·1 = 1.9.
        var decayed = new Sgd(1, learningRate: 0.1f, weightDecay: 0.5f);
        float[] q = { 2f };
        decayed.Step(q, new[] { 0f });
        Assert.Equal(1.9f, q[0], 1e-6f);
    }

    [Theory]
    [InlineData("adam_default")]
    [InlineData("adam_lr0.01_wd0.01")]
    [InlineData("adam_lr0.05_b0.8_0.99_eps1e-6")]
    [InlineData("sgd_lr0.05")]
    [InlineData("sgd_lr0.1_m0.9_wd0.01")]
    public void Optimizers_match_torch_optim_for_six_steps(string name)
    {
        float[] p = Floats(Fixture.GetProperty("initial"));
        float[][] gradients = Fixture.GetProperty("gradients").EnumerateArray().Select(Floats).ToArray();
        float[][] expected = Fixture.GetProperty("trajectories").GetProperty(name).EnumerateArray().Select(Floats).ToArray();
        Adam? adam = name switch
        {
            "adam_default" => new Adam(p.Length),
            "adam_lr0.01_wd0.01" => new Adam(p.Length, learningRate: 0.01f, weightDecay: 0.01f),
            "adam_lr0.05_b0.8_0.99_eps1e-6" => new Adam(p.Length, learningRate: 0.05f, beta1: 0.8f, beta2: 0.99f, epsilon: 1e-6f),
            _ => null,
        };
        Sgd? sgd = name switch
        {
            "sgd_lr0.05" => new Sgd(p.Length, learningRate: 0.05f),
            "sgd_lr0.1_m0.9_wd0.01" => new Sgd(p.Length, learningRate: 0.1f, momentum: 0.9f, weightDecay: 0.01f),
            _ => null,
        };
        void step(float[] parameters, float[] gradient)
        {
            adam?.Step(parameters, gradient);
            sgd?.Step(parameters, gradient);
        }

        for (int t = 0; t < gradients.Length; t++)
        {
            step(p, gradients[t]);
            for (int i = 0; i < p.Length; i++)
            {
                // Both sides compute in float32; the bound allows a few ulps of different operation order.
                Assert.True(Math.Abs(p[i] - expected[t][i]) <= 2e-6 * Math.Max(1, Math.Abs(expected[t][i])),
                    $"{name} step {t + 1}, parameter {i}: {p[i]:R} vs torch {expected[t][i]:R}");
            }
        }
    }

    [Fact]
    public void Linear_matches_torch_nn_Linear_forward_and_backward()
    {
        JsonElement l = Fixture.GetProperty("linear");
        var layer = new Linear(5, 3);
        layer.ImportPyTorch(Floats(l.GetProperty("weight")), Floats(l.GetProperty("bias")));
        float[] input = Floats(l.GetProperty("input"));
        var output = new float[3];
        layer.Forward(input, output);
        Compare.ElementWise("output", output, Doubles(l.GetProperty("output")), 1e-6);

        var inputGradient = new float[5];
        layer.Backward(input, Floats(l.GetProperty("grad_output")), inputGradient);
        Compare.ElementWise("∂L/∂input", inputGradient, Doubles(l.GetProperty("grad_input")), 1e-6);
        Compare.ElementWise("∂L/∂W", layer.Gradients[..15], Doubles(l.GetProperty("grad_weight")), 1e-6);
        Compare.ElementWise("∂L/∂b", layer.Gradients[15..], Doubles(l.GetProperty("grad_bias")), 1e-6);

        // Accumulates like the LSTM, and exports what it imported.
        layer.Backward(input, Floats(l.GetProperty("grad_output")), inputGradient);
        Compare.ElementWise("2·∂L/∂b", layer.Gradients[15..], Doubles(l.GetProperty("grad_bias")).Select(v => 2 * v).ToArray(), 1e-6);
        var weight = new float[15];
        var bias = new float[3];
        layer.ExportPyTorch(weight, bias);
        Assert.Equal(Floats(l.GetProperty("weight")), weight);
        Assert.Equal(Floats(l.GetProperty("bias")), bias);
        layer.ZeroGradients();
        Assert.All(layer.Gradients.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void ClipByGlobalNorm_scales_to_the_max_norm_and_returns_the_norm_before()
    {
        float[] g = { 3f, 4f }; // norm 5
        float norm = GradientClipping.ClipByGlobalNorm(g, maxNorm: 1f);
        Assert.Equal(5f, norm);
        // PyTorch scales by max_norm / (norm + 1e-6).
        Assert.Equal(3f / (5f + 1e-6f), g[0], 1e-7f);
        Assert.Equal(4f / (5f + 1e-6f), g[1], 1e-7f);

        float[] small = { 0.3f, 0.4f };
        Assert.Equal(0.5f, GradientClipping.ClipByGlobalNorm(small, 1f), 1e-7f);
        Assert.Equal(new[] { 0.3f, 0.4f }, small);

        // The joint norm of several spans: √(3² + 4² + 12²) = 13.
        float[] a = { 3f }, b = { 4f }, c = { 12f };
        Assert.Equal(13f, GradientClipping.ClipByGlobalNorm(a, b, c, 1.3f), 1e-5f);
        Assert.Equal(0.3f, a[0], 1e-6f);
        Assert.Equal(0.4f, b[0], 1e-6f);
        Assert.Equal(1.2f, c[0], 1e-6f);

        float[] d = { 6f }, e = { 8f };
        Assert.Equal(10f, GradientClipping.ClipByGlobalNorm(d, e, 5f), 1e-5f);
        Assert.Equal(3f, d[0], 1e-5f);
        Memory<float>[] buffers = { new float[] { 6f }, new float[] { 8f } };
        Assert.Equal(10f, GradientClipping.ClipByGlobalNorm(buffers, 5f), 1e-5f);
        Assert.Equal(4f, buffers[1].Span[0], 1e-5f);
    }

    [Fact]
    public void ClipByValue_clamps_and_keeps_NaN()
    {
        float[] g = { -3f, -0.5f, 0f, 0.5f, 3f, float.NaN };
        GradientClipping.ClipByValue(g, 1f);
        Assert.Equal(new[] { -1f, -0.5f, 0f, 0.5f, 1f }, g[..5]);
        Assert.True(float.IsNaN(g[5]));
    }

    [Fact]
    public void MeanSquaredError_returns_the_mean_and_writes_2_d_over_n()
    {
        var gradient = new float[2];
        float loss = Losses.MeanSquaredError(new[] { 1f, 3f }, new[] { 0f, 1f }, gradient);
        Assert.Equal(2.5f, loss); // (1 + 4) / 2
        Assert.Equal(new[] { 1f, 2f }, gradient); // 2·(1, 2)/2
    }

    [Fact]
    public void Bad_arguments_throw_ArgumentException_naming_them()
    {
        Assert.Equal("maxNorm", Assert.Throws<ArgumentException>(() => GradientClipping.ClipByGlobalNorm(new float[1], float.NaN)).ParamName);
        Assert.Equal("maxNorm", Assert.Throws<ArgumentException>(() => GradientClipping.ClipByGlobalNorm(new float[1], 0f)).ParamName);
        Assert.Equal("clipValue", Assert.Throws<ArgumentException>(() => GradientClipping.ClipByValue(new float[1], -1f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => new Adam(3, learningRate: 0f)).ParamName);
        Assert.Equal("learningRate", Assert.Throws<ArgumentException>(() => new Sgd(3, learningRate: -0.1f)).ParamName);
        Assert.Equal("beta2", Assert.Throws<ArgumentException>(() => new Adam(3, beta2: 1f)).ParamName);
        Assert.Equal("momentum", Assert.Throws<ArgumentException>(() => new Sgd(3, 0.1f, momentum: float.NaN)).ParamName);
        Assert.Equal("gradients", Assert.Throws<ArgumentException>(() => new Adam(3).Step(new float[3], new float[2])).ParamName);
        Assert.Equal("parameters", Assert.Throws<ArgumentException>(() => new Sgd(3, 0.1f).Step(new float[4], new float[3])).ParamName);
        Assert.Equal("target", Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(new float[2], new float[3], new float[2])).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError(new float[2], new float[2], new float[1])).ParamName);
        Assert.Equal("input", Assert.Throws<ArgumentException>(() => new Linear(5, 3).Forward(new float[4], new float[3])).ParamName);
        Assert.Equal("outputSize", Assert.Throws<ArgumentException>(() => new Linear(5, 0)).ParamName);
    }

    [Fact]
    public void Training_helpers_allocate_nothing_per_step()
    {
        var adam = new Adam(1000);
        var sgd = new Sgd(1000, 0.01f, momentum: 0.9f);
        var linear = new Linear(64, 4);
        float[] p = new float[1000], g = Enumerable.Range(0, 1000).Select(i => i * 1e-3f).ToArray();
        float[] x = new float[64], y = new float[4], dy = new float[4], dx = new float[64];
        void Work()
        {
            adam.Step(p, g);
            sgd.Step(p, g);
            GradientClipping.ClipByGlobalNorm(g, p, 1f);
            GradientClipping.ClipByValue(g, 1f);
            Losses.MeanSquaredError(y, dy, dx.AsSpan(0, 4));
            linear.Forward(x, y);
            linear.Backward(x, dy, dx);
        }

        for (int i = 0; i < 200; i++)
        {
            Work();
        }

        Assert.Equal(0, Allocations.Measure(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                Work();
            }
        }));
    }
}
