using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>An <c>AdditionalFiles</c> item held in memory; a null text is a file the compiler could not read.</summary>
internal sealed class ModelFile : AdditionalText
{
    private readonly SourceText? _text;
    private int _reads;

    public ModelFile(string path, string? text)
    {
        Path = path;
        _text = text is null ? null : SourceText.From(text);
    }

    public override string Path { get; }

    /// <summary>How many times its text was asked for (each read of the model file asks once).</summary>
    public int Reads => Volatile.Read(ref _reads);

    public override SourceText? GetText(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return _text;
    }

    public override string ToString() => Path;
}

/// <summary>One run of the generator and the analyzer over the same sources, additional files and MSBuild properties.</summary>
internal sealed record ModelRun(
    CSharpCompilation Input,
    Compilation Output,
    GeneratorRunResult Result,
    ImmutableArray<Diagnostic> DriverDiagnostics,
    ImmutableArray<Diagnostic> AnalyzerDiagnostics,
    IReadOnlyList<Exception> AnalyzerExceptions)
{
    /// <summary>The LSTMxxx diagnostics the analyzer reported.</summary>
    public IEnumerable<Diagnostic> Lstm => AnalyzerDiagnostics.Where(d => d.Id.StartsWith("LSTM", StringComparison.Ordinal));

    public IEnumerable<string> HintNames => Result.GeneratedSources.Select(s => s.HintName);

    /// <summary>Neither the generator nor the analyzer threw (no CS8785 from the driver, no AD0001).</summary>
    public void AssertNoCrash(string what = "")
    {
        Assert.True(Result.Exception is null, $"{what}: the generator threw {Result.Exception}");
        Assert.True(DriverDiagnostics.IsEmpty, $"{what}: driver diagnostics {string.Join("; ", DriverDiagnostics)}");
        Assert.True(AnalyzerExceptions.Count == 0, $"{what}: the analyzer threw {AnalyzerExceptions.FirstOrDefault()}");
        Assert.DoesNotContain(AnalyzerDiagnostics, d => d.Id == "AD0001");
    }
}

/// <summary>Runs <c>[RecurrentModel]</c> sources with model files as <c>AdditionalFiles</c>; reads the fixture model files.</summary>
internal static class ModelHarness
{
    /// <summary>tests/fixtures/models, found from this source file's path (as the snapshot tests find Snapshots/).</summary>
    public static string FixtureDirectory { get; } = FindFixtures();

    private static string FindFixtures([CallerFilePath] string callerPath = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerPath)!, "..", "fixtures", "models"));

    /// <summary>The text of a fixture: <c>Fixture("nam_lstm_h16.nam")</c> or <c>Fixture("invalid/nam_truncated.nam")</c>.</summary>
    public static string Fixture(string relativePath) => File.ReadAllText(Path.Combine(FixtureDirectory, relativePath));

    /// <summary>The valid fixture model files (not the PyTorch references next to them).</summary>
    public static IReadOnlyList<string> ValidFixtures { get; } = Directory.GetFiles(FixtureDirectory)
        .Select(Path.GetFileName)
        .Where(name => (name!.EndsWith(".json", StringComparison.Ordinal) || name.EndsWith(".nam", StringComparison.Ordinal)) && !name.EndsWith(".reference.json", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList()!;

    /// <summary>The project directory the tests pretend to build in (<c>build_property.ProjectDir</c>, with its trailing slash as MSBuild writes it).</summary>
    public const string ProjectDir = "/proj/";

    /// <summary><c>[RecurrentModel("{path}")] partial class {type}</c> in namespace N.</summary>
    public static string Source(string path, string type = "Amp") => $$"""
        namespace N;
        [LstmGen.RecurrentModel("{{path}}")]
        public partial class {{type}} { }
        """;

    public static Task<ModelRun> RunAsync(string source, IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? buildProperties = null, bool allowUnsafe = false)
        => RunAsync(GeneratorHarness.Compile(allowUnsafe, source), files, buildProperties);

    /// <summary>Runs the generator (updating the compilation) and, on the input compilation, the analyzer.</summary>
    public static async Task<ModelRun> RunAsync(CSharpCompilation compilation, IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        ImmutableArray<AdditionalText> additional = files.ToImmutableArray();
        var properties = new GeneratorHarness.BuildProperties(buildProperties ?? new Dictionary<string, string>());
        GeneratorDriver driver = GeneratorHarness.CreateDriver(buildProperties ?? new Dictionary<string, string>(), additional)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> driverDiagnostics);

        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additional, properties),
            onAnalyzerException: (exception, _, _) => exceptions.Enqueue(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> analyzerDiagnostics = await compilation
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LstmAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync();
        return new ModelRun(compilation, output, driver.GetRunResult().Results.Single(), driverDiagnostics, analyzerDiagnostics, exceptions.ToList());
    }

    /// <summary>
    /// The analyzer through Microsoft.CodeAnalysis.Testing, which checks each diagnostic's exact span and message:
    /// <paramref name="files"/> become <c>AdditionalFiles</c>, <paramref name="buildProperties"/> a global analyzer config.
    /// </summary>
    public static async Task VerifyAnalyzerAsync(string source, IEnumerable<(string Path, string Text)> files, IReadOnlyDictionary<string, string>? buildProperties, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<LstmAnalyzer, DefaultVerifier> { TestCode = source, ReferenceAssemblies = new ReferenceAssemblies("net10.0") };
        test.TestState.AdditionalReferences.AddRange(GeneratorHarness.References);
        foreach ((string path, string text) in files)
        {
            test.TestState.AdditionalFiles.Add((path, SourceText.From(text)));
        }

        if (buildProperties is not null)
        {
            string config = "is_global = true\n" + string.Concat(buildProperties.Select(p => $"build_property.{p.Key} = {p.Value}\n"));
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary><c>build_property.ProjectDir = /proj/</c>.</summary>
    public static IReadOnlyDictionary<string, string> InProject { get; } = new Dictionary<string, string> { ["ProjectDir"] = ProjectDir };
}
