using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Emit;
using LstmGen.Generator.Emit.Kernels;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;
using LstmGen.Generator.Parsing.ModelFiles;
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
        public const string ModelCandidates = nameof(ModelCandidates);
        public const string ModelSpecs = nameof(ModelSpecs);
        public const string ModelPlans = nameof(ModelPlans);
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

        IncrementalValuesProvider<ModelTypePlan> models = Models(context, options);
        context.RegisterSourceOutput(models, static (output, plan) =>
            output.AddSource(plan.Type.HintName(AttributeParser.FileSuffix("RecurrentModel")), ModelTypeEmitter.Emit(plan, plan.Layers[0].AggressiveOptimization)));

        // One kernel file per distinct layer (cell, sizes, options) among all types and model files of the compilation.
        IncrementalValuesProvider<LayerPlan> kernels = lstm.Collect()
            .Combine(gru.Collect())
            .Combine(models.Collect())
            .SelectMany(static (pair, _) => Distinct(pair.Left.Left, pair.Left.Right, pair.Right))
            .WithTrackingName(TrackingNames.Kernels);
        context.RegisterSourceOutput(kernels, static (output, plan) => output.AddSource(KernelFileEmitter.HintName(plan), KernelFileEmitter.Emit(plan)));
    }

    private static IncrementalValuesProvider<ModelTypePlan> Models(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<GeneratorOptions> options)
    {
        IncrementalValueProvider<string?> projectDirectory = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => provider.GlobalOptions.TryGetValue("build_property.ProjectDir", out string? directory) ? directory : null);

        IncrementalValuesProvider<ModelCandidate> candidates = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeParser.RecurrentModelAttribute,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                transform: static (attributeContext, cancellationToken) => AttributeParser.CreateModelCandidate(
                    (INamedTypeSymbol)attributeContext.TargetSymbol, attributeContext.Attributes[0], attributeContext.SemanticModel.Compilation, cancellationToken))
            .WithTrackingName(TrackingNames.ModelCandidates);

        // The file is read here, from the AdditionalFiles: an edit of unrelated code leaves both inputs unchanged, so the
        // file is not read again; an edit of the file changes the texts and re-reads it.
        IncrementalValuesProvider<ModelSpec> specs = candidates
            .Where(static candidate => !Rules.HasErrors(Rules.ValidateModel(candidate)) && Count(candidate.ModelAttributes, "RecurrentModel") == 1)
            .Combine(context.AdditionalTextsProvider.Collect())
            .Combine(projectDirectory)
            .Select(static (pair, cancellationToken) =>
            {
                ModelCandidate candidate = pair.Left.Left;
                ModelFileResult result = ModelFileLocator.Load(candidate.Path!, pair.Left.Right, pair.Right, cancellationToken);
                return result.Network is null ? null : new ModelSpec(candidate.Type, candidate.Path!, result.Network);
            })
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.ModelSpecs);

        return specs
            .Combine(options)
            .Where(static pair => pair.Right.IsValid)
            .Select(static (pair, _) =>
            {
                var layers = new List<LayerPlan>();
                foreach (NetworkStage stage in pair.Left.Network.Stages)
                {
                    if (stage.Recurrent is { } r)
                    {
                        layers.Add(LayerPlanner.Plan(r.Cell, r.InputSize, r.HiddenSize, pair.Right.InstructionSets, pair.Right.AggressiveOptimization, pair.Right.SkipLocalsInit));
                    }
                }

                return new ModelTypePlan(pair.Left.Type, pair.Left.Path, pair.Left.Network, layers.ToEquatableArray());
            })
            .WithTrackingName(TrackingNames.ModelPlans);
    }

    private static int Count(EquatableArray<string> names, string name)
    {
        int count = 0;
        foreach (string n in names)
        {
            count += n == name ? 1 : 0;
        }

        return count;
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

    private static IEnumerable<LayerPlan> Distinct(ImmutableArray<LayerTypePlan> lstm, ImmutableArray<LayerTypePlan> gru, ImmutableArray<ModelTypePlan> models)
    {
        var seen = new HashSet<LayerPlan>();
        var ordered = new List<LayerPlan>();
        foreach (LayerPlan layer in AllLayers())
        {
            if (seen.Add(layer))
            {
                ordered.Add(layer);
            }
        }

        // Hint names must be unique and the order deterministic: sort by kernel class name.
        ordered.Sort(static (a, b) => string.CompareOrdinal(a.KernelClassName, b.KernelClassName));
        return ordered;

        IEnumerable<LayerPlan> AllLayers()
        {
            foreach (LayerTypePlan plan in lstm)
            {
                yield return plan.Layer;
            }

            foreach (LayerTypePlan plan in gru)
            {
                yield return plan.Layer;
            }

            foreach (ModelTypePlan plan in models)
            {
                foreach (LayerPlan layer in plan.Layers)
                {
                    yield return layer;
                }
            }
        }
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
