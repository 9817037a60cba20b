using System.Collections.Immutable;
using LstmGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace LstmGen.Generator.Tests;

/// <summary>
/// Analyzer and code-fix test drivers (Microsoft.CodeAnalysis.Testing). References come from the running
/// framework plus LstmGen.dll, so the tests need no reference-assembly download.
/// </summary>
internal static class Verifiers
{
    private static readonly ReferenceAssemblies NoPackages = new("net10.0");

    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return tpa.Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(LstmAttribute).Assembly.Location))
            .ToImmutableArray();
    }

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        VerifyAnalyzerAsync(source, buildProperties: null, expected);

    /// <summary>
    /// Runs the analyzer with MSBuild properties as the SDK passes them: <c>build_property.NAME = value</c> lines in a
    /// global analyzer config (<c>is_global = true</c>).
    /// </summary>
    public static async Task VerifyAnalyzerAsync(string source, IReadOnlyDictionary<string, string>? buildProperties, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<LstmAnalyzer, DefaultVerifier> { TestCode = source, ReferenceAssemblies = NoPackages };
        test.TestState.AdditionalReferences.AddRange(References);
        if (buildProperties is not null)
        {
            string config = "is_global = true\n" + string.Concat(buildProperties.Select(p => $"build_property.{p.Key} = {p.Value}\n"));
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", config));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static async Task VerifyCodeFixAsync<TCodeFix>(string source, DiagnosticResult[] expected, string fixedSource, int? codeActionIndex = null)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<LstmAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = source,
            FixedCode = fixedSource,
            ReferenceAssemblies = NoPackages,
            CodeActionIndex = codeActionIndex,
        };
        test.TestState.AdditionalReferences.AddRange(References);
        test.FixedState.AdditionalReferences.AddRange(References);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
