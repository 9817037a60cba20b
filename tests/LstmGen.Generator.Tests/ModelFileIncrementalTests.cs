using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using static LstmGen.Generator.Tests.ModelHarness;

namespace LstmGen.Generator.Tests;

/// <summary>
/// The <c>[RecurrentModel]</c> pipeline caches: an unrelated C# edit re-runs nothing and does not read the model file
/// again; an edit of the file reads it again and changes exactly what it must; pipeline values are plain data; model
/// files and <c>[Lstm]</c> types of one layer shape share one kernel file.
/// </summary>
public sealed class ModelFileIncrementalTests
{
    private const string Model = """
        namespace N;
        [LstmGen.RecurrentModel("m.json")]
        public partial class Amp { }
        """;

    private const string Other = """
        namespace N;
        public class Unrelated { public int Value; }
        """;

    private static readonly string[] ModelSteps =
    {
        LstmGenerator.TrackingNames.ModelCandidates, LstmGenerator.TrackingNames.ModelSpecs, LstmGenerator.TrackingNames.ModelPlans,
    };

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps.TryGetValue(step, out var runs) ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason) : Enumerable.Empty<IncrementalStepRunReason>();

    private static void AssertCachedOrUnchanged(GeneratorRunResult result, string step, string after)
    {
        Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} did not run");
        Assert.NotEmpty(Reasons(result, step));
        Assert.All(Reasons(result, step), reason => Assert.True(
            reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} was {reason} after {after}"));
    }

    private static GeneratorRunResult Single(GeneratorDriver driver) => driver.GetRunResult().Results.Single();

    [Fact]
    public void An_unrelated_edit_leaves_the_model_steps_cached_and_does_not_read_the_file_again()
    {
        var file = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model, Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, new[] { file }).RunGenerators(compilation);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", Single(driver).GeneratedSources.Select(s => s.HintName));
        int reads = file.Reads;
        Assert.True(reads >= 1);

        SyntaxTree tree = compilation.SyntaxTrees.Single(t => t.FilePath == "Source1.cs");
        CSharpCompilation next = compilation.ReplaceSyntaxTree(tree, CSharpSyntaxTree.ParseText(Other.Replace("public int Value;", "public int Value; public string Name = \"\";"), (CSharpParseOptions)tree.Options, tree.FilePath));
        GeneratorRunResult result = Single(driver.RunGenerators(next));

        foreach (string step in ModelSteps.Append(LstmGenerator.TrackingNames.Kernels))
        {
            AssertCachedOrUnchanged(result, step, "an unrelated edit");
        }

        Assert.Equal(reads, file.Reads); // the file was not read (so not parsed) again
        Assert.NotEmpty(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs));
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_a_weight_in_the_file_reads_it_again_and_regenerates_the_type_but_not_the_kernels()
    {
        var before = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model, Other);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, new[] { before }).RunGenerators(compilation);
        string oldType = GeneratorHarness.Source(Single(driver), "N.Amp.RecurrentModel.g.cs");
        Assert.Contains("2.5f", oldType);

        var after = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict.ReplaceOnce("2.5", "-3.75"));
        GeneratorRunResult result = Single(driver.ReplaceAdditionalText(before, after).RunGenerators(compilation));

        Assert.True(after.Reads >= 1);
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.ModelCandidates, "a file edit");
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, LstmGenerator.TrackingNames.ModelSpecs));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(result, LstmGenerator.TrackingNames.ModelPlans));
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.Kernels, "a weight edit"); // the same layer shape

        string newType = GeneratorHarness.Source(result, "N.Amp.RecurrentModel.g.cs");
        Assert.Contains("-3.75f", newType);
        Assert.DoesNotContain("2.5f", newType);
        Assert.Equal(oldType.Replace("2.5f", "-3.75f"), newType);

        // Only the type file is produced again.
        Assert.Single(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => o.Reason != IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_the_hidden_size_in_the_file_replaces_the_kernel_file()
    {
        var before = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, new[] { before }).RunGenerators(compilation);
        Assert.Contains("LstmGen.Generated.Lstm_I1_H1.g.cs", Single(driver).GeneratedSources.Select(s => s.HintName));

        var after = new ModelFile("/proj/m.json", ModelTexts.StateDictLstm(1, 2));
        GeneratorRunResult result = Single(driver.ReplaceAdditionalText(before, after).RunGenerators(compilation));

        Assert.Equal(new[] { "LstmGen.Generated.Lstm_I1_H2.g.cs", "N.Amp.RecurrentModel.g.cs" }, result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("public const int StateLength = 4;", GeneratorHarness.Source(result, "N.Amp.RecurrentModel.g.cs"));
        Assert.Contains(Reasons(result, LstmGenerator.TrackingNames.Kernels), r => r is IncrementalStepRunReason.Modified or IncrementalStepRunReason.New);
    }

    [Fact]
    public void The_same_text_in_a_new_file_object_is_read_again_but_changes_nothing()
    {
        var before = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, new[] { before }).RunGenerators(compilation);

        var after = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        GeneratorRunResult result = Single(driver.ReplaceAdditionalText(before, after).RunGenerators(compilation));

        Assert.True(after.Reads >= 1);
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.ModelSpecs, "the same text");
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.ModelPlans, "the same text");
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void An_edit_of_another_additional_file_leaves_the_model_outputs_cached()
    {
        // Each model is looked up in the whole AdditionalFiles list, so a change to any item re-reads it (the spec
        // comes out equal): what must not happen is work downstream of the spec.
        var model = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        var notes = new ModelFile("/proj/notes.txt", "first");
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, new[] { model, notes }).RunGenerators(compilation);

        GeneratorRunResult result = Single(driver.ReplaceAdditionalText(notes, new ModelFile("/proj/notes.txt", "second")).RunGenerators(compilation));

        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.ModelSpecs, "another file's edit");
        AssertCachedOrUnchanged(result, LstmGenerator.TrackingNames.ModelPlans, "another file's edit");
        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Breaking_the_file_removes_the_generated_type_and_mending_it_restores_it()
    {
        var good = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, new[] { good }).RunGenerators(compilation);
        string original = GeneratorHarness.Source(Single(driver), "N.Amp.RecurrentModel.g.cs");

        var broken = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict.Substring(0, 100));
        driver = driver.ReplaceAdditionalText(good, broken).RunGenerators(compilation);
        Assert.Empty(Single(driver).GeneratedSources);

        var mended = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        driver = driver.ReplaceAdditionalText(broken, mended).RunGenerators(compilation);
        Assert.Equal(original, GeneratorHarness.Source(Single(driver), "N.Amp.RecurrentModel.g.cs"));
    }

    [Fact]
    public void Adding_the_missing_file_generates_the_type_and_removing_it_removes_the_type()
    {
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Model);
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, Array.Empty<AdditionalText>()).RunGenerators(compilation);
        Assert.Empty(Single(driver).GeneratedSources);

        var file = new ModelFile("/proj/m.json", ModelTexts.TinyStateDict);
        driver = driver.AddAdditionalTexts(System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(file)).RunGenerators(compilation);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", Single(driver).GeneratedSources.Select(s => s.HintName));

        driver = driver.RemoveAdditionalTexts(System.Collections.Immutable.ImmutableArray.Create<AdditionalText>(file)).RunGenerators(compilation);
        Assert.Empty(Single(driver).GeneratedSources);
    }

    [Fact]
    public void Two_model_files_and_an_Lstm_type_of_one_layer_shape_share_one_kernel_file()
    {
        const string source = """
            namespace N;
            [LstmGen.RecurrentModel("a.json")] public partial class FromStateDict { }
            [LstmGen.RecurrentModel("b.json")] public partial class FromGuitarAmp { }
            [LstmGen.RecurrentModel("c.nam")] public partial class FromNam { }
            [LstmGen.Lstm(1, 1, 5)] public partial class Layer { }
            """;
        ModelFile[] files =
        {
            new("/proj/a.json", ModelTexts.TinyStateDict), new("/proj/b.json", ModelTexts.TinyGuitarAmp), new("/proj/c.nam", ModelTexts.TinyNam),
        };
        GeneratorDriver driver = GeneratorHarness.CreateDriver(InProject, files).RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compile(false, source), out Compilation output, out var diagnostics);
        GeneratorRunResult result = Single(driver);
        Assert.Empty(diagnostics);
        Assert.Equal(
            new[] { "LstmGen.Generated.Lstm_I1_H1.g.cs", "N.FromGuitarAmp.RecurrentModel.g.cs", "N.FromNam.RecurrentModel.g.cs", "N.FromStateDict.RecurrentModel.g.cs", "N.Layer.Lstm.g.cs" },
            result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Single(Reasons(result, LstmGenerator.TrackingNames.Kernels));
        foreach (string type in new[] { "FromStateDict", "FromGuitarAmp", "FromNam" })
        {
            Assert.Contains("global::LstmGen.Generated.Lstm_I1_H1.Step(", GeneratorHarness.Source(result, $"N.{type}.RecurrentModel.g.cs"));
        }

        Assert.Empty(GeneratorHarness.Problems(output));
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_compilations_or_locations()
    {
        const string source = """
            namespace N;
            [LstmGen.RecurrentModel("Models/amp.nam")] public partial class Amp { }
            [LstmGen.RecurrentModel("Models/stack.json")] public partial class Stack { }
            partial class Outer<T> { [LstmGen.RecurrentModel("Models/amp.nam")] internal partial class Nested { } }
            [LstmGen.RecurrentModel("Models/missing.json")] public partial class Missing { }
            [LstmGen.RecurrentModel("Models/amp.nam")] public class NotPartial { }
            [LstmGen.Lstm(1, 16, 4)] public partial class Layer { }
            """;
        ModelFile[] files =
        {
            new("/proj/Models/amp.nam", Fixture("nam_lstm_h16.nam")), new("/proj/Models/stack.json", Fixture("statedict_lstm_h16_gru_h12_linear4_linear1.json")),
        };
        GeneratorRunResult result = Single(GeneratorHarness.CreateDriver(InProject, files).RunGenerators(GeneratorHarness.Compile(false, source)));

        var inspected = new Dictionary<string, int>();
        var cells = new HashSet<CellKind>();
        foreach (string step in ModelSteps.Append(LstmGenerator.TrackingNames.Kernels))
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

        // Amp, Stack, Nested (and the invalid ones, where the driver shows them); 3 valid specs and plans; kernels
        // LSTM(1→16) shared by the .nam models and [Lstm], LSTM(1→16) of the state_dict too, GRU(16→12).
        Assert.True(inspected[LstmGenerator.TrackingNames.ModelCandidates] >= 3, $"{inspected[LstmGenerator.TrackingNames.ModelCandidates]} candidates");
        Assert.Equal(3, inspected[LstmGenerator.TrackingNames.ModelSpecs]);
        Assert.Equal(3, inspected[LstmGenerator.TrackingNames.ModelPlans]);
        Assert.Equal(2, inspected[LstmGenerator.TrackingNames.Kernels]);
        Assert.Equal(new[] { CellKind.Lstm, CellKind.Gru }.ToHashSet(), cells);
    }

    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree), typeof(AttributeData), typeof(AdditionalText) };

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
        if (value is IEnumerable<float>)
        {
            return; // weights: plain numbers
        }

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
