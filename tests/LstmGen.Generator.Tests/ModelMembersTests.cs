using Microsoft.CodeAnalysis;
using Xunit;
using static LstmGen.Generator.Tests.ModelHarness;

namespace LstmGen.Generator.Tests;

/// <summary>
/// <see cref="ModelMembers.All"/> is the registry of the names a <c>[RecurrentModel]</c> type receives: a compiled
/// generated type declares exactly those, less <c>SampleRate</c> and the initial-state data when its file has none.
/// </summary>
public sealed class ModelMembersTests
{
    [Fact]
    public void The_registry_has_no_duplicates()
    {
        Assert.Equal(ModelMembers.All.Length, ModelMembers.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    // A .nam file states a sample rate and stores an initial state; a state_dict has neither; RTNeural and
    // Automated-GuitarAmpModelling JSON neither (the latter with a skip connection).
    [InlineData("nam_lstm_h8_l2.nam", true)]
    [InlineData("statedict_lstm_i1_h8_l3_linear_o1.json", false)]
    [InlineData("rtneural_gru12_dense4tanh_dense1sigmoid.json", false)]
    [InlineData("agam_lstm_i1_h3_l2_skip0.json", false)]
    public async Task A_compiled_model_type_declares_exactly_the_registered_members(string fixture, bool fileHasSampleRateAndInitialState)
    {
        const string source = """
            namespace N;
            [LstmGen.RecurrentModel("m.model")]
            public partial class Model
            {
                public int UserProperty => 1;
                private void UserMethod() { }
            }
            """;
        ModelRun run = await RunAsync(source, new[] { new ModelFile("/proj/m.model", Fixture(fixture)) }, InProject);
        run.AssertNoCrash(fixture);
        Assert.Empty(run.Lstm);
        Assert.Empty(GeneratorHarness.Problems(run.Output));
        SyntaxTree typeFile = Assert.Single(run.Output.SyntaxTrees, t => t.FilePath.EndsWith("N.Model.RecurrentModel.g.cs", StringComparison.Ordinal));
        INamedTypeSymbol type = run.Output.GetTypeByMetadataName("N.Model")!;

        // Every member declared in the generated type file: not the compiler's implicit ones, nor accessors.
        List<ISymbol> generated = type.GetMembers()
            .Where(m => !m.IsImplicitlyDeclared && m is not IMethodSymbol { AssociatedSymbol: not null }
                && m.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == typeFile))
            .ToList();
        Assert.All(generated, m => Assert.All(m.DeclaringSyntaxReferences, r => Assert.Same(typeFile, r.SyntaxTree)));

        // Explicit implementations of IRecurrentModel have qualified names no user member can take.
        INamedTypeSymbol modelInterface = run.Output.GetTypeByMetadataName("LstmGen.IRecurrentModel")!;
        Assert.Contains(modelInterface, type.Interfaces, SymbolEqualityComparer.Default);
        List<ISymbol> explicitImplementations = generated.Where(m => m is IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 } or IMethodSymbol { ExplicitInterfaceImplementations.Length: > 0 }).ToList();
        Assert.All(explicitImplementations, m => Assert.Equal(modelInterface,
            (m is IPropertySymbol p ? p.ExplicitInterfaceImplementations[0].ContainingType : ((IMethodSymbol)m).ExplicitInterfaceImplementations[0].ContainingType), SymbolEqualityComparer.Default));

        string[] names = generated.Except(explicitImplementations, SymbolEqualityComparer.Default).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToArray();
        string[] registry = ModelMembers.All
            .Where(n => fileHasSampleRateAndInitialState || n is not (ModelMembers.SampleRate or ModelMembers.InitialStateData))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.True(registry.SequenceEqual(names),
            $"missing from the generated type: {string.Join(", ", registry.Except(names))}; not in the registry: {string.Join(", ", names.Except(registry))}");
    }
}
