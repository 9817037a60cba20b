namespace LstmGen.Benchmarks.Contestants;

/// <summary>
/// Contestant 2: what a user writes by hand. Runtime sizes, PyTorch layout (row r of W_ih dotted with x), plain
/// loops over float[], MathF activations, and a textbook scalar BPTT. Allocation-free after construction.
/// </summary>
public sealed class NaiveLstm : IContestant
{
    private readonly int _i, _h;
    private readonly float[] _wih, _whh, _bih, _bhh;
    private readonly float[] _gwih, _gwhh, _gbih, _gbhh;
    private readonly float[] _hidden, _cell, _z, _output, _x0;
    private readonly Workload _workload;

    // Per step for the backward pass: activated gates (4H), c_t (H), h_{t-1} (H), c_{t-1} (H).
    private readonly float[] _gates, _cells, _previousHidden, _previousCell;
    private readonly float[] _dh, _dc, _dz, _dx;

    public NaiveLstm(Weights weights, Workload workload)
    {
        _i = weights.InputSize;
        _h = weights.HiddenSize;
        _wih = weights.WeightIh.ToArray();
        _whh = weights.WeightHh.ToArray();
        _bih = weights.BiasIh.ToArray();
        _bhh = weights.BiasHh.ToArray();
        _gwih = new float[_wih.Length];
        _gwhh = new float[_whh.Length];
        _gbih = new float[_bih.Length];
        _gbhh = new float[_bhh.Length];
        _hidden = new float[_h];
        _cell = new float[_h];
        _z = new float[4 * _h];
        _workload = workload;
        _output = new float[workload.Steps * _h];
        _x0 = workload.Input.AsSpan(0, _i).ToArray();
        _gates = new float[workload.Steps * 4 * _h];
        _cells = new float[workload.Steps * _h];
        _previousHidden = new float[workload.Steps * _h];
        _previousCell = new float[workload.Steps * _h];
        _dh = new float[_h];
        _dc = new float[_h];
        _dz = new float[4 * _h];
        _dx = new float[workload.Input.Length];
    }

    public string Name => "Naive C#";

    public ReadOnlySpan<float> Hidden => _hidden;

    public ReadOnlySpan<float> InputGradient => _dx;

    public void Reset()
    {
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }

    public void Step() => StepAt(_x0, 0, record: false);

    public void Forward()
    {
        for (int t = 0; t < _workload.Steps; t++)
        {
            StepAt(_workload.Input.AsSpan(t * _i, _i), t, record: false);
            _hidden.CopyTo(_output, t * _h);
        }
    }

    private void StepAt(ReadOnlySpan<float> x, int t, bool record)
    {
        int h = _h, i = _i;
        if (record)
        {
            _hidden.CopyTo(_previousHidden, t * h);
            _cell.CopyTo(_previousCell, t * h);
        }

        for (int r = 0; r < 4 * h; r++)
        {
            float sum = _bih[r] + _bhh[r];
            for (int k = 0; k < i; k++)
            {
                sum += _wih[r * i + k] * x[k];
            }

            for (int j = 0; j < h; j++)
            {
                sum += _whh[r * h + j] * _hidden[j];
            }

            _z[r] = sum;
        }

        for (int j = 0; j < h; j++)
        {
            float ig = Sigmoid(_z[j]), fg = Sigmoid(_z[h + j]), gg = MathF.Tanh(_z[2 * h + j]), og = Sigmoid(_z[3 * h + j]);
            float c = fg * _cell[j] + ig * gg;
            _cell[j] = c;
            _hidden[j] = og * MathF.Tanh(c);
            if (record)
            {
                int g = t * 4 * h;
                _gates[g + j] = ig;
                _gates[g + h + j] = fg;
                _gates[g + 2 * h + j] = gg;
                _gates[g + 3 * h + j] = og;
                _cells[t * h + j] = c;
            }
        }
    }

    public void Backward()
    {
        int h = _h, i = _i, steps = _workload.Steps;
        Reset();
        for (int t = 0; t < steps; t++)
        {
            StepAt(_workload.Input.AsSpan(t * i, i), t, record: true);
        }

        Array.Clear(_dh);
        Array.Clear(_dc);
        for (int t = steps - 1; t >= 0; t--)
        {
            int g = t * 4 * h;
            for (int j = 0; j < h; j++)
            {
                float ig = _gates[g + j], fg = _gates[g + h + j], gg = _gates[g + 2 * h + j], og = _gates[g + 3 * h + j];
                float tc = MathF.Tanh(_cells[t * h + j]);
                float dh = _workload.OutputGradient[t * h + j] + _dh[j];
                float dc = _dc[j] + dh * og * (1 - tc * tc);
                _dz[j] = dc * gg * ig * (1 - ig);
                _dz[h + j] = dc * _previousCell[t * h + j] * fg * (1 - fg);
                _dz[2 * h + j] = dc * ig * (1 - gg * gg);
                _dz[3 * h + j] = dh * tc * og * (1 - og);
                _dc[j] = dc * fg;
            }

            // Parameter gradients and the gradients flowing to x_t and h_{t-1}.
            for (int k = 0; k < i; k++)
            {
                _dx[t * i + k] = 0;
            }

            Array.Clear(_dh);
            for (int r = 0; r < 4 * h; r++)
            {
                float d = _dz[r];
                _gbih[r] += d;
                _gbhh[r] += d;
                for (int k = 0; k < i; k++)
                {
                    _gwih[r * i + k] += d * _workload.Input[t * i + k];
                    _dx[t * i + k] += d * _wih[r * i + k];
                }

                for (int j = 0; j < h; j++)
                {
                    _gwhh[r * h + j] += d * _previousHidden[t * h + j];
                    _dh[j] += d * _whh[r * h + j];
                }
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));
}
