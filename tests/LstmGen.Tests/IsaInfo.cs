using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace LstmGen.Tests;

/// <summary>Which SIMD path the generated dispatch takes in this process.</summary>
public static class IsaInfo
{
    public static string Describe() =>
        Vector512.IsHardwareAccelerated ? "Vector512" :
        Vector256.IsHardwareAccelerated ? "Vector256" :
        Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";
}

/// <summary>
/// Proves the ISA matrix in <c>.ci/run</c> really switches paths: each run sets <c>LSTMGEN_EXPECT_ISA</c> next to
/// its <c>DOTNET_Enable*</c> switches, and the path the generated dispatch takes must be the expected one. (On
/// .NET 10 the switch for AVX-512 is <c>DOTNET_EnableAVX512</c>; the older <c>DOTNET_EnableAVX512F</c> is ignored.)
/// </summary>
[Trait("Category", "Numeric")]
public sealed class IsaMatrixTests
{
    [Fact]
    public void The_dispatch_takes_the_path_this_run_expects()
    {
        string? expected = Environment.GetEnvironmentVariable("LSTMGEN_EXPECT_ISA");
        if (expected is null)
        {
            // A plain `dotnet test`: any path is fine, but the flags must be consistent with each other.
            Assert.True(!Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated);
            Assert.True(!Vector256.IsHardwareAccelerated || Vector128.IsHardwareAccelerated);
            return;
        }

        Assert.Equal(expected, IsaInfo.Describe());
    }
}
