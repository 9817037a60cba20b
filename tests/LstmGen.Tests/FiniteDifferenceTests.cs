using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Tests;

/// <summary>
/// The generated model's float32 analytic gradients against numerical derivatives of the loss, independent of
/// the PyTorch fixtures and of any BPTT derivation.
/// </summary>
/// <remarks>
/// Scheme: float64 central differences, (L(θ + ε) − L(θ − ε)) / 2ε with ε = 1e-6, of the loss of a float64 copy
/// of the model (<see cref="ReferenceLstm.Loss"/>: the same weights and inputs, widened exactly, forward only).
/// Their error is about ε²·|L'''| + 1e-16·|L|/ε ≈ 1e-10, so what the comparison sees is the analytic gradient's
/// own error: float32 rounding, at most 3.3e-7 of the tensor's scale on every SIMD path. Bound, per tensor:
/// max |analytic − numeric| ≤ 1e-5 · max(1, max |numeric|), 30× that, yet a 1e-3 relative error in any element
/// above 1 % of the tensor's scale exceeds it. Every parameter, input and initial-state element is checked. (Float32 differences could not do this: with ε = 1e-2 their truncation and rounding errors force a
/// tolerance of about 1 %.)
/// </remarks>
[Trait("Category", "Numeric")]
public sealed class FiniteDifferenceTests
{
    private const double Epsilon = 1e-6;
    private const double Tolerance = 1e-5;
    private readonly ITestOutputHelper _output;

    public FiniteDifferenceTests(ITestOutputHelper output) => _output = output;

    private static float[] Random(Random random, int length, float scale) =>
        Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1) * scale).ToArray();

    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(4, 17, 6)]
    [InlineData(2, 8, 10)]
    public void Analytic_gradients_match_float64_central_differences(int inputSize, int hiddenSize, int sequenceLength)
    {
        var random = new Random(12345 + hiddenSize);
        ILstm model = Models.Create(inputSize, hiddenSize, sequenceLength);
        model.InitializeParameters(seed: hiddenSize);
        // Larger weights than the default init make the gradients clearly non-zero and the gates non-linear.
        Span<float> parameters = model.Parameters;
        for (int p = 0; p < parameters.Length; p++)
        {
            parameters[p] *= 3;
        }

        int gates = 4 * hiddenSize;
        float[] input = Random(random, sequenceLength * inputSize, 1);
        float[] h0 = Random(random, hiddenSize, 0.5f), c0 = Random(random, hiddenSize, 0.5f);
        float[] gy = Random(random, sequenceLength * hiddenSize, 1), gh = Random(random, hiddenSize, 1), gc = Random(random, hiddenSize, 1);

        // The float32 analytic gradients of the generated model.
        float[] dx = new float[input.Length], dh0 = new float[hiddenSize], dc0 = new float[hiddenSize];
        float[] dwih = new float[gates * inputSize], dwhh = new float[gates * hiddenSize], dbih = new float[gates], dbhh = new float[gates];
        model.ZeroGradients();
        model.Backward(input, h0, c0, gy, gh, gc, dx, dh0, dc0);
        model.ExportGradientsPyTorch(dwih, dwhh, dbih, dbhh);

        // The float64 copy: every tensor the loss depends on, perturbed one element at a time below.
        float[] wih = new float[gates * inputSize], whh = new float[gates * hiddenSize], bih = new float[gates], bhh = new float[gates];
        model.ExportPyTorch(wih, whh, bih, bhh);
        double[] x = ReferenceLstm.ToDouble(input), hx = ReferenceLstm.ToDouble(h0), cx = ReferenceLstm.ToDouble(c0);
        double[] wi = ReferenceLstm.ToDouble(wih), wh = ReferenceLstm.ToDouble(whh), bi = ReferenceLstm.ToDouble(bih), bh = ReferenceLstm.ToDouble(bhh);
        double[] dy = ReferenceLstm.ToDouble(gy), dh = ReferenceLstm.ToDouble(gh), dc = ReferenceLstm.ToDouble(gc);
        double Loss() => new ReferenceLstm(inputSize, hiddenSize, wi, wh, bi, bh).Loss(x, hx, cx, dy, dh, dc);

        double worst = 0;
        int checkedCount = 0;
        foreach ((string what, double[] values, float[] analytic) in new[]
        {
            ("∂L/∂weight_ih", wi, dwih), ("∂L/∂weight_hh", wh, dwhh), ("∂L/∂bias_ih", bi, dbih), ("∂L/∂bias_hh", bh, dbhh),
            ("∂L/∂input", x, dx), ("∂L/∂h0", hx, dh0), ("∂L/∂c0", cx, dc0),
        })
        {
            var numeric = new double[values.Length];
            for (int n = 0; n < values.Length; n++)
            {
                double original = values[n];
                values[n] = original + Epsilon;
                double plus = Loss();
                values[n] = original - Epsilon;
                double minus = Loss();
                values[n] = original;
                numeric[n] = (plus - minus) / (2 * Epsilon);
            }

            Assert.True(numeric.Max(Math.Abs) > 1e-2, $"{what}: the gradients are too small to say anything");
            worst = Math.Max(worst, Compare.PerTensor(what, analytic, numeric, Tolerance));
            checkedCount += values.Length;
        }

        _output.WriteLine($"I={inputSize} H={hiddenSize} T={sequenceLength}: {checkedCount} gradients checked, worst scaled error {worst:E2}");
    }
}
