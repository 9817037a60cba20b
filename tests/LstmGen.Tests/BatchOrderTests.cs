using LstmGen.Kernels;
using Xunit;

namespace LstmGen.Tests;

/// <summary><see cref="BatchOrder.Transpose"/>: [outer, inner, item] to [inner, outer, item], checked element by element.</summary>
public sealed class BatchOrderTests
{
    [Theory]
    [InlineData(3, 5, 1)]
    [InlineData(4, 7, 3)]
    [InlineData(1, 9, 2)]
    [InlineData(6, 1, 4)]
    public void Element_i_j_k_goes_to_j_i_k_and_back(int outer, int inner, int item)
    {
        float[] source = new float[outer * inner * item];
        for (int n = 0; n < source.Length; n++)
        {
            source[n] = n + 1;
        }

        float[] transposed = new float[source.Length + 1], back = new float[source.Length];
        transposed[^1] = -7; // beyond the length: untouched
        BatchOrder.Transpose(source, transposed, outer, inner, item);
        for (int i = 0; i < outer; i++)
        {
            for (int j = 0; j < inner; j++)
            {
                for (int k = 0; k < item; k++)
                {
                    Assert.Equal(source[(i * inner + j) * item + k], transposed[(j * outer + i) * item + k]);
                }
            }
        }

        Assert.Equal(-7, transposed[^1]);
        BatchOrder.Transpose(transposed, back, inner, outer, item);
        Assert.Equal(source, back);
    }

    [Fact]
    public void Short_or_overlapping_spans_are_refused()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => BatchOrder.Transpose(new float[5], new float[6], 2, 3, 1));
        Assert.Equal("source", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => BatchOrder.Transpose(new float[6], new float[5], 2, 3, 1));
        Assert.Equal("destination", e.ParamName);
        float[] shared = new float[12];
        e = Assert.Throws<ArgumentException>(() => BatchOrder.Transpose(shared.AsSpan(0, 6), shared.AsSpan(3, 6), 2, 3, 1));
        Assert.Contains("overlap", e.Message);
        Assert.Equal("outer", Assert.Throws<ArgumentOutOfRangeException>(() => BatchOrder.Transpose(new float[6], new float[6], -2, 3, 1)).ParamName);
        Assert.Equal("inner", Assert.Throws<ArgumentOutOfRangeException>(() => BatchOrder.Transpose(new float[6], new float[6], 2, -3, 1)).ParamName);
        Assert.Equal("item", Assert.Throws<ArgumentOutOfRangeException>(() => BatchOrder.Transpose(new float[6], new float[6], 2, 3, -1)).ParamName);
    }
}
