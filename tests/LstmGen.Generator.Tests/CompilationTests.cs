using Microsoft.CodeAnalysis;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>The emitted code compiles warning-free wherever the type is declared; invalid uses emit nothing.</summary>
public sealed class CompilationTests
{
    [Theory]
    [InlineData("namespace A.B { [LstmGen.Lstm(1, 1, 1)] partial class M { } }")]
    [InlineData("[LstmGen.Lstm(2, 8, 10)] partial class InGlobalNamespace { }")]
    [InlineData("namespace N; partial struct S { partial class Inner { [LstmGen.Lstm(4, 17, 6)] public partial class M { } } }")]
    [InlineData("namespace N; partial record R { [LstmGen.Lstm(3, 12, 2)] partial class M { } }")]
    [InlineData("namespace N; partial class G<T, U> where T : class { [LstmGen.Lstm(5, 33, 3)] partial class M { } }")]
    [InlineData("namespace @class { partial class @record { [LstmGen.Lstm(3, 5, 7)] partial class @event { } } }")]
    [InlineData("namespace N; [LstmGen.Lstm(16, 64, 32)] public sealed partial class M { public M(int seed) => InitializeParameters(seed); }")]
    [InlineData("namespace N; [LstmGen.Lstm(8, 128, 5)] partial class M { } [LstmGen.Lstm(8, 128, 5)] partial class M2 { }")]
    public void Generated_code_compiles_without_warnings(string source)
    {
        foreach (bool allowUnsafe in new[] { false, true })
        {
            var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(allowUnsafe, source));
            Assert.Empty(diagnostics);
            Assert.NotEmpty(result.GeneratedSources);
            Assert.Null(result.Exception);
            IReadOnlyList<Diagnostic> problems = GeneratorHarness.Problems(output);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }

    [Theory]
    [InlineData("[LstmGen.Lstm(0, 8, 10)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, -1, 10)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 0)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] class NotPartial { }")]
    [InlineData("class Outer { [LstmGen.Lstm(4, 8, 10)] partial class M { } }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] partial class G<T> { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] static partial class S { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] abstract partial class A { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] partial record R { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] file partial class F { }")]
    [InlineData("[LstmGen.Lstm(4, 5000, 10)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(int.MaxValue, int.MaxValue, int.MaxValue)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] partial class M { public void Step() { } }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] partial class M { } [LstmGen.Lstm(4, 8, 10)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, 8)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, 8, Missing)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(\"4\", 8, 10)] partial class M { }")]
    [InlineData("[LstmGen.Lstm(4, 8, 10)] partial class Step { }")]
    public void Invalid_configurations_generate_nothing_and_never_throw(string source)
    {
        var (_, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, source));
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics); // in particular no CS8785 (generator failure)
        Assert.Empty(result.GeneratedSources);
    }
}
