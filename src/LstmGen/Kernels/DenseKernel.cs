using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LstmGen.Kernels;

/// <summary>The dense (linear) layers of compiled model files: dot products with the widest vectors the machine has.</summary>
public static class DenseKernel
{
    /// <summary>Σ_k w[k]·x[k] over <paramref name="length"/> floats.</summary>
    /// <param name="w">The first weight.</param>
    /// <param name="x">The first input.</param>
    /// <param name="length">Elements.</param>
    /// <returns>The dot product.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ref float w, ref float x, int length)
    {
        nuint n = (nuint)length, k = 0;
        float sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; k + 16 <= n; k += 16)
            {
                acc = Simd.MultiplyAdd(Vector512.LoadUnsafe(ref w, k), Vector512.LoadUnsafe(ref x, k), acc);
            }

            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; k + 8 <= n; k += 8)
            {
                acc = Simd.MultiplyAdd(Vector256.LoadUnsafe(ref w, k), Vector256.LoadUnsafe(ref x, k), acc);
            }

            sum = Vector256.Sum(acc);
        }
        else if (Vector128.IsHardwareAccelerated && n >= 4)
        {
            Vector128<float> acc = Vector128<float>.Zero;
            for (; k + 4 <= n; k += 4)
            {
                acc = Simd.MultiplyAdd(Vector128.LoadUnsafe(ref w, k), Vector128.LoadUnsafe(ref x, k), acc);
            }

            sum = Vector128.Sum(acc);
        }

        for (; k < n; k++)
        {
            sum += Unsafe.Add(ref w, k) * Unsafe.Add(ref x, k);
        }

        return sum;
    }

    /// <summary>y = act(W·x + b) for W row-major <c>[outputs, inputs]</c> followed by b <c>[outputs]</c>.</summary>
    /// <param name="parameters">W then b.</param>
    /// <param name="x">The input (<paramref name="inputs"/> floats).</param>
    /// <param name="inputs">Columns of W.</param>
    /// <param name="outputs">Rows of W.</param>
    /// <param name="activation">0 identity, 1 tanh, 2 sigmoid, 3 ReLU.</param>
    /// <param name="y">Receives <paramref name="outputs"/> floats; must not overlap x.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(ref float parameters, ref float x, int inputs, int outputs, int activation, ref float y)
    {
        ref float bias = ref Unsafe.Add(ref parameters, (nuint)inputs * (nuint)outputs);
        for (int o = 0; o < outputs; o++)
        {
            float value = Unsafe.Add(ref bias, o) + Dot(ref Unsafe.Add(ref parameters, (nuint)o * (nuint)inputs), ref x, inputs);
            Unsafe.Add(ref y, o) = activation switch
            {
                1 => Activation.Tanh(value),
                2 => Activation.Sigmoid(value),
                3 => value > 0 ? value : 0,
                _ => value,
            };
        }
    }
}
