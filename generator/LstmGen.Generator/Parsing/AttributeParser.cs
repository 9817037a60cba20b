using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using LstmGen.Generator.Cells;
using LstmGen.Generator.Model;
using LstmGen.Generator.Validation;

namespace LstmGen.Generator.Parsing;

/// <summary>
/// Turns a type symbol carrying <c>[Lstm]</c> or <c>[Gru]</c> into a <see cref="LayerCandidate"/>: plain data, read
/// once. Used by both the generator (inside its pipeline) and the analyzer, so they judge the same facts.
/// </summary>
internal static class AttributeParser
{
    public const string LstmAttribute = "LstmGen.LstmAttribute";
    public const string GruAttribute = "LstmGen.GruAttribute";
    public const string RecurrentModelAttribute = "LstmGen.RecurrentModelAttribute";

    /// <summary>The attributes that each make a type a generated model (at most one per type: LSTM015).</summary>
    public static readonly string[] ModelAttributes = { LstmAttribute, GruAttribute, RecurrentModelAttribute };

    /// <summary>The suffix of a generated type file: <c>Forecaster.Lstm.g.cs</c>. Members declared there are ours, not conflicts.</summary>
    public static string FileSuffix(string attributeShortName) => "." + attributeShortName + ".g.cs";

    public static string MetadataName(CellKind cell) => cell == CellKind.Lstm ? LstmAttribute : GruAttribute;

    /// <summary>The short name of a model attribute's metadata name: <c>Lstm</c>, <c>Gru</c>, <c>RecurrentModel</c>.</summary>
    public static string ShortName(string metadataName) => metadataName.Substring("LstmGen.".Length, metadataName.Length - "LstmGen.".Length - "Attribute".Length);

    // Namespace segments that are keywords come out escaped (@class), as the emitted declaration needs.
    private static readonly SymbolDisplayFormat NamespaceFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

    /// <summary>An identifier as C# source must spell it: <c>@class</c> for a type named <c>class</c>.</summary>
    public static string EscapeIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) is SyntaxKind.RecordKeyword
            ? "@" + name
            : name;

    public static LayerCandidate CreateCandidate(CellKind cell, INamedTypeSymbol type, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var nonPartial = new List<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (!IsPartialEverywhere(t, cancellationToken))
            {
                nonPartial.Add(t.Name);
            }
        }

        return new LayerCandidate(
            cell,
            ShapeOf(type),
            nonPartial.ToEquatableArray(),
            IsGeneric: type.Arity > 0,
            IsStatic: type.IsStatic,
            IsAbstract: type.IsAbstract,
            IsRecord: type.IsRecord,
            IsFileLocal: type.IsFileLocal,
            ModelAttributesOf(type).ToEquatableArray(),
            IntArgument(attribute, 0),
            IntArgument(attribute, 1),
            IntArgument(attribute, 2),
            ConflictingMembers(type, GeneratedMembers.Layer).ToEquatableArray(),
            HasVector512: compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null,
            LanguageVersion: LanguageVersionOf(type));
    }

    public static ModelCandidate CreateModelCandidate(INamedTypeSymbol type, AttributeData attribute, Compilation compilation, CancellationToken cancellationToken)
    {
        var nonPartial = new List<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            if (!IsPartialEverywhere(t, cancellationToken))
            {
                nonPartial.Add(t.Name);
            }
        }

        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        // A null literal reads as "" (reported as an empty path); a non-constant argument as null (the compiler reports it).
        string? path = arguments.Length > 0 && arguments[0].Kind == TypedConstantKind.Primitive ? arguments[0].Value as string ?? string.Empty : null;
        return new ModelCandidate(
            ShapeOf(type),
            nonPartial.ToEquatableArray(),
            IsGeneric: type.Arity > 0,
            IsStatic: type.IsStatic,
            IsAbstract: type.IsAbstract,
            IsRecord: type.IsRecord,
            IsFileLocal: type.IsFileLocal,
            ModelAttributesOf(type).ToEquatableArray(),
            path,
            ConflictingMembers(type, ModelMembers.All).ToEquatableArray(),
            HasVector512: compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null,
            LanguageVersion: LanguageVersionOf(type));
    }

    /// <summary>The type's name, namespace and containing types, as a generated partial must repeat them.</summary>
    public static TypeShape ShapeOf(INamedTypeSymbol type)
    {
        var containing = new List<TypeDeclaration>();
        for (INamedTypeSymbol? outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new TypeDeclaration(Keyword(outer), NameWithTypeParameters(outer)));
        }

        return new TypeShape(
            type.Name,
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString(NamespaceFormat) : string.Empty,
            containing.ToEquatableArray());
    }

    /// <summary>The short names of every LstmGen model attribute on the type, in declaration order.</summary>
    public static List<string> ModelAttributesOf(INamedTypeSymbol type)
    {
        var names = new List<string>();
        foreach (AttributeData data in type.GetAttributes())
        {
            string? name = data.AttributeClass?.ToDisplayString();
            if (name is not null && System.Array.IndexOf(ModelAttributes, name) >= 0)
            {
                names.Add(ShortName(name));
            }
        }

        return names;
    }

    public static int LanguageVersionOf(INamedTypeSymbol type)
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

    public static int? IntArgument(AttributeData attribute, int index)
    {
        ImmutableArray<TypedConstant> arguments = attribute.ConstructorArguments;
        if (index >= arguments.Length)
        {
            return null;
        }

        TypedConstant argument = arguments[index];
        return argument.Kind == TypedConstantKind.Primitive && argument.Value is int value ? value : null;
    }

    public static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
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

    public static IEnumerable<string> ConflictingMembers(INamedTypeSymbol type, ImmutableArray<string> generated)
    {
        var names = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || !generated.Contains(member.Name) || IsGenerated(member))
            {
                continue;
            }

            names.Add(member.Name);
        }

        // A member may not share its type's name (CS0542): a type called Step cannot get a Step method.
        if (generated.Contains(type.Name))
        {
            names.Add(type.Name);
        }

        return names;
    }

    private static bool IsGenerated(ISymbol member)
    {
        foreach (SyntaxReference reference in member.DeclaringSyntaxReferences)
        {
            string path = reference.SyntaxTree.FilePath;
            if (!ModelAttributes.Any(a => path.EndsWith(FileSuffix(ShortName(a)), System.StringComparison.Ordinal)))
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
