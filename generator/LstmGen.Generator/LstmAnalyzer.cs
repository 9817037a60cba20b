using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LstmGen.Generator;

/// <summary>
/// Reports every invalid or noteworthy <c>[Lstm]</c> configuration while the user types. It runs the same
/// <see cref="Parser"/>, <see cref="Validation"/> and <see cref="Planner"/> the generator runs, so the two can
/// never disagree: the generator emits code exactly when this analyzer reports no error.
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
        DiagnosticDescriptors.LanguageVersionTooLow);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? attributeType = start.Compilation.GetTypeByMetadataName(Parser.AttributeMetadataName);
            if (attributeType is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, attributeType), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol attributeType)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (LstmAttributeOf(type, attributeType) is { } attribute)
        {
            AnalyzeLstmType(context, type, attribute);
        }

        // A container of [Lstm] types reports its own missing 'partial' (LSTM001) from its own symbol action, so the
        // diagnostic is local to the declaration it points at: the IDE shows it while that file is edited.
        foreach (INamedTypeSymbol nested in NestedLstmTypes(type, attributeType))
        {
            LstmCandidate candidate = Parser.CreateCandidate(nested, LstmAttributeOf(nested, attributeType)!, context.Compilation, context.CancellationToken);
            LstmProblem? own = Validation.Validate(candidate).FirstOrDefault(p => p.Id == DiagnosticIds.NotPartial && p.MemberName == type.Name);
            if (own is not null)
            {
                Report(context, type, null, own);
                break;
            }
        }
    }

    private static AttributeData? LstmAttributeOf(INamedTypeSymbol type, INamedTypeSymbol attributeType)
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

    private static IEnumerable<INamedTypeSymbol> NestedLstmTypes(INamedTypeSymbol container, INamedTypeSymbol attributeType)
    {
        foreach (INamedTypeSymbol nested in container.GetTypeMembers())
        {
            if (LstmAttributeOf(nested, attributeType) is not null)
            {
                yield return nested;
            }

            foreach (INamedTypeSymbol deeper in NestedLstmTypes(nested, attributeType))
            {
                yield return deeper;
            }
        }
    }

    private static void AnalyzeLstmType(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute)
    {
        LstmCandidate candidate = Parser.CreateCandidate(type, attribute, context.Compilation, context.CancellationToken);
        ImmutableArray<LstmProblem> problems = Validation.Validate(candidate);
        foreach (LstmProblem problem in problems)
        {
            // Containers report their own LSTM001 (see AnalyzeType).
            if (problem.Id != DiagnosticIds.NotPartial || problem.MemberName == type.Name)
            {
                Report(context, type, attribute, problem);
            }
        }

        // The stack check needs a plan, and a plan needs a valid configuration.
        LstmSpec? spec = Validation.ToSpec(candidate);
        if (spec is not null)
        {
            LstmPlan plan = Planner.Plan(spec);
            if (plan.BackwardStackBytes > Validation.StackBudgetBytes)
            {
                Report(context, type, attribute, new LstmProblem(
                    DiagnosticIds.StackBudget, ProblemTarget.AttributeArgument, 2, string.Empty,
                    new[]
                    {
                        type.Name,
                        plan.BackwardStackBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                        spec.SequenceLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                        Validation.StackBudgetBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                    }.ToEquatableArray()));
            }
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
