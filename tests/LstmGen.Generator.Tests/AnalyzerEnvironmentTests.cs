using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// Diagnostics about the project rather than the attribute, for <c>[Lstm]</c> and <c>[Gru]</c>: target framework
/// (LSTM008) and C# version (LSTM009).
/// </summary>
public sealed class AnalyzerEnvironmentTests
{
    public static TheoryData<string> Attributes => GeneratorHarness.Attributes;

    [Theory]
    [MemberData(nameof(Attributes))]
    public async Task LSTM008_when_the_target_framework_has_no_Vector512(string attribute)
    {
        // netstandard2.0 has no System.Runtime.Intrinsics; the attribute is declared in source, as a stand-in.
        var test = new CSharpAnalyzerTest<LstmAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = ReferenceAssemblies.NetStandard.NetStandard20,
            TestCode = $$"""
                namespace LstmGen
                {
                    [System.AttributeUsage(System.AttributeTargets.Class)]
                    public sealed class {{attribute}}Attribute : System.Attribute { public {{attribute}}Attribute(int inputSize, int hiddenSize, int sequenceLength) { } }
                }

                [{|#0:LstmGen.{{attribute}}(4, 8, 10)|}] partial class Model { }
                """,
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.MissingVector512).WithLocation(0).WithArguments("Model"));
        await test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public async Task LSTM009_when_the_language_version_is_below_CSharp_9(string attribute)
    {
        var test = new CSharpAnalyzerTest<LstmAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            TestCode = $"[{{|#0:LstmGen.{attribute}(4, 8, 10)|}}] partial class Model {{ }}",
        };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        test.SolutionTransforms.Add((solution, projectId) =>
            solution.WithProjectParseOptions(projectId, new CSharpParseOptions(LanguageVersion.CSharp8)));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.LanguageVersionTooLow).WithLocation(0).WithArguments("Model", "8"));
        await test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void The_generator_emits_nothing_below_CSharp_9(string attribute)
    {
        var compilation = GeneratorHarness.Compile(false, $"[LstmGen.{attribute}(4, 8, 10)] partial class Model {{ }}");
        var tree = compilation.SyntaxTrees.Single();
        compilation = compilation.ReplaceSyntaxTree(tree, tree.WithRootAndOptions(tree.GetRoot(), new CSharpParseOptions(LanguageVersion.CSharp8)));
        var (_, result, diagnostics) = GeneratorHarness.Run(compilation);
        Assert.Empty(diagnostics);
        Assert.Empty(result.GeneratedSources);
    }
}
