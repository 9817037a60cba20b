using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static LstmGen.Generator.Tests.Verifiers;

namespace LstmGen.Generator.Tests;

/// <summary>
/// <see cref="GeneratedMembers.Layer"/> is the one registry of the names the generator puts into a user's type: it
/// is exactly what a compiled generated <c>[Lstm]</c>/<c>[Gru]</c> type declares, and the member-clash rule (LSTM006)
/// reports a user member named like any of its entries.
/// </summary>
public sealed class GeneratedMembersTests
{
    public static TheoryData<string> Attributes => GeneratorHarness.Attributes;

    [Fact]
    public void The_registry_has_no_duplicates()
    {
        Assert.Equal(GeneratedMembers.Layer.Length, GeneratedMembers.Layer.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    // The snapshot sizes; tiny (scalar kernels); a single unit; a narrow group over several panels; an input too wide
    // for a stack copy in Step's aliased case; Backward's stack budget exceeded.
    [InlineData("Lstm", 16, 64, 32)]
    [InlineData("Gru", 16, 64, 32)]
    [InlineData("Lstm", 3, 5, 7)]
    [InlineData("Gru", 3, 5, 7)]
    [InlineData("Gru", 1, 1, 1)]
    [InlineData("Lstm", 2, 300, 4)]
    [InlineData("Gru", 5000, 8, 4)]
    [InlineData("Lstm", 4, 64, 1000)]
    public void A_generated_type_declares_exactly_the_registered_members(string attribute, int input, int hidden, int steps)
    {
        var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, $$"""
            namespace N;
            [LstmGen.{{attribute}}({{input}}, {{hidden}}, {{steps}})]
            public partial class Model
            {
                public int UserProperty => 1;
                private void UserMethod() { }
            }
            """));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        SyntaxTree typeFile = Assert.Single(output.SyntaxTrees, t => t.FilePath.EndsWith($"N.Model.{attribute}.g.cs", StringComparison.Ordinal));
        INamedTypeSymbol type = output.GetTypeByMetadataName("N.Model")!;

        // Every member some declaration of which is in the generated type file: not the compiler's implicit ones, nor
        // property and event accessors (they go with their property or event).
        List<ISymbol> generated = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null }
                && m.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == typeFile))
            .ToList();
        Assert.All(generated, m => Assert.All(m.DeclaringSyntaxReferences, r => Assert.Same(typeFile, r.SyntaxTree)));

        // Explicit interface implementations have qualified names no user member can take: they are not in the
        // registry, but must be exactly the interface's own members.
        List<ISymbol> explicitImplementations = generated.Where(IsExplicitImplementation).ToList();
        INamedTypeSymbol modelInterface = output.GetTypeByMetadataName($"LstmGen.I{attribute}")!;
        Assert.Contains(modelInterface, type.Interfaces, SymbolEqualityComparer.Default);
        Assert.All(explicitImplementations, m => Assert.All(ImplementedMembers(m), i => Assert.Equal(modelInterface, i.ContainingType, SymbolEqualityComparer.Default)));

        string[] names = generated.Except(explicitImplementations, SymbolEqualityComparer.Default).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        string[] registry = GeneratedMembers.Layer.Order(StringComparer.Ordinal).ToArray();
        Assert.True(registry.SequenceEqual(names),
            $"missing from the generated type: {string.Join(", ", registry.Except(names))}; not in the registry: {string.Join(", ", names.Except(registry))}");
    }

    private static bool IsExplicitImplementation(ISymbol member) => member switch
    {
        IPropertySymbol p => p.ExplicitInterfaceImplementations.Length > 0,
        IMethodSymbol m => m.ExplicitInterfaceImplementations.Length > 0,
        IEventSymbol e => e.ExplicitInterfaceImplementations.Length > 0,
        _ => false,
    };

    private static IEnumerable<ISymbol> ImplementedMembers(ISymbol member) => member switch
    {
        IPropertySymbol p => p.ExplicitInterfaceImplementations,
        IMethodSymbol m => m.ExplicitInterfaceImplementations,
        IEventSymbol e => e.ExplicitInterfaceImplementations,
        _ => Enumerable.Empty<ISymbol>(),
    };

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM006_reports_a_user_member_named_like_each_registry_entry(string attribute)
    {
        var source = new StringBuilder($"[LstmGen.{attribute}(4, 8, 10)]\npartial class M\n{{\n");
        var expected = new List<DiagnosticResult>();
        for (int k = 0; k < GeneratedMembers.Layer.Length; k++)
        {
            string name = GeneratedMembers.Layer[k];
            source.Append($"    public int {{|#{k}:{name}|}};\n");
            expected.Add(Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(k).WithArguments("M", name));
        }

        source.Append("    public int NotGenerated;\n}\n");
        return VerifyAnalyzerAsync(source.ToString(), expected.ToArray());
    }

    [Theory]
    [InlineData("Lstm", "_lstmGenParameters")]
    [InlineData("Gru", "_lstmGenGradients")]
    [InlineData("Lstm", "LstmGenLayout")]
    [InlineData("Gru", "BackwardStackSteps")]
    [InlineData("Lstm", "ExportGradientsPyTorch")]
    [InlineData("Gru", "Step")]
    public void A_clashing_member_of_any_kind_stops_generation(string attribute, string name)
    {
        foreach (string member in new[] { $"private int {name};", $"public void {name}(string s) {{ }}", $"public class {name} {{ }}" })
        {
            var (_, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(false, $"[LstmGen.{attribute}(4, 8, 10)] partial class M {{ {member} }}"));
            Assert.Empty(diagnostics);
            Assert.Empty(result.GeneratedSources);
        }
    }
}
