using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Parsing;
using LstmGen.Generator.Parsing.ModelFiles;
using LstmGen.Generator.Validation;

namespace LstmGen.Generator.Diagnostics;

/// <summary>
/// Reports every invalid or noteworthy <c>[Lstm]</c>/<c>[Gru]</c> configuration while the user types. It runs the same
/// <see cref="AttributeParser"/> and <see cref="Rules"/> the generator runs, so the two can never disagree: the
/// generator emits code exactly when this analyzer reports no error.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LstmAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.NonPositiveSize,
        DiagnosticDescriptors.UnsupportedType,
        DiagnosticDescriptors.AboveLimit,
        DiagnosticDescriptors.StackBudget,
        DiagnosticDescriptors.MemberConflict,
        DiagnosticDescriptors.RemainderPath,
        DiagnosticDescriptors.MissingVector512,
        DiagnosticDescriptors.LanguageVersionTooLow,
        DiagnosticDescriptors.ModelFileNotFound,
        DiagnosticDescriptors.UnreadableModelFile,
        DiagnosticDescriptors.ModelTensorShape,
        DiagnosticDescriptors.UnsupportedModelContent,
        DiagnosticDescriptors.ModelMetadataMismatch,
        DiagnosticDescriptors.ConflictingAttributes,
        DiagnosticDescriptors.InvalidInstructionSets);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var attributes = new List<(CellKind Cell, INamedTypeSymbol Type)>();
            foreach (CellKind cell in new[] { CellKind.Lstm, CellKind.Gru })
            {
                if (start.Compilation.GetTypeByMetadataName(AttributeParser.MetadataName(cell)) is { } attributeType)
                {
                    attributes.Add((cell, attributeType));
                }
            }

            INamedTypeSymbol? modelAttribute = start.Compilation.GetTypeByMetadataName(AttributeParser.RecurrentModelAttribute);
            if (attributes.Count == 0 && modelAttribute is null)
            {
                return;
            }

            start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.LstmGenInstructionSets", out string? instructionSets);
            start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("build_property.ProjectDir", out string? projectDirectory);
            bool instructionSetsValid = Rules.ParseInstructionSets(instructionSets).Count > 0;
            start.RegisterSymbolAction(symbolContext =>
            {
                bool layerRulesReported = AnalyzeType(symbolContext, attributes, modelAttribute, instructionSetsValid ? null : instructionSets);
                if (modelAttribute is not null && AttributeOf((INamedTypeSymbol)symbolContext.Symbol, modelAttribute) is { } model)
                {
                    AnalyzeModelFile(symbolContext, (INamedTypeSymbol)symbolContext.Symbol, model, projectDirectory, instructionSetsValid ? null : instructionSets, layerRulesReported);
                }
            }, SymbolKind.NamedType);
        });
    }

    /// <param name="layerRulesReported">
    /// The type also has [Lstm] or [Gru], whose rules (LSTM015 among them) were reported for it: the type-level rules
    /// are not reported a second time, only the file's own problems.
    /// </param>
    private static void AnalyzeModelFile(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, string? projectDirectory, string? invalidInstructionSets, bool layerRulesReported)
    {
        ModelCandidate candidate = AttributeParser.CreateModelCandidate(type, attribute, context.Compilation, context.CancellationToken);
        foreach (LstmProblem problem in layerRulesReported ? ImmutableArray<LstmProblem>.Empty : Rules.ValidateModel(candidate))
        {
            if (problem.Id != DiagnosticIds.NotPartial || problem.MemberName == type.Name)
            {
                Report(context, type, attribute, problem);
            }
        }

        if (invalidInstructionSets is not null && !layerRulesReported)
        {
            Report(context, type, attribute, Rules.Problem(DiagnosticIds.InvalidInstructionSets, ProblemTarget.Attribute, invalidInstructionSets));
        }

        if (candidate.Path is not null && candidate.Path.Trim().Length > 0)
        {
            ModelFileResult result = ModelFileLocator.Load(candidate.Path, context.Options.AdditionalFiles, projectDirectory, context.CancellationToken);
            if (Rules.FileProblem(result) is { } problem)
            {
                Report(context, type, attribute, problem);
            }
        }
    }

    /// <summary>The [Lstm]/[Gru] rules of the type and LSTM001 for a container; true when the type has [Lstm] or [Gru].</summary>
    private static bool AnalyzeType(SymbolAnalysisContext context, List<(CellKind Cell, INamedTypeSymbol Type)> attributes, INamedTypeSymbol? modelAttribute, string? invalidInstructionSets)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        bool analyzed = false;
        foreach ((CellKind cell, INamedTypeSymbol attributeType) in attributes)
        {
            if (AttributeOf(type, attributeType) is { } attribute)
            {
                AnalyzeModelType(context, cell, type, attribute, invalidInstructionSets);
                analyzed = true;
                break; // LSTM015 covers a second model attribute; the first one's rules are enough.
            }
        }

        // A container of model types reports its own LSTM001 from its own symbol action, so the diagnostic is
        // local to the declaration it points at: the IDE shows it while that file is edited.
        foreach ((CellKind? cell, INamedTypeSymbol nested, AttributeData attribute) in NestedModelTypes(type, attributes, modelAttribute))
        {
            ImmutableArray<LstmProblem> problems = cell is CellKind layerCell
                ? Rules.Validate(AttributeParser.CreateCandidate(layerCell, nested, attribute, context.Compilation, context.CancellationToken))
                : Rules.ValidateModel(AttributeParser.CreateModelCandidate(nested, attribute, context.Compilation, context.CancellationToken));
            LstmProblem? own = problems.FirstOrDefault(p => p.Id == DiagnosticIds.NotPartial && p.MemberName == type.Name);
            if (own is not null)
            {
                Report(context, type, null, own);
                break;
            }
        }

        return analyzed;
    }

    private static AttributeData? AttributeOf(INamedTypeSymbol type, INamedTypeSymbol attributeType)
    {
        foreach (AttributeData data in type.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attributeType))
            {
                return data;
            }
        }

        return null;
    }

    /// <summary>Every model type nested (at any depth) in <paramref name="container"/>, with its cell (null for [RecurrentModel]).</summary>
    private static IEnumerable<(CellKind?, INamedTypeSymbol, AttributeData)> NestedModelTypes(INamedTypeSymbol container, List<(CellKind Cell, INamedTypeSymbol Type)> attributes, INamedTypeSymbol? modelAttribute)
    {
        foreach (INamedTypeSymbol nested in container.GetTypeMembers())
        {
            bool found = false;
            foreach ((CellKind cell, INamedTypeSymbol attributeType) in attributes)
            {
                if (AttributeOf(nested, attributeType) is { } attribute)
                {
                    yield return (cell, nested, attribute);
                    found = true;
                    break;
                }
            }

            if (!found && modelAttribute is not null && AttributeOf(nested, modelAttribute) is { } model)
            {
                yield return (null, nested, model);
            }

            foreach ((CellKind?, INamedTypeSymbol, AttributeData) deeper in NestedModelTypes(nested, attributes, modelAttribute))
            {
                yield return deeper;
            }
        }
    }

    private static void AnalyzeModelType(SymbolAnalysisContext context, CellKind cell, INamedTypeSymbol type, AttributeData attribute, string? invalidInstructionSets)
    {
        LayerCandidate candidate = AttributeParser.CreateCandidate(cell, type, attribute, context.Compilation, context.CancellationToken);
        foreach (LstmProblem problem in Rules.Validate(candidate))
        {
            // Containers report their own LSTM001 (see AnalyzeType).
            if (problem.Id != DiagnosticIds.NotPartial || problem.MemberName == type.Name)
            {
                Report(context, type, attribute, problem);
            }
        }

        if (invalidInstructionSets is not null)
        {
            Report(context, type, attribute, Rules.Problem(DiagnosticIds.InvalidInstructionSets, ProblemTarget.Attribute, invalidInstructionSets));
        }
    }

    private static void Report(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData? attribute, LstmProblem problem)
    {
        DiagnosticDescriptor? descriptor = DiagnosticDescriptors.ForId(problem.Id);
        if (descriptor is null)
        {
            return; // LSTM000: a non-constant argument, already a compiler error.
        }

        Location location = LocationOf(type, attribute, problem, context.CancellationToken);
        var properties = ImmutableDictionary<string, string?>.Empty;
        if (problem.Id == DiagnosticIds.NonPositiveSize)
        {
            properties = properties.Add("Value", problem.MessageArguments[1]);
        }

        object[] arguments = problem.MessageArguments.Select(a => (object)a).ToArray();
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, arguments));
    }

    private static Location LocationOf(INamedTypeSymbol type, AttributeData? attribute, LstmProblem problem, System.Threading.CancellationToken cancellationToken)
    {
        var attributeSyntax = attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        switch (problem.Target)
        {
            case ProblemTarget.AttributeArgument when attributeSyntax?.ArgumentList is { } list && attribute is not null:
                AttributeArgumentSyntax? argument = ArgumentFor(list, attribute, problem.ArgumentIndex);
                return (argument?.Expression ?? (SyntaxNode)attributeSyntax).GetLocation();

            case ProblemTarget.Attribute when attributeSyntax is not null:
                return attributeSyntax.GetLocation();

            case ProblemTarget.Member:
                foreach (ISymbol member in type.GetMembers(problem.MemberName))
                {
                    if (!member.IsImplicitlyDeclared && member.Locations.FirstOrDefault(l => l.IsInSource) is { } memberLocation)
                    {
                        return memberLocation;
                    }
                }

                break;

            case ProblemTarget.TypeIdentifier when problem.MemberName.Length > 0:
                // The declaration of the named type in the chain that lacks 'partial'.
                for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
                {
                    if (t.Name != problem.MemberName)
                    {
                        continue;
                    }

                    foreach (SyntaxReference reference in t.DeclaringSyntaxReferences)
                    {
                        if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                            && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                        {
                            return declaration.Identifier.GetLocation();
                        }
                    }
                }

                break;
        }

        return type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
    }

    /// <summary>The syntax of constructor argument <paramref name="index"/>, named or positional.</summary>
    private static AttributeArgumentSyntax? ArgumentFor(AttributeArgumentListSyntax list, AttributeData attribute, int index)
    {
        IMethodSymbol? constructor = attribute.AttributeConstructor;
        string? name = constructor is not null && index < constructor.Parameters.Length ? constructor.Parameters[index].Name : null;
        if (name is not null)
        {
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                if (argument.NameColon?.Name.Identifier.ValueText == name)
                {
                    return argument;
                }
            }
        }

        IEnumerable<AttributeArgumentSyntax> positional = list.Arguments.Where(a => a.NameColon is null && a.NameEquals is null);
        return positional.ElementAtOrDefault(index);
    }
}
