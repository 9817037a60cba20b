using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// The pipeline caches: an edit elsewhere re-runs nothing downstream of the attribute, an edit to the
/// attribute re-runs the plan and the emitter, and no pipeline value holds Roslyn objects.
/// </summary>
public sealed class IncrementalTests
{
    private const string Model = """
        namespace N;
        [LstmGen.Lstm(inputSize: 4, hiddenSize: 16, sequenceLength: 8)]
        public partial class Model { }
        """;

    private const string Other = """
        namespace N;
        public class Unrelated { public int Value; }
        """;

    private static readonly string[] TrackedSteps =
    {
        LstmGenerator.TrackingNames.Candidates, LstmGenerator.TrackingNames.Specs, LstmGenerator.TrackingNames.Plans,
    };

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model, Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree otherTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            otherTree,
            CSharpSyntaxTree.ParseText(Other.Replace("public int Value;", "public int Value; public string Name = \"\";"), (CSharpParseOptions)otherTree.Options, otherTree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                Assert.All(run.Outputs, output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"step {step} was {output.Reason} after an unrelated edit"));
            }
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Adding_a_member_to_the_model_reruns_the_parser_but_not_the_plan()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model, Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree modelTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source0.cs");
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            modelTree,
            CSharpSyntaxTree.ParseText(Model.Replace("{ }", "{ public int Extra => 1; }"), (CSharpParseOptions)modelTree.Options, modelTree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[LstmGenerator.TrackingNames.Plans].SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"plan was {output.Reason}"));
    }

    [Fact]
    public void Changing_the_attribute_modifies_the_spec_plan_and_output()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model, Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);

        SyntaxTree modelTree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source0.cs");
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            modelTree,
            CSharpSyntaxTree.ParseText(Model.Replace("hiddenSize: 16", "hiddenSize: 24"), (CSharpParseOptions)modelTree.Options, modelTree.FilePath));
        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.Contains(result.TrackedSteps[step].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        }

        Assert.Contains("public const int HiddenSize = 24;", result.GeneratedSources.Single().SourceText.ToString());
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_compilations_or_locations()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model, Other,
            "namespace M; partial class Outer<T> { [LstmGen.Lstm(3, 5, 7)] partial class Nested { } }");
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        int inspected = 0;
        foreach (string step in TrackedSteps)
        {
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertPlainData(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                    inspected++;
                }
            }
        }

        Assert.True(inspected >= 6, $"only {inspected} pipeline values were inspected");
    }

    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree) };

    private static void AssertPlainData(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.FullName}");
        if (value is IEnumerable sequence)
        {
            int index = 0;
            foreach (object? item in sequence)
            {
                AssertPlainData(item, $"{path}[{index++}]", seen);
            }
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertPlainData(field.GetValue(value), $"{path}.{field.Name}", seen);
            }
        }
    }
}
