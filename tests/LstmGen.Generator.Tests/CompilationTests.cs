using Microsoft.CodeAnalysis;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// The emitted code of <c>[Lstm]</c> and <c>[Gru]</c> compiles warning-free wherever the type is declared; invalid
/// uses emit nothing.
/// </summary>
public sealed class CompilationTests
{
    /// <summary>Sources with <c>{A}</c> standing for the attribute's name.</summary>
    private static readonly string[] ValidSources =
    {
        "namespace A.B { [LstmGen.{A}(1, 1, 1)] partial class M { } }",
        "[LstmGen.{A}(2, 8, 10)] partial class InGlobalNamespace { }",
        "namespace N; partial struct S { partial class Inner { [LstmGen.{A}(4, 17, 6)] public partial class M { } } }",
        "namespace N; partial record R { [LstmGen.{A}(3, 12, 2)] partial class M { } }",
        "namespace N; partial record struct RS { [LstmGen.{A}(3, 12, 2)] partial class M { } }",
        "namespace N; partial interface I { [LstmGen.{A}(2, 4, 3)] partial class M { } }",
        "namespace N; partial class G<T, U> where T : class { [LstmGen.{A}(5, 33, 3)] partial class M { } }",
        "namespace N; partial class G<T> { partial class H<U> { [LstmGen.{A}(5, 65, 3)] partial class M { } } }",
        "namespace @class { partial class @record { [LstmGen.{A}(3, 5, 7)] partial class @event { } } }",
        "namespace N.@static; partial class @params { [LstmGen.{A}(3, 5, 7)] partial class @record { } }",
        "namespace N; [LstmGen.{A}(16, 64, 32)] public sealed partial class M { public M(int seed) => InitializeParameters(seed); }",
        "namespace N; [LstmGen.{A}(8, 128, 5)] partial class M { } [LstmGen.{A}(8, 128, 5)] partial class M2 { }",
        "namespace N; [LstmGen.{A}(8, 128, 5)] partial class M { } [LstmGen.{A}(8, 128, 500)] partial class Long { }",
        "namespace N; [LstmGen.{A}(20, 300, 4)] partial class Wide { }",
        "namespace N; [LstmGen.{A}(5000, 8, 4)] partial class ManyInputs { }",
        "namespace N; partial class M { } [LstmGen.{A}(4, 8, 2)] partial class M { public int Extra => 1; }",
    };

    public static TheoryData<string, string> Valid()
    {
        var data = new TheoryData<string, string>();
        foreach (string attribute in new[] { "Lstm", "Gru" })
        {
            foreach (string source in ValidSources)
            {
                data.Add(attribute, source.Replace("{A}", attribute));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Generated_code_compiles_without_warnings(string attribute, string source)
    {
        foreach (bool allowUnsafe in new[] { false, true })
        {
            var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(allowUnsafe, source));
            Assert.Empty(diagnostics);
            Assert.Null(result.Exception);
            Assert.Contains(result.GeneratedSources, s => s.HintName.EndsWith($".{attribute}.g.cs", StringComparison.Ordinal));
            Assert.Contains(result.GeneratedSources, s => s.HintName.StartsWith($"LstmGen.Generated.{attribute}_I", StringComparison.Ordinal));
            IReadOnlyList<Diagnostic> problems = GeneratorHarness.Problems(output);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }

    /// <summary>
    /// Hidden sizes at every kind of edge the kernels handle: below one vector, narrow last groups of every width, a
    /// last panel holding only a narrow group (65: one unit; 129), full panels, several panels with a narrow end.
    /// </summary>
    private static readonly int[] EdgeHiddenSizes =
        Enumerable.Range(1, 40).Concat(Enumerable.Range(60, 21)).Concat(new[] { 124, 127, 128, 129, 130, 143, 144, 191, 192, 193, 200, 255, 257, 300 }).ToArray();

    [Theory]
    [InlineData("Lstm")]
    [InlineData("Gru")]
    public void Kernels_compile_without_warnings_for_hidden_sizes_at_group_and_panel_edges(string attribute)
    {
        string source = "namespace N;\n" + string.Concat(EdgeHiddenSizes.Select(h => $"[LstmGen.{attribute}(3, {h}, 4)] partial class M{h} {{ }}\n"));
        var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, source));
        Assert.Empty(diagnostics);
        Assert.Equal(2 * EdgeHiddenSizes.Length, result.GeneratedSources.Length);
        IReadOnlyList<Diagnostic> problems = GeneratorHarness.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
    }

    [Fact]
    public void Lstm_and_Gru_types_of_the_same_sizes_compile_together_with_one_kernel_class_each()
    {
        var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, """
            namespace N;
            [LstmGen.Lstm(4, 16, 8)] partial class Encoder { }
            [LstmGen.Gru(4, 16, 8)] partial class Decoder { }
            [LstmGen.Gru(4, 16, 20)] partial class LongDecoder { }
            """));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Equal(
            new[] { "LstmGen.Generated.Gru_I4_H16.g.cs", "LstmGen.Generated.Lstm_I4_H16.g.cs", "N.Decoder.Gru.g.cs", "N.Encoder.Lstm.g.cs", "N.LongDecoder.Gru.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Avx512;Scalar", new[] { "512", "Scalar" }, new[] { "256", "128" })]
    [InlineData("Avx2", new[] { "256" }, new[] { "512", "128", "Scalar" })]
    [InlineData("vector128, scalar", new[] { "128", "Scalar" }, new[] { "512", "256" })]
    public void LstmGenInstructionSets_keeps_only_the_listed_paths(string value, string[] kept, string[] dropped)
    {
        foreach (string attribute in new[] { "Lstm", "Gru" })
        {
            var (output, result, diagnostics) = GeneratorHarness.Run(
                GeneratorHarness.Compile(false, $"namespace N; [LstmGen.{attribute}(4, 64, 8)] partial class M {{ }}"),
                new Dictionary<string, string> { ["LstmGenInstructionSets"] = value });
            Assert.Empty(diagnostics);
            Assert.Empty(GeneratorHarness.Problems(output));
            string kernels = GeneratorHarness.Source(result, $"LstmGen.Generated.{attribute}_I4_H64.g.cs");
            foreach (string suffix in kept)
            {
                Assert.Contains($"void Forward{suffix}(", kernels);
            }

            foreach (string suffix in dropped)
            {
                Assert.DoesNotContain($"void Forward{suffix}(", kernels);
            }
        }
    }

