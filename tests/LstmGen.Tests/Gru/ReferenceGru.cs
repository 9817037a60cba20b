namespace LstmGen.Tests.Gru;

/// <summary>
/// A plain double-precision GRU in PyTorch layout (gate order r, z, n; b_hn inside r ⊙ (…)): the loss
/// L = Σ output·dy + h_N·dh_N for finite differences. Independent of the generator; checked against PyTorch itself.
/// </summary>
public sealed class ReferenceGru
{
    private readonly int _i, _h;

    public ReferenceGru(int inputSize, int hiddenSize, double[] weightIh, double[] weightHh, double[] biasIh, double[] biasHh)
    {
        _i = inputSize;
        _h = hiddenSize;
        WeightIh = weightIh;
        WeightHh = weightHh;
        BiasIh = biasIh;
        BiasHh = biasHh;
    }

    public double[] WeightIh { get; }
    public double[] WeightHh { get; }
    public double[] BiasIh { get; }
    public double[] BiasHh { get; }

    public static ReferenceGru From(IGru model)
    {
        int i = model.InputSize, h = model.HiddenSize;
        float[] wih = new float[3 * h * i], whh = new float[3 * h * h], bih = new float[3 * h], bhh = new float[3 * h];
        model.ExportPyTorch(wih, whh, bih, bhh);
        return new ReferenceGru(i, h, wih.Select(v => (double)v).ToArray(), whh.Select(v => (double)v).ToArray(),
            bih.Select(v => (double)v).ToArray(), bhh.Select(v => (double)v).ToArray());
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>Runs the sequence from h0; returns every h_t (time-major) and the final state.</summary>
    public double[] Forward(double[] input, double[] h0, out double[] hN)
    {
        int i = _i, h = _h, steps = input.Length / i;
        var outputs = new double[steps * h];
        double[] state = (double[])h0.Clone();
        var next = new double[h];
        for (int t = 0; t < steps; t++)
        {
            for (int u = 0; u < h; u++)
            {
                double[] xPart = new double[3], hPart = new double[3];
                for (int g = 0; g < 3; g++)
                {
                    int row = g * h + u;
                    double sx = BiasIh[row], sh = BiasHh[row];
                    for (int k = 0; k < i; k++)
                    {
                        sx += WeightIh[row * i + k] * input[t * i + k];
                    }

                    for (int j = 0; j < h; j++)
                    {
                        sh += WeightHh[row * h + j] * state[j];
                    }

                    xPart[g] = sx;
                    hPart[g] = sh;
                }

                double r = Sigmoid(xPart[0] + hPart[0]);
                double z = Sigmoid(xPart[1] + hPart[1]);
                double n = Math.Tanh(xPart[2] + r * hPart[2]);
                next[u] = (1 - z) * n + z * state[u];
            }

            Array.Copy(next, state, h);
            Array.Copy(next, 0, outputs, t * h, h);
        }

        hN = state;
        return outputs;
    }

    /// <summary>L = Σ output·dy + h_N·dh_N.</summary>
    public double Loss(double[] input, double[] h0, double[] dy, double[] dhN)
    {
        double[] outputs = Forward(input, h0, out double[] hN);
        double loss = 0;
        for (int k = 0; k < outputs.Length; k++)
        {
            loss += outputs[k] * dy[k];
        }

        for (int k = 0; k < hN.Length; k++)
        {
            loss += hN[k] * dhN[k];
        }

        return loss;
    }
}
