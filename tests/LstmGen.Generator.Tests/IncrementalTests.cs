using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// The pipeline caches, for <c>[Lstm]</c> and <c>[Gru]</c>: an edit elsewhere re-runs nothing downstream of the
/// attribute, an edit to the attribute re-runs the plan and the emitter, the kernel class of a layer shape is emitted
/// once and only re-emitted when the shape changes, and no pipeline value holds Roslyn objects.
/// </summary>
public sealed class IncrementalTests
{
    public static TheoryData<string> Attributes => GeneratorHarness.Attributes;

    private static string Model(string attribute) => $$"""
        namespace N;
        [LstmGen.{{attribute}}(inputSize: 4, hiddenSize: 16, sequenceLength: 8)]
        public partial class Model { }
        """;

    private const string Other = """
        namespace N;
        public class Unrelated { public int Value; }
        """;

    /// <summary>Every step the generator tracks.</summary>
    private static readonly string[] AllSteps =
    {
        LstmGenerator.TrackingNames.Options, LstmGenerator.TrackingNames.Candidates, LstmGenerator.TrackingNames.Specs,
        LstmGenerator.TrackingNames.Plans, LstmGenerator.TrackingNames.Kernels,
    };

    /// <summary>The steps an attribute edit flows through.</summary>
    private static readonly string[] AttributeSteps =
    {
        LstmGenerator.TrackingNames.Candidates, LstmGenerator.TrackingNames.Specs, LstmGenerator.TrackingNames.Plans,
    };