    [Theory]
    [InlineData("Avx3")]
    [InlineData("Avx512;Sse")]
    public void An_invalid_LstmGenInstructionSets_generates_nothing(string value)
    {
        var (_, result, diagnostics) = GeneratorHarness.Run(
            GeneratorHarness.Compile(false, "[LstmGen.Lstm(4, 8, 10)] partial class A { } [LstmGen.Gru(4, 8, 10)] partial class B { }"),
            new Dictionary<string, string> { ["LstmGenInstructionSets"] = value });
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    private static readonly string[] InvalidSources =
    {
        "[LstmGen.{A}(0, 8, 10)] partial class M { }",
        "[LstmGen.{A}(4, -1, 10)] partial class M { }",
        "[LstmGen.{A}(4, 8, 0)] partial class M { }",
        "[LstmGen.{A}(4, 8, 10)] class NotPartial { }",
        "class Outer { [LstmGen.{A}(4, 8, 10)] partial class M { } }",
        "[LstmGen.{A}(4, 8, 10)] partial class G<T> { }",
        "[LstmGen.{A}(4, 8, 10)] static partial class S { }",
        "[LstmGen.{A}(4, 8, 10)] abstract partial class A { }",
        "[LstmGen.{A}(4, 8, 10)] partial record R { }",
        "[LstmGen.{A}(4, 8, 10)] file partial class F { }",
        "[LstmGen.{A}(4, 5000, 10)] partial class M { }",
        "[LstmGen.{A}(70000, 8, 10)] partial class M { }",
        "[LstmGen.{A}(4, 8, 70000)] partial class M { }",
        "[LstmGen.{A}(60000, 1024, 10)] partial class M { }",
        "[LstmGen.{A}(int.MaxValue, int.MaxValue, int.MaxValue)] partial class M { }",
        "[LstmGen.{A}(4, 8, 10)] partial class M { public void Step() { } }",
        "[LstmGen.{A}(4, 8, 10)] partial class M { private int _lstmGenParameters; }",
        "[LstmGen.{A}(4, 8, 10)] partial class M { } [LstmGen.{A}(4, 8, 10)] partial class M { }",
        "[LstmGen.{A}(4, 8)] partial class M { }",
        "[LstmGen.{A}(4, 8, Missing)] partial class M { }",
        "[LstmGen.{A}(\"4\", 8, 10)] partial class M { }",
        "[LstmGen.{A}(4, 8, 10)] partial class Step { }",
        "[LstmGen.{A}(4, 8, 10)] partial class BackwardStackSteps { }",
        "[LstmGen.Lstm(4, 8, 10), LstmGen.Gru(4, 8, 10)] partial class Both { }",
    };

    public static TheoryData<string> Invalid()
    {
        var data = new TheoryData<string>();
        foreach (string source in InvalidSources.SelectMany(s => new[] { s.Replace("{A}", "Lstm"), s.Replace("{A}", "Gru") }).Distinct())
        {
            data.Add(source);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_configurations_generate_nothing_and_never_throw(string source)
    {
        var (_, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, source));
        Assert.Null(result.Exception);
        Assert.Empty(diagnostics); // in particular no CS8785 (generator failure)
        Assert.Empty(result.GeneratedSources);
    }
}
