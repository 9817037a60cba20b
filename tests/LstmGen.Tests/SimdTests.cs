using System.Runtime.Intrinsics;
using LstmGen.Kernels;
using Xunit;

namespace LstmGen.Tests;

/// <summary>The shuffle-tree reductions the backward dot products use, against plain sums, on every SIMD path.</summary>
[Trait("Category", "Numeric")]
public sealed class SimdTests
{
    private static float[] Random(int seed, int n)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    // Each row's sum in the same pairwise order is not guaranteed, so compare within float rounding.
    private static void AssertSums(float[] values, int width, float[] actual)
    {
        for (int r = 0; r < width; r++)
        {
            double expected = values.Skip(r * width).Take(width).Sum(v => (double)v);
            Assert.True(Math.Abs(actual[r] - expected) <= 1e-5, $"row {r}: {actual[r]} vs {expected}");
        }
    }

    [Fact]
    public void SumEach_of_16_Vector512_puts_each_vectors_sum_in_its_lane()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            float[] v = Random(seed, 256);
            Vector512<float> V(int i) => Vector512.Create(v, 16 * i);
            Vector512<float> sums = Simd.SumEach(V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7), V(8), V(9), V(10), V(11), V(12), V(13), V(14), V(15));
            var actual = new float[16];
            sums.CopyTo(actual);
            AssertSums(v, 16, actual);
        }
    }

    [Fact]
    public void SumEach_of_8_Vector512_puts_each_vectors_sum_in_its_lane()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            float[] v = Random(seed, 128);
            Vector512<float> V(int i) => Vector512.Create(v, 16 * i);
            var actual = new float[8];
            Simd.SumEach(V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7)).CopyTo(actual);
            for (int r = 0; r < 8; r++)
            {
                double expected = v.Skip(16 * r).Take(16).Sum(x => (double)x);
                Assert.True(Math.Abs(actual[r] - expected) <= 1e-5, $"row {r}: {actual[r]} vs {expected}");
            }
        }
    }

    [Fact]
    public void SumEach_of_8_Vector256_puts_each_vectors_sum_in_its_lane()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            float[] v = Random(seed, 64);
            Vector256<float> V(int i) => Vector256.Create(v, 8 * i);
            var actual = new float[8];
            Simd.SumEach(V(0), V(1), V(2), V(3), V(4), V(5), V(6), V(7)).CopyTo(actual);
            AssertSums(v, 8, actual);
        }
    }

    [Fact]
    public void SumEach_of_4_Vector128_puts_each_vectors_sum_in_its_lane()
    {
        for (int seed = 0; seed < 20; seed++)
        {
            float[] v = Random(seed, 16);
            Vector128<float> V(int i) => Vector128.Create(v, 4 * i);
            var actual = new float[4];
            Simd.SumEach(V(0), V(1), V(2), V(3)).CopyTo(actual);
            AssertSums(v, 4, actual);
        }
    }

    [Theory]
    [InlineData(16, 0)]
    [InlineData(16, 3)]
    [InlineData(16, 15)]
    [InlineData(8, 5)]
    [InlineData(4, 1)]
    public void LanesFrom_masks_the_lanes_before_the_first(int width, int first)
    {
        float[] lanes = width switch
        {
            16 => ToArray(Simd.LanesFrom512(first)),
            8 => ToArray(Simd.LanesFrom256(first)),
            _ => ToArray(Simd.LanesFrom128(first)),
        };
        for (int l = 0; l < width; l++)
        {
            Assert.Equal(l >= first ? -1 : 0, BitConverter.SingleToInt32Bits(lanes[l]));
        }

        static float[] ToArray<T>(T vector) where T : struct
            => System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(new[] { vector }).ToArray();
    }
}