    /// <summary>Runs the generator, replaces source <paramref name="index"/> by <paramref name="edited"/>, and runs it again on the same driver.</summary>
    private static GeneratorRunResult RunEdited(string[] sources, int index, string edited)
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(false, sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == $"Source{index}.cs");
        CSharpCompilation next = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(edited, (CSharpParseOptions)tree.Options, tree.FilePath));
        return driver.RunGenerators(next).GetRunResult().Results.Single();
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason) : Enumerable.Empty<IncrementalStepRunReason>();

    private static void AssertCachedOrUnchanged(GeneratorRunResult result, string step, string after)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} did not run");
        Assert.All(Reasons(result, step), reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} was {reason} after {after}"));
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void An_unrelated_edit_leaves_every_step_and_output_cached_or_unchanged(string attribute)
    {
        GeneratorRunResult result = RunEdited(new[] { Model(attribute), Other }, 1, Other.Replace("public int Value;", "public int Value; public string Name = \"\";"));

        foreach (string step in AllSteps)
        {
            AssertCachedOrUnchanged(result, step, "an unrelated edit");
        }

        Assert.NotEmpty(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Adding_a_member_to_the_model_reruns_the_parser_but_not_the_plan(string attribute)
    {
        GeneratorRunResult result = RunEdited(new[] { Model(attribute), Other }, 0, Model(attribute).Replace("{ }", "{ public int Extra => 1; }"));

        // The parser runs again on the edited declaration; its candidate is equal to the last one (no member clashes).
        Assert.Contains(Reasons(result, LstmGenerator.TrackingNames.Candidates), r => r is not IncrementalStepRunReason.Cached);
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.Plans, "adding a member");
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.Kernels, "adding a member");
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Changing_the_hidden_size_modifies_the_spec_plan_kernels_and_output(string attribute)
    {
        GeneratorRunResult result = RunEdited(new[] { Model(attribute), Other }, 0, Model(attribute).Replace("hiddenSize: 16", "hiddenSize: 24"));

        foreach (string step in AttributeSteps)
        {
            Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, step));
        }

        Assert.Contains(Reasons(result, LstmGenerator.TrackingNames.Kernels), r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
        Assert.Contains("public const int HiddenSize = 24;", GeneratorHarness.Source(result, $"N.Model.{attribute}.g.cs"));
        Assert.Contains("public const int HiddenSize = 24;", GeneratorHarness.Source(result, $"LstmGen.Generated.{attribute}_I4_H24.g.cs"));
        Assert.DoesNotContain(result.GeneratedSources, s => s.HintName == $"LstmGen.Generated.{attribute}_I4_H16.g.cs");
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Types_of_one_layer_shape_share_one_kernel_file_whatever_their_sequence_lengths(string attribute)
    {
        var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, $$"""
            namespace N;
            [LstmGen.{{attribute}}(4, 16, 8)] partial class Short { }
            [LstmGen.{{attribute}}(4, 16, 300)] partial class Long { }
            """));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Equal(
            new[] { $"LstmGen.Generated.{attribute}_I4_H16.g.cs", $"N.Long.{attribute}.g.cs", $"N.Short.{attribute}.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("public const int SequenceLength = 300;", GeneratorHarness.Source(result, $"N.Long.{attribute}.g.cs"));
        Assert.Contains($"global::LstmGen.Generated.{attribute}_I4_H16.", GeneratorHarness.Source(result, $"N.Long.{attribute}.g.cs"));
        Assert.Contains($"global::LstmGen.Generated.{attribute}_I4_H16.", GeneratorHarness.Source(result, $"N.Short.{attribute}.g.cs"));
    }

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Changing_one_types_sequence_length_leaves_the_shared_kernels_unchanged(string attribute)
    {
        string first = $"namespace N; [LstmGen.{attribute}(4, 16, 8)] partial class First {{ }}";
        string second = $"namespace N; [LstmGen.{attribute}(4, 16, 20)] partial class Second {{ }}";
        GeneratorRunResult result = RunEdited(new[] { first, second, Other }, 1, second.Replace("20", "40"));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, LstmGenerator.TrackingNames.Plans));
        Assert.NotEmpty(Reasons(result, LstmGenerator.TrackingNames.Kernels));
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.Kernels, "a sequence-length edit");
        Assert.Contains("public const int SequenceLength = 40;", GeneratorHarness.Source(result, $"N.Second.{attribute}.g.cs"));

        // Only the edited type's file is produced again: the other type's and the kernel file's outputs are cached.
        Assert.Single(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason != IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void An_Lstm_edit_leaves_a_Gru_type_of_the_same_sizes_cached()
    {
        string lstm = "namespace N; [LstmGen.Lstm(4, 16, 8)] partial class Encoder { }";
        string gru = "namespace N; [LstmGen.Gru(4, 16, 8)] partial class Decoder { }";
        GeneratorRunResult result = RunEdited(new[] { lstm, gru }, 0, lstm.Replace("(4, 16, 8)", "(4, 24, 8)"));

        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, LstmGenerator.TrackingNames.Plans));
        Assert.Contains(IncrementalStepRunReason.Cached, Reasons(result, LstmGenerator.TrackingNames.Plans));
        Assert.Equal(
            new[] { "LstmGen.Generated.Gru_I4_H16.g.cs", "LstmGen.Generated.Lstm_I4_H24.g.cs", "N.Decoder.Gru.g.cs", "N.Encoder.Lstm.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        // The GRU's kernels are the same value as before: Unchanged (or Cached), never Modified.
        Assert.Contains(Reasons(result, LstmGenerator.TrackingNames.Kernels), r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_compilations_or_locations()
    {
        // The driver reports a step's run only where it leads to an output: a file holding only invalid types would
        // not show its candidates, so each invalid type shares its file with a valid one of the same attribute.
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model("Lstm"), Other,
            "namespace M; partial class Outer<T> { [LstmGen.Lstm(3, 5, 7)] partial class Nested { } }",
            "namespace G; [LstmGen.Gru(4, 33, 9)] partial class Encoder { } [LstmGen.Gru(4, 33, 900)] partial class Long { } [LstmGen.Gru(0, 8, 10)] class Invalid { }",
            "namespace B; [LstmGen.Lstm(4, 8, 10), LstmGen.Gru(4, 8, 10)] partial class Both { } [LstmGen.Lstm(2, 8, 3)] partial class L { } [LstmGen.Gru(4, 33, 5)] partial class G { }");
        GeneratorRunResult result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        var inspected = new Dictionary<string, int>();
        var cells = new HashSet<CellKind>();
        foreach (string step in AllSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} did not run");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertPlainData(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance), cells);
                    inspected[step] = inspected.GetValueOrDefault(step) + 1;
                }
            }
        }

        // 9 candidates (the invalid ones included; Both is one per attribute), 6 valid types, 4 distinct layer shapes
        // (Encoder, Long and G share one), one options value.
        Assert.Equal(9, inspected[LstmGenerator.TrackingNames.Candidates]);
        Assert.Equal(6, inspected[LstmGenerator.TrackingNames.Plans]);
        Assert.Equal(4, inspected[LstmGenerator.TrackingNames.Kernels]);
        Assert.Equal(1, inspected[LstmGenerator.TrackingNames.Options]);
        Assert.Equal(new[] { CellKind.Lstm, CellKind.Gru }.ToHashSet(), cells);
    }

    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree), typeof(AttributeData) };

    /// <summary>Walks every field (public or not) and every enumerated item, rejecting Roslyn objects; records the cells seen.</summary>
    private static void AssertPlainData(object? value, string path, HashSet<object> seen, HashSet<CellKind> cells)
    {
        if (value is CellKind cell)
        {
            cells.Add(cell);
        }

        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.FullName}");
        Assert.False(type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true, $"{path} holds a {type.FullName}");
        if (value is IEnumerable sequence)
        {
            int index = 0;
            foreach (object? item in sequence)
            {
                AssertPlainData(item, $"{path}[{index++}]", seen, cells);
            }
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertPlainData(field.GetValue(value), $"{path}.{field.Name}", seen, cells);
            }
        }
    }
}
