using System;

namespace LstmGen;

/// <summary>PyTorch-compatible, seeded initialization of LSTM parameters.</summary>
public static class ParameterInitializer
{
    /// <summary>
    /// Fills <paramref name="parameters"/> as PyTorch's <c>nn.LSTM.reset_parameters</c> does: every weight
    /// and bias uniform in <c>[−1/√H, 1/√H]</c>. The sequence depends only on <paramref name="seed"/> (a
    /// xoshiro128** generator seeded through SplitMix64), so it is identical on every machine and runtime.
    /// </summary>
    /// <remarks>
    /// Values are drawn in the order of <paramref name="parameters"/>. A generated model's
    /// <c>InitializeParameters</c> calls this on a temporary array (its one allocation) holding the PyTorch
    /// tensors in order — <c>weight_ih [G·H, I]</c> and <c>weight_hh [G·H, H]</c> (G = 4 gates for the LSTM, 3 for the GRU) row-major, then <c>bias_ih</c>,
    /// <c>bias_hh</c> — and imports that, so a seed gives the same weights whatever the generated layout.
    /// <c>tests/fixtures/make_initializer_fixture.py</c> is an independent implementation of this contract.
    /// </remarks>
    /// <param name="parameters">The values to overwrite.</param>
    /// <param name="hiddenSize">Hidden units H; sets the bound 1/√H.</param>
    /// <param name="seed">Any value; equal seeds give equal parameters.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hiddenSize"/> is less than 1.</exception>
    public static void UniformPyTorch(Span<float> parameters, int hiddenSize, int seed)
    {
        if (hiddenSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(hiddenSize), hiddenSize, "The hidden size must be at least 1.");
        }

        double bound = 1.0 / Math.Sqrt(hiddenSize);
        var random = new Xoshiro128StarStar(seed);
        for (int i = 0; i < parameters.Length; i++)
        {
            // 24 random bits give every float in [0, 1) on a 2^-24 grid; scaled into [-bound, bound).
            double unit = (random.Next() >> 8) * (1.0 / (1 << 24));
            parameters[i] = (float)((2.0 * unit - 1.0) * bound);
        }
    }
}

/// <summary>xoshiro128** (Blackman and Vigna): a small, fast generator with a fixed, documented sequence.</summary>
internal struct Xoshiro128StarStar
{
    private uint _s0, _s1, _s2, _s3;

    public Xoshiro128StarStar(int seed)
    {
        // SplitMix64 expands the 32-bit seed into 128 bits of well-mixed, never all-zero state.
        ulong x = (ulong)(uint)seed;
        ulong a = SplitMix64(ref x), b = SplitMix64(ref x);
        _s0 = (uint)a;
        _s1 = (uint)(a >> 32);
        _s2 = (uint)b;
        _s3 = (uint)(b >> 32);
    }

    public uint Next()
    {
        uint result = RotateLeft(_s1 * 5, 7) * 9;
        uint t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 11);
        return result;
    }

    private static uint RotateLeft(uint value, int count) => (value << count) | (value >> (32 - count));

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
