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
/// Proves which kernels ran. The ISA matrix in <c>.ci/run</c> sets <c>LSTMGEN_EXPECT_ISA</c> next to its
/// <c>DOTNET_Enable*</c> switches, and the path the generated dispatch takes must be the expected one. (On .NET 10
/// the switch for AVX-512 is <c>DOTNET_EnableAVX512</c>; the older <c>DOTNET_EnableAVX512F</c> is ignored.)
/// Without <c>LSTMGEN_EXPECT_ISA</c> (a plain <c>dotnet test</c>) the widest path, <c>Vector512</c>, must run, so the
/// default run cannot silently skip the 16-lane kernels: a machine without AVX-512 says so explicitly, e.g.
/// <c>LSTMGEN_EXPECT_ISA=Vector256 dotnet test …</c>.
/// </summary>
[Trait("Category", "Numeric")]
public sealed class IsaMatrixTests
{
    private static readonly string[] Paths = ["Vector512", "Vector256", "Vector128", "scalar"];

    [Fact]
    public void The_dispatch_takes_the_path_this_run_expects()
    {
        string? expected = Environment.GetEnvironmentVariable("LSTMGEN_EXPECT_ISA");
        string actual = IsaInfo.Describe();
        if (expected is null)
        {
            Assert.True(actual == "Vector512",
                $"LSTMGEN_EXPECT_ISA is not set, so this run expects the widest path, Vector512, but the dispatch takes {actual}. " +
                $"On a machine without AVX-512 set LSTMGEN_EXPECT_ISA={actual} to run the tests on that path knowingly.");
            return;
        }

        Assert.True(Paths.Contains(expected), $"LSTMGEN_EXPECT_ISA={expected} is not one of {string.Join(", ", Paths)}.");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void The_acceleration_flags_are_consistent_with_each_other()
    {
        Assert.True(!Vector512.IsHardwareAccelerated || Vector256.IsHardwareAccelerated);
        Assert.True(!Vector256.IsHardwareAccelerated || Vector128.IsHardwareAccelerated);
    }
}
