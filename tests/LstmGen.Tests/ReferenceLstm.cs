namespace LstmGen.Tests;

/// <summary>
/// A plain double-precision LSTM with textbook BPTT, in PyTorch layout: an independent reference for shapes and
/// sequence lengths the PyTorch fixtures do not cover. It is itself checked against the PyTorch fixtures.
/// </summary>
public sealed class ReferenceLstm
{
    private readonly int _i, _h;
    private readonly double[] _wih, _whh, _b;

    public ReferenceLstm(int inputSize, int hiddenSize, float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh)
        : this(inputSize, hiddenSize, ToDouble(weightIh), ToDouble(weightHh), ToDouble(biasIh), ToDouble(biasHh))
    {
    }

    /// <summary>A model with float64 weights (copied), e.g. perturbed by less than a float32 can represent.</summary>
    public ReferenceLstm(int inputSize, int hiddenSize, double[] weightIh, double[] weightHh, double[] biasIh, double[] biasHh)
    {
        _i = inputSize;
        _h = hiddenSize;
        _wih = weightIh.ToArray();
        _whh = weightHh.ToArray();
        _b = biasIh.Zip(biasHh, (a, b) => a + b).ToArray();
    }

    public static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();

    public static ReferenceLstm From(ILstm model)
    {
        int i = model.InputSize, h = model.HiddenSize;
        float[] wih = new float[4 * h * i], whh = new float[4 * h * h], bih = new float[4 * h], bhh = new float[4 * h];
        model.ExportPyTorch(wih, whh, bih, bhh);
        return new ReferenceLstm(i, h, wih, whh, bih, bhh);
    }

    public sealed record Result(double[] Output, double[] HN, double[] CN, double[] GradInput, double[] GradH0, double[] GradC0, double[] GradWeightIh, double[] GradWeightHh, double[] GradBias);

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Forward and backward for L = Σ output·dy + h_N·dh + c_N·dc.</summary>
    public Result Run(float[] input, float[] h0, float[] c0, float[] dy, float[] dhN, float[] dcN)
        => Run(ToDouble(input), ToDouble(h0), ToDouble(c0), ToDouble(dy), ToDouble(dhN), ToDouble(dcN));

    /// <summary>The loss L = Σ output·dy + h_N·dh + c_N·dc alone (forward only), in float64.</summary>
    public double Loss(double[] input, double[] h0, double[] c0, double[] dy, double[] dhN, double[] dcN)
    {
        double[] output = Forward(input, h0, c0, out double[][] hs, out double[][] cs, out _);
        int steps = hs.Length - 1;
        double loss = 0;
        for (int n = 0; n < dy.Length; n++)
        {
            loss += output[n] * dy[n];
        }

        for (int j = 0; j < _h; j++)
        {
            loss += hs[steps][j] * dhN[j] + cs[steps][j] * dcN[j];
        }

        return loss;
    }

    /// <summary>Forward and backward for L = Σ output·dy + h_N·dh + c_N·dc, all in float64.</summary>
    public Result Run(double[] input, double[] h0, double[] c0, double[] dy, double[] dhN, double[] dcN)
    {
        int i = _i, h = _h, steps = input.Length / i;
        double[] output = Forward(input, h0, c0, out double[][] hs, out double[][] cs, out double[][] gates);

        var gx = new double[steps * i];
        var gwih = new double[_wih.Length];
        var gwhh = new double[_whh.Length];
        var gb = new double[4 * h];
        var dh = dhN.ToArray();
        var dc = dcN.ToArray();
        for (int t = steps - 1; t >= 0; t--)
        {
            double[] g = gates[t];
            var dz = new double[4 * h];
            for (int j = 0; j < h; j++)
            {
                double tc = Math.Tanh(cs[t + 1][j]);
                double dht = dh[j] + dy[t * h + j];
                double dct = dc[j] + dht * g[3 * h + j] * (1 - tc * tc);
                dz[j] = dct * g[2 * h + j] * g[j] * (1 - g[j]);
                dz[h + j] = dct * cs[t][j] * g[h + j] * (1 - g[h + j]);
                dz[2 * h + j] = dct * g[j] * (1 - g[2 * h + j] * g[2 * h + j]);
                dz[3 * h + j] = dht * tc * g[3 * h + j] * (1 - g[3 * h + j]);
                dc[j] = dct * g[h + j];
            }

            dh = new double[h];
            for (int r = 0; r < 4 * h; r++)
            {
                gb[r] += dz[r];
                for (int k = 0; k < i; k++)
                {
                    gwih[r * i + k] += dz[r] * input[t * i + k];
                    gx[t * i + k] += dz[r] * _wih[r * i + k];
                }

                for (int j = 0; j < h; j++)
                {
                    gwhh[r * h + j] += dz[r] * hs[t][j];
                    dh[j] += dz[r] * _whh[r * h + j];
                }
            }
        }

        return new Result(output, hs[steps], cs[steps], gx, dh, dc, gwih, gwhh, gb);
    }

    // h_t, c_t for t = 0…steps and the gate activations (i, f, g, o) of every step.
    private double[] Forward(double[] input, double[] h0, double[] c0, out double[][] hs, out double[][] cs, out double[][] gates)
    {
        int i = _i, h = _h, steps = input.Length / i;
        hs = new double[steps + 1][];
        cs = new double[steps + 1][];
        gates = new double[steps][];
        hs[0] = h0.ToArray();
        cs[0] = c0.ToArray();
        var output = new double[steps * h];
        for (int t = 0; t < steps; t++)
        {
            var z = new double[4 * h];
            for (int r = 0; r < 4 * h; r++)
            {
                double sum = _b[r];
                for (int k = 0; k < i; k++)
                {
                    sum += _wih[r * i + k] * input[t * i + k];
                }

                for (int j = 0; j < h; j++)
                {
                    sum += _whh[r * h + j] * hs[t][j];
                }

                z[r] = sum;
            }

            var g = new double[4 * h];
            hs[t + 1] = new double[h];
            cs[t + 1] = new double[h];
            for (int j = 0; j < h; j++)
            {
                g[j] = Sigmoid(z[j]);
                g[h + j] = Sigmoid(z[h + j]);
                g[2 * h + j] = Math.Tanh(z[2 * h + j]);
                g[3 * h + j] = Sigmoid(z[3 * h + j]);
                cs[t + 1][j] = g[h + j] * cs[t][j] + g[j] * g[2 * h + j];
                hs[t + 1][j] = g[3 * h + j] * Math.Tanh(cs[t + 1][j]);
                output[t * h + j] = hs[t + 1][j];
            }

            gates[t] = g;
        }

        return output;
    }
}
