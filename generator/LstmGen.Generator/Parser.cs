using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace LstmGen.Generator;

/// <summary>
/// Turns a type symbol carrying <c>[Lstm]</c> into an <see cref="LstmCandidate"/>: plain data, read once.
/// Used by both the generator (inside its pipeline) and the analyzer, so they judge the same facts.
/// </summary>
internal static class Parser
{
    public const string AttributeMetadataName = "LstmGen.LstmAttribute";

    /// <summary>Suffix of every generated file; members declared there are ours, not conflicts.</summary>
    public const string GeneratedFileSuffix = ".Lstm.g.cs";

    // Namespace segments that are keywords come out escaped (@class), as the emitted declaration needs.
    private static readonly SymbolDisplayFormat NamespaceFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>An identifier as C# source must spell it: <c>@class</c> for a type named <c>class</c>.</summary>
    public static string EscapeIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;

    public static LstmCandidate CreateCandidate(INamedTypeSymbol type, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var containing = new List<TypeDeclaration>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new TypeDeclaration(Keyword(outer), NameWithTypeParameters(outer)));
        }

        var nonPartial = new List<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (!IsPartialEverywhere(t, cancellationToken))
            {
                nonPartial.Add(t.Name);
            }
        }

        int attributeCount = 0;
        foreach (AttributeData data in type.GetAttributes())
        {
            if (data.AttributeClass?.ToDisplayString() == AttributeMetadataName)
            {
                attributeCount++;
            }
        }

        return new LstmCandidate(
            type.Name,
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(NamespaceFormat) : string.Empty,
            containing.ToEquatableArray(),
            nonPartial.ToEquatableArray(),
            IsGeneric: type.Arity > 0,
            IsStatic: type.IsStatic,
            IsAbstract: type.IsAbstract,
            IsRecord: type.IsRecord,
            IsFileLocal: type.IsFileLocal,
            attributeCount,
            IntArgument(attribute, 0),
            IntArgument(attribute, 1),
            IntArgument(attribute, 2),
            ConflictingMembers(type).ToEquatableArray(),
            HasVector512: compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null,
            LanguageVersion: LanguageVersionOf(type),
            AllowUnsafe: compilation.Options is CSharpCompilationOptions { AllowUnsafe: true });
    }

    private static int LanguageVersionOf(INamedTypeSymbol type)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree.Options is CSharpParseOptions options)
            {
                return (int)options.LanguageVersion;
            }
        }

        return (int)LanguageVersion.Latest;
    }

    private static int? IntArgument(AttributeData attribute, int index)
    {
        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        if (index >= arguments.Length)
        {
            return null;
        }

        TypedConstant argument = arguments[index];
        return argument.Kind == TypedConstantKind.Primitive && argument.Value is int value ? value : null;
    }

    private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> ConflictingMembers(INamedTypeSymbol type)
    {
        var names = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || !Validation.GeneratedMemberNames.Contains(member.Name) || IsGenerated(member))
            {
                continue;
            }

            names.Add(member.Name);
        }

        // A member may not share its type's name (CS0542): a type called Step cannot get a Step method.
        if (Validation.GeneratedMemberNames.Contains(type.Name))
        {
            names.Add(type.Name);
        }

        return names;
    }

    private static bool IsGenerated(ISymbol member)
    {
        foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
        {
            if (!reference.SyntaxTree.FilePath.EndsWith(GeneratedFileSuffix, System.StringComparison.Ordinal))
            {
                return false;
            }
        }

        return member.DeclaringSyntaxReferences.Length > 0;
    }

    private static string Keyword(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
        TypeKind.Interface => "interface",
        _ => type.IsRecord ? "record" : "class",
    };

    private static string NameWithTypeParameters(INamedTypeSymbol type)
    {
        if (type.TypeParameters.Length == 0)
        {
            return EscapeIdentifier(type.Name);
        }

        var builder = new StringBuilder(EscapeIdentifier(type.Name)).Append('<');
        for (int i = 0; i < type.TypeParameters.Length; i++)
        {
            builder.Append(i == 0 ? string.Empty : ", ").Append(EscapeIdentifier(type.TypeParameters[i].Name));
        }

        return builder.Append('>').ToString();
    }
}
