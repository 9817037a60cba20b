using Xunit;

namespace LstmGen.Tests.Gru;

/// <summary>
/// Finite differences (float64 central differences on a double-precision copy of the model, ε = 1e-6, which is exact
/// to about 1e-9) against the generated float32 gradients: any error above float32 accuracy (1e-4 scaled) shows.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class GruFiniteDifferenceTests
{
    private const double Epsilon = 1e-6;
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(7, 33, 9)]
    [InlineData(20, 12, 5)]
    public void Parameter_and_input_gradients_match_central_differences(int inputSize, int hiddenSize, int steps)
    {
        IGru model = GruModels.Create(inputSize, hiddenSize, steps);
        model.InitializeParameters(seed: 1000 * inputSize + hiddenSize);
        var random = new Random(5);
        float[] Random(int n, double scale) => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray();
        float[] input = Random(steps * inputSize, 1.5), h0 = Random(hiddenSize, 0.5), dy = Random(steps * hiddenSize, 1), dh = Random(hiddenSize, 1);

        var dx = new float[input.Length];
        var dh0 = new float[hiddenSize];
        model.ZeroGradients();
        model.Backward(input, h0, dy, dh, dx, dh0);
        int g = 3 * hiddenSize;
        float[] wih = new float[g * inputSize], whh = new float[g * hiddenSize], bih = new float[g], bhh = new float[g];
        model.ExportGradientsPyTorch(wih, whh, bih, bhh);

        ReferenceGru reference = ReferenceGru.From(model);
        double[] x = input.Select(v => (double)v).ToArray(), h = h0.Select(v => (double)v).ToArray();
        double[] dyD = dy.Select(v => (double)v).ToArray(), dhD = dh.Select(v => (double)v).ToArray();
        double Derivative(double[] values, int index)
        {
            double saved = values[index];
            values[index] = saved + Epsilon;
            double plus = reference.Loss(x, h, dyD, dhD);
            values[index] = saved - Epsilon;
            double minus = reference.Loss(x, h, dyD, dhD);
            values[index] = saved;
            return (plus - minus) / (2 * Epsilon);
        }

        Check("weight_ih", wih, reference.WeightIh, Derivative);
        Check("weight_hh", whh, reference.WeightHh, Derivative);
        Check("bias_ih", bih, reference.BiasIh, Derivative);
        Check("bias_hh", bhh, reference.BiasHh, Derivative);
        Check("input", dx, x, Derivative);
        Check("h0", dh0, h, Derivative);
    }

    private static void Check(string what, float[] analytic, double[] values, Func<double[], int, double> derivative)
    {
        double[] numeric = Enumerable.Range(0, values.Length).Select(k => derivative(values, k)).ToArray();
        Compare.PerTensor($"∂L/∂{what} vs central differences", analytic, numeric, Tolerance);
    }
}

/// <summary>0 bytes allocated by the GRU's hot calls after warm-up (the first Backward creates Gradients).</summary>
public sealed class GruAllocationTests
{
    [Fact]
    public void Step_Forward_and_Backward_allocate_nothing()
    {
        var model = new Gru_I16_H64_T8();
        model.InitializeParameters(3);
        float[] x = new float[8 * 16], y = new float[8 * 64], h = new float[64], dx = new float[8 * 16], dh0 = new float[64], tape = new float[Gru_I16_H64_T8.TapeLength];
        void Run()
        {
            model.Step(x.AsSpan(0, 16), h);
            model.Forward(x, y, h);
            model.Backward(x, h, y, h.AsSpan().ToArray(), dx, dh0);
        }

        // Warm-up: JIT, and the gradient buffer.
        model.Backward(x, new float[64], y, new float[64], dx, dh0);
        float[] zeros = new float[64];
        model.Step(x.AsSpan(0, 16), h);
        model.Forward(x, y, h);
        model.Forward(x, y, h, tape);
        model.BackwardFromTape(x, tape, y, zeros, dx, dh0);

        Assert.Equal(0, Allocations.Measure(() =>
        {
            for (int k = 0; k < 10; k++)
            {
                model.Step(x.AsSpan(0, 16), h);
                model.Forward(x, y, h);
                model.Backward(x, zeros, y, zeros, dx, dh0);
                model.Forward(x, y, h, tape);
                model.BackwardFromTape(x, tape, y, zeros, dx, dh0);
            }
        }));
        _ = (Action)Run;
    }
}
