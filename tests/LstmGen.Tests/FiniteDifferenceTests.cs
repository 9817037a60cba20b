using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests;

/// <summary>
/// The analytic gradients against central differences of the loss, independent of the PyTorch fixtures:
/// perturb a parameter or an input by ±1e-2 in float32, rerun Forward, and compare (L⁺ − L⁻)/2e-2 with what
/// Backward reported. Relative error ≤ 1e-2.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class FiniteDifferenceTests
{
    private const float Epsilon = 1e-2f;
    private readonly ITestOutputHelper _output;

    public FiniteDifferenceTests(ITestOutputHelper output) => _output = output;

    // L = Σ output ⊙ gy + Σ h_N ⊙ gh + Σ c_N ⊙ gc, accumulated in double.
    private static double Loss(ILstm model, float[] input, float[] h0, float[] c0, float[] gy, float[] gh, float[] gc)
    {
        var output = new float[gy.Length];
        float[] h = h0.ToArray(), c = c0.ToArray();
        model.Forward(input, output, h, c);
        double loss = 0;
        for (int i = 0; i < output.Length; i++)
        {
            loss += (double)output[i] * gy[i];
        }

        for (int j = 0; j < h.Length; j++)
        {
            loss += (double)h[j] * gh[j] + (double)c[j] * gc[j];
        }

        return loss;
    }

    private static float[] Random(Random random, int length, float scale) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(4, 17, 6)]
    [InlineData(2, 8, 10)]
    public void Analytic_gradients_match_central_differences(int inputSize, int hiddenSize, int sequenceLength)
    {
        var random = new Random(12345 + hiddenSize);
        ILstm model = Models.Create(inputSize, hiddenSize, sequenceLength);
        model.InitializeParameters(seed: hiddenSize);
        // Larger weights than the default init make the gradients (and so the differences) clearly non-zero.
        Span<float> parameters = model.Parameters;
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p] *= 3;
        }

        int steps = sequenceLength;
        float[] input = Random(random, steps * inputSize, 1);
        float[] h0 = Random(random, hiddenSize, 0.5f), c0 = Random(random, hiddenSize, 0.5f);
        float[] gy = Random(random, steps * hiddenSize, 1), gh = Random(random, hiddenSize, 1), gc = Random(random, hiddenSize, 1);

        var dx = new float[input.Length];
        var dh0 = new float[hiddenSize];
        var dc0 = new float[hiddenSize];
        model.ZeroGradients();
        model.Backward(input, h0, c0, gy, gh, gc, dx, dh0, dc0);
        float[] analytic = model.Gradients.ToArray();

        int checkedCount = 0;
        double worst = 0;
        void Check(string what, float analyticValue, Func<double> plus, Func<double> minus)
        {
            double numeric = (plus() - minus()) / (2 * Epsilon);
            double scale = Math.Max(Math.Abs(numeric), Math.Abs(analyticValue));
            if (scale < 1e-2)
            {
                return; // too small for a float32 difference quotient to say anything
            }

            double relative = Math.Abs(numeric - analyticValue) / scale;
            worst = Math.Max(worst, relative);
            checkedCount++;
            Assert.True(relative <= 1e-2, $"{what}: analytic {analyticValue:G6}, central difference {numeric:G6}, relative error {relative:E2}");
        }

        // A spread of parameters: every 7th one, which crosses all four gates, both matrices and both biases.
        for (int p = 0; p < parameters.Length; p += 7)
        {
            float original = parameters[p];
            int index = p;
            Check($"parameter {p}", analytic[p],
                () => { model.Parameters[index] = original + Epsilon; return Loss(model, input, h0, c0, gy, gh, gc); },
                () => { model.Parameters[index] = original - Epsilon; double l = Loss(model, input, h0, c0, gy, gh, gc); model.Parameters[index] = original; return l; });
        }

        for (int k = 0; k < input.Length; k += 3)
        {
            float original = input[k];
            int index = k;
            Check($"input {k}", dx[k],
                () => { input[index] = original + Epsilon; return Loss(model, input, h0, c0, gy, gh, gc); },
                () => { input[index] = original - Epsilon; double l = Loss(model, input, h0, c0, gy, gh, gc); input[index] = original; return l; });
        }

        for (int j = 0; j < hiddenSize; j++)
        {
            int index = j;
            float h = h0[j], c = c0[j];
            Check($"h0 {j}", dh0[j],
                () => { h0[index] = h + Epsilon; return Loss(model, input, h0, c0, gy, gh, gc); },
                () => { h0[index] = h - Epsilon; double l = Loss(model, input, h0, c0, gy, gh, gc); h0[index] = h; return l; });
            Check($"c0 {j}", dc0[j],
                () => { c0[index] = c + Epsilon; return Loss(model, input, h0, c0, gy, gh, gc); },
                () => { c0[index] = c - Epsilon; double l = Loss(model, input, h0, c0, gy, gh, gc); c0[index] = c; return l; });
        }

        _output.WriteLine($"I={inputSize} H={hiddenSize} T={sequenceLength}: {checkedCount} gradients checked, worst relative error {worst:E2}");
        Assert.True(checkedCount >= 30, $"only {checkedCount} gradients were large enough to check");
    }
}
