using System.Numerics.Tensors;
using LstmGen.Kernels;

namespace LstmGen.Benchmarks.Contestants;

/// <summary>
/// Contestant 3: runtime sizes with System.Numerics.Tensors.TensorPrimitives. Weights transposed so each input
/// element is broadcast over all 4H gate rows with MultiplyAdd; activations by TensorPrimitives.Sigmoid/Tanh;
/// 64-byte-aligned buffers.
/// </summary>
public sealed class TensorPrimitivesLstm : IContestant
{
    private readonly int _i, _h, _g;
    private readonly AlignedBuffer _weights, _bias, _z;
    private readonly float[] _hidden, _cell, _output, _x0;
    private readonly Workload _workload;

    public TensorPrimitivesLstm(Weights weights, Workload workload)
    {
        _i = weights.InputSize;
        _h = weights.HiddenSize;
        _g = 4 * _h;
        (_weights, _bias) = weights.TransposedWithSummedBias();
        _z = new AlignedBuffer(_g);

        _hidden = new float[_h];
        _cell = new float[_h];
        _workload = workload;
        _output = new float[workload.Steps * _h];
        _x0 = workload.Input.AsSpan(0, _i).ToArray();
    }

    public string Name => "TensorPrimitives";

    public ReadOnlySpan<float> Hidden => _hidden;

    public void Reset()
    {
        Array.Clear(_hidden);
        Array.Clear(_cell);
    }

    public void Step() => StepCore(_x0);

    public void Forward()
    {
        for (int t = 0; t < _workload.Steps; t++)
        {
            StepCore(_workload.Input.AsSpan(t * _i, _i));
            _hidden.CopyTo(_output, t * _h);
        }
    }

    private void StepCore(ReadOnlySpan<float> x)
    {
        int g = _g, h = _h;
        Span<float> z = _z.Span;
        ReadOnlySpan<float> w = _weights.Span;
        _bias.Span.CopyTo(z);
        for (int k = 0; k < _i; k++)
        {
            TensorPrimitives.MultiplyAdd(w.Slice(k * g, g), x[k], z, z);
        }

        for (int j = 0; j < h; j++)
        {
            TensorPrimitives.MultiplyAdd(w.Slice((_i + j) * g, g), _hidden[j], z, z);
        }

        Span<float> i = z.Slice(0, h), f = z.Slice(h, h), gg = z.Slice(2 * h, h), o = z.Slice(3 * h, h);
        TensorPrimitives.Sigmoid(i, i);
        TensorPrimitives.Sigmoid(f, f);
        TensorPrimitives.Tanh(gg, gg);
        TensorPrimitives.Sigmoid(o, o);
        // c = f ⊙ c + i ⊙ g; h = o ⊙ tanh(c)
        TensorPrimitives.Multiply(i, gg, i);
        TensorPrimitives.MultiplyAdd(f, _cell, i, _cell);
        TensorPrimitives.Tanh(_cell, _hidden);
        TensorPrimitives.Multiply(o, _hidden, _hidden);
    }
}
