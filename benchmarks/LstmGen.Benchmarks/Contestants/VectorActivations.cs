using System.Runtime.Intrinsics;
using LstmGen.Kernels;

namespace LstmGen.Benchmarks.Contestants;

/// <summary>Vector activations for the runtime-sized kernel, chosen at JIT time through a struct type argument.</summary>
public interface IVectorActivations
{
    static abstract Vector512<float> Sigmoid(Vector512<float> x);
    static abstract Vector512<float> Tanh(Vector512<float> x);
    static abstract Vector256<float> Sigmoid(Vector256<float> x);
    static abstract Vector256<float> Tanh(Vector256<float> x);

    /// <summary>tanh of the lower 8 lanes and σ of the upper 8 (the g | o vector of a half group of 8 units).</summary>
    static abstract Vector512<float> TanhLowerSigmoidUpper(Vector512<float> x);

    static abstract string Name { get; }
}

/// <summary>What .NET offers a user writing their own kernel: σ(x) = 1/(1 + e^−x), tanh(x) = 2σ(2x) − 1, with Vector512.Exp.</summary>
public struct ExpActivations : IVectorActivations
{
    public static string Name => "Runtime Vector512";
    public static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
    public static Vector512<float> Tanh(Vector512<float> x) => Sigmoid(x + x) * 2 - Vector512<float>.One;
    public static Vector256<float> Sigmoid(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
    public static Vector256<float> Tanh(Vector256<float> x) => Sigmoid(x + x) * 2 - Vector256<float>.One;

    // tanh(x) = 2σ(2x) − 1 in the lower half, σ(x) = 1·σ(1·x) − 0 in the upper: one Exp for both, the same floats.
    public static Vector512<float> TanhLowerSigmoidUpper(Vector512<float> x)
    {
        var scale = Vector512.Create(Vector256.Create(2f), Vector256<float>.One);
        return Sigmoid(x * scale) * scale - Vector512.Create(Vector256<float>.One, Vector256<float>.Zero);
    }
}

/// <summary>LstmGen's rational tanh and σ = ½ + ½·tanh(x/2): isolates what specialization alone buys.</summary>
public struct RationalActivations : IVectorActivations
{
    public static string Name => "Runtime Vector512 + LstmGen activations";
    public static Vector512<float> Sigmoid(Vector512<float> x) => Activation.Sigmoid(x);
    public static Vector512<float> Tanh(Vector512<float> x) => Activation.Tanh(x);
    public static Vector256<float> Sigmoid(Vector256<float> x) => Activation.Sigmoid(x);
    public static Vector256<float> Tanh(Vector256<float> x) => Activation.Tanh(x);

    // σ(x) = ½ + ½·tanh(x/2): one tanh evaluation for both halves.
    public static Vector512<float> TanhLowerSigmoidUpper(Vector512<float> x)
    {
        var scale = Vector512.Create(Vector256<float>.One, Vector256.Create(0.5f));
        return System.Runtime.Intrinsics.X86.Avx512F.FusedMultiplyAdd(Activation.Tanh(x * scale), scale, Vector512.Create(Vector256<float>.Zero, Vector256.Create(0.5f)));
    }
}
