using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using LstmGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LstmGen.Generator.Tests;

/// <summary>Compiles test sources against the running framework plus LstmGen, and runs the generator on them.</summary>
internal static class GeneratorHarness
{
    /// <summary>The two attributes every attribute-level test runs with, as xUnit data.</summary>
    public static Xunit.TheoryData<string> Attributes => new() { "Lstm", "Gru" };

    public static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = tpa.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(LstmAttribute).Assembly.Location));
        return references.ToImmutableArray();
    }

    public static CSharpCompilation Compile(bool allowUnsafe, params string[] sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        return CSharpCompilation.Create(
            "TestAssembly",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: allowUnsafe,
                generalDiagnosticOption: ReportDiagnostic.Error));
    }

    /// <summary>
    /// A driver with step tracking; <paramref name="buildProperties"/> become <c>build_property.*</c> global options,
    /// <paramref name="additionalTexts"/> the project's <c>AdditionalFiles</c>.
    /// </summary>
    public static GeneratorDriver CreateDriver(IReadOnlyDictionary<string, string>? buildProperties = null, IEnumerable<AdditionalText>? additionalTexts = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new LstmGenerator().AsSourceGenerator() },
            additionalTexts: additionalTexts,
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            optionsProvider: buildProperties is null ? null : new BuildProperties(buildProperties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the output compilation, generated sources and the driver's diagnostics.</summary>
    public static (Compilation Output, GeneratorRunResult Result, ImmutableArray<Diagnostic> Diagnostics) Run(
        CSharpCompilation compilation, IReadOnlyDictionary<string, string>? buildProperties = null, IEnumerable<AdditionalText>? additionalTexts = null)
    {
        GeneratorDriver driver = CreateDriver(buildProperties, additionalTexts).RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, driver.GetRunResult().Results.Single(), diagnostics);
    }

    /// <summary>The text of the generated file named <paramref name="hintName"/> (fails listing the names if there is none).</summary>
    public static string Source(GeneratorRunResult result, string hintName)
    {
        GeneratedSourceResult[] matches = result.GeneratedSources.Where(s => s.HintName == hintName).ToArray();
        Xunit.Assert.True(matches.Length == 1, $"no generated file {hintName}; generated: {string.Join(", ", result.GeneratedSources.Select(s => s.HintName))}");
        return matches[0].SourceText.ToString();
    }

    /// <summary>Errors and warnings of a compilation, excluding none: generated code must be warning-free.</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    /// <summary>MSBuild properties as the compiler passes them to generators: global options named <c>build_property.NAME</c>.</summary>
    internal sealed class BuildProperties : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global;

        public BuildProperties(IReadOnlyDictionary<string, string> properties) =>
            _global = new Options(properties.ToDictionary(p => "build_property." + p.Key, p => p.Value));

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new(new Dictionary<string, string>());

            private readonly Dictionary<string, string> _values;

            public Options(Dictionary<string, string> values) => _values = values;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
        }
    }
}
