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
    {
        _i = inputSize;
        _h = hiddenSize;
        _wih = weightIh.Select(v => (double)v).ToArray();
        _whh = weightHh.Select(v => (double)v).ToArray();
        _b = biasIh.Zip(biasHh, (a, b) => (double)a + b).ToArray();
    }

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
    {
        int i = _i, h = _h, steps = input.Length / i;
        var hs = new double[steps + 1][];
        var cs = new double[steps + 1][];
        var gates = new double[steps][];
        hs[0] = h0.Select(v => (double)v).ToArray();
        cs[0] = c0.Select(v => (double)v).ToArray();
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

        var gx = new double[steps * i];
        var gwih = new double[_wih.Length];
        var gwhh = new double[_whh.Length];
        var gb = new double[4 * h];
        var dh = dhN.Select(v => (double)v).ToArray();
        var dc = dcN.Select(v => (double)v).ToArray();
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
}
