using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// Help links come from one MSBuild property, LstmGenDocsBaseUrl (generator/Directory.Build.props), compiled into
/// the generator assembly. While it is empty (the help pages have no public address yet) no diagnostic links anywhere.
/// </summary>
public sealed class HelpLinkTests
{
    /// <summary>Every descriptor DiagnosticDescriptors declares, and every one the analyzer says it supports.</summary>
    private static IReadOnlyList<DiagnosticDescriptor> AllDescriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .Concat(new LstmAnalyzer().SupportedDiagnostics)
            .Distinct()
            .ToList();

    /// <summary>The IDs LstmGen reports (LSTM010 to LSTM014 are reserved for the model-file diagnostics).</summary>
    private static readonly string[] Ids =
    {
        "LSTM001", "LSTM002", "LSTM003", "LSTM004", "LSTM005", "LSTM006", "LSTM007", "LSTM008", "LSTM009", "LSTM010", "LSTM011", "LSTM012", "LSTM013", "LSTM014", "LSTM015", "LSTM016",
    };

    [Fact]
    public void Every_diagnostic_is_covered()
    {
        Assert.Equal(Ids, AllDescriptors().Select(d => d.Id).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(Ids, new LstmAnalyzer().SupportedDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_diagnostic_has_a_help_page_with_its_title_and_severity()
    {
        string docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        foreach (DiagnosticDescriptor descriptor in AllDescriptors())
        {
            string page = Path.Combine(docs, descriptor.Id + ".md");
            Assert.True(File.Exists(page), $"no help page {page}");
            string[] lines = File.ReadAllLines(page);
            Assert.StartsWith($"# {descriptor.Id}: ", lines[0]);
            Assert.Contains($"Severity: **{descriptor.DefaultSeverity}** · Category: {descriptor.Category}", lines);
        }
    }

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    // When the docs are published and generator/Directory.Build.props sets LstmGenDocsBaseUrl, this test is to go:
    // Help_links_follow_the_docs_base_url_the_generator_was_built_with covers that case.
    [Fact]
    public void With_the_default_empty_docs_base_url_no_diagnostic_has_a_help_link()
    {
        Assert.Equal("", DiagnosticDescriptors.DocsBaseUrl);
        Assert.DoesNotContain(
            typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>(),
            a => a.Key == DiagnosticDescriptors.DocsBaseUrlMetadataName);
        Assert.All(AllDescriptors(), d => Assert.Equal("", d.HelpLinkUri));
    }

    [Fact]
    public void Help_links_follow_the_docs_base_url_the_generator_was_built_with()
    {
        Assert.All(AllDescriptors(), d =>
            Assert.Equal(DiagnosticDescriptors.HelpLinkFor(DiagnosticDescriptors.DocsBaseUrl, d.Id) ?? "", d.HelpLinkUri));
    }

    [Theory]
    [InlineData("https://docs.example.test/lstmgen/diagnostics")]
    [InlineData("https://docs.example.test/lstmgen/diagnostics/")]
    public void A_docs_base_url_gives_each_diagnostic_its_page(string docsBaseUrl)
    {
        Assert.Equal("https://docs.example.test/lstmgen/diagnostics/LSTM001.md", DiagnosticDescriptors.HelpLinkFor(docsBaseUrl, "LSTM001"));
        Assert.Equal("https://docs.example.test/lstmgen/diagnostics/LSTM009.md", DiagnosticDescriptors.HelpLinkFor(docsBaseUrl, "LSTM009"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_docs_base_url_gives_no_link(string docsBaseUrl) =>
        Assert.Null(DiagnosticDescriptors.HelpLinkFor(docsBaseUrl, "LSTM001"));
}
