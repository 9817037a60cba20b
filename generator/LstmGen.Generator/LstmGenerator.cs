using System.Threading;
using Microsoft.CodeAnalysis;

namespace LstmGen.Generator;

/// <summary>
/// The LstmGen incremental generator: for every valid <c>[Lstm]</c> class, one <c>.Lstm.g.cs</c> file with the
/// specialized LSTM. Invalid uses produce nothing here; <see cref="LstmAnalyzer"/> reports them.
/// </summary>
/// <remarks>
/// Pipeline: <c>ForAttributeWithMetadataName</c> → <see cref="LstmCandidate"/> (plain data) →
/// <see cref="LstmSpec"/> (valid configurations only) → <see cref="LstmPlan"/> → source text. Every stage
/// produces value-equatable records, so an edit that does not change a stage's output stops there.
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
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<LstmCandidate> candidates = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                Parser.AttributeMetadataName,
                predicate: static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax,
                transform: static (context, cancellationToken) => CreateCandidate(context, cancellationToken))
            .WithTrackingName(TrackingNames.Candidates);

        IncrementalValuesProvider<LstmSpec> specs = candidates
            .Select(static (candidate, _) => Validation.ToSpec(candidate))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Specs);

        // MSBuild property LstmGenAggressiveOptimization (default true): [MethodImpl(AggressiveOptimization)] on the
        // generated hot methods, so they are fully optimized at their first call and never re-jitted later.
        IncrementalValueProvider<bool> aggressiveOptimization = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) =>
                !options.GlobalOptions.TryGetValue("build_property.LstmGenAggressiveOptimization", out string? value)
                || !string.Equals(value?.Trim(), "false", System.StringComparison.OrdinalIgnoreCase));

        IncrementalValuesProvider<LstmPlan> plans = specs
            .Combine(aggressiveOptimization)
            .Select(static (pair, _) => Planner.Plan(pair.Left with { AggressiveOptimization = pair.Right }))
            .WithTrackingName(TrackingNames.Plans);

        context.RegisterSourceOutput(plans, static (output, plan) =>
            output.AddSource(plan.Spec.HintName, Emitter.Emit(plan)));
    }

    private static LstmCandidate CreateCandidate(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var type = (INamedTypeSymbol)context.TargetSymbol;
        return Parser.CreateCandidate(type, context.Attributes[0], context.SemanticModel.Compilation, cancellationToken);
    }
}
