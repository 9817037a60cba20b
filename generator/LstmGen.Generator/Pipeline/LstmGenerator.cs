using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Emit;
using LstmGen.Generator.Emit.Kernels;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;
using LstmGen.Generator.Planning;
using LstmGen.Generator.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LstmGen.Generator;

/// <summary>
/// The LstmGen incremental generator: for every valid <c>[Lstm]</c>/<c>[Gru]</c> class, one <c>.Lstm.g.cs</c> /
/// <c>.Gru.g.cs</c> file with its public members, and one kernel file per distinct layer shape in the compilation
/// (<c>LstmGen.Generated.Lstm_I16_H64.g.cs</c>), shared by every type of that shape. Invalid uses produce nothing
/// here; <see cref="Diagnostics.LstmAnalyzer"/> reports them.
/// </summary>
/// <remarks>
/// Pipeline: <c>ForAttributeWithMetadataName</c> → <see cref="LayerCandidate"/> (plain data) →
/// <see cref="LayerSpec"/> (valid configurations only) → <see cref="LayerTypePlan"/> (with the shared
/// <see cref="LayerPlan"/>) → source text. Every stage produces value-equatable records, so an edit that does not
/// change a stage's output stops there.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class LstmGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incremental-caching tests.</summary>
    public static class TrackingNames
    {
        public const string Candidates = nameof(Candidates);
        public const string Specs = nameof(Specs);
        public const string Plans = nameof(Plans);
        public const string Kernels = nameof(Kernels);
        public const string Options = nameof(Options);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<GeneratorOptions> options = context.AnalyzerConfigOptionsProvider
            .Combine(context.CompilationProvider.Select(static (compilation, _) => compilation.Options is CSharpCompilationOptions { AllowUnsafe: true }))
            .Select(static (pair, _) => ReadOptions(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Options);

        IncrementalValuesProvider<LayerTypePlan> lstm = Layers(context, CellKind.Lstm, options);
        IncrementalValuesProvider<LayerTypePlan> gru = Layers(context, CellKind.Gru, options);

        foreach (IncrementalValuesProvider<LayerTypePlan> plans in new[] { lstm, gru })
        {
            context.RegisterSourceOutput(plans, static (output, plan) =>
                output.AddSource(plan.Type.HintName(AttributeParser.FileSuffix(plan.Cell.AttributeName)), LayerTypeEmitter.Emit(plan)));
        }

        // One kernel file per distinct layer (cell, sizes, options) among all types of the compilation.
        IncrementalValuesProvider<LayerPlan> kernels = lstm.Collect()
            .Combine(gru.Collect())
            .SelectMany(static (pair, _) => Distinct(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Kernels);
        context.RegisterSourceOutput(kernels, static (output, plan) => output.AddSource(KernelFileEmitter.HintName(plan), KernelFileEmitter.Emit(plan)));
    }

    private static IncrementalValuesProvider<LayerTypePlan> Layers(IncrementalGeneratorInitializationContext context, CellKind cell, IncrementalValueProvider<GeneratorOptions> options)
    {
        IncrementalValuesProvider<LayerCandidate> candidates = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeParser.MetadataName(cell),
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                transform: (attributeContext, cancellationToken) => CreateCandidate(cell, attributeContext, cancellationToken))
            .WithTrackingName(TrackingNames.Candidates);

        IncrementalValuesProvider<LayerSpec> specs = candidates
            .Select(static (candidate, _) => Rules.ToSpec(candidate))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Specs);

        return specs
            .Combine(options)
            .Where(static pair => pair.Right.IsValid)
            .Select(static (pair, _) => new LayerTypePlan(
                pair.Left.Type,
                pair.Left.SequenceLength,
                LayerPlanner.Plan(pair.Left.Cell, pair.Left.InputSize, pair.Left.HiddenSize, pair.Right.InstructionSets, pair.Right.AggressiveOptimization, pair.Right.SkipLocalsInit)))
            .WithTrackingName(TrackingNames.Plans);
    }

    private static IEnumerable<LayerPlan> Distinct(ImmutableArray<LayerTypePlan> first, ImmutableArray<LayerTypePlan> second)
    {
        var seen = new HashSet<LayerPlan>();
        var ordered = new List<LayerPlan>();
        foreach (ImmutableArray<LayerTypePlan> plans in new[] { first, second })
        {
            foreach (LayerTypePlan plan in plans)
            {
                if (seen.Add(plan.Layer))
                {
                    ordered.Add(plan.Layer);
                }
            }
        }

        // Hint names must be unique and the order deterministic: sort by kernel class name.
        ordered.Sort(static (a, b) => string.CompareOrdinal(a.KernelClassName, b.KernelClassName));
        return ordered;
    }

    /// <summary>MSBuild properties: LstmGenAggressiveOptimization (default true) and LstmGenInstructionSets (default all).</summary>
    private static GeneratorOptions ReadOptions(AnalyzerConfigOptionsProvider provider, bool allowUnsafe)
    {
        bool aggressive = !provider.GlobalOptions.TryGetValue("build_property.LstmGenAggressiveOptimization", out string? value)
            || !string.Equals(value?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase);
        provider.GlobalOptions.TryGetValue("build_property.LstmGenInstructionSets", out string? sets);
        return new GeneratorOptions(aggressive, allowUnsafe, Rules.ParseInstructionSets(sets), sets ?? string.Empty);
    }

    private static LayerCandidate CreateCandidate(CellKind cell, GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        return AttributeParser.CreateCandidate(cell, type, context.Attributes[0], context.SemanticModel.Compilation, cancellationToken);
    }
}
