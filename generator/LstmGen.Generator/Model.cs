using System;

namespace LstmGen.Generator;

/// <summary>One enclosing type declaration the generated partial must repeat, outermost first.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Outer&lt;T&gt;</c>.</param>
internal sealed record TypeDeclaration(string Keyword, string Name);

/// <summary>
/// Everything the validator needs to know about one <c>[Lstm]</c> use, as plain data (no symbols), so the
/// analyzer and the generator run the same checks on the same facts.
/// </summary>
internal sealed record LstmCandidate(
    string TypeName,
    string Namespace,
    EquatableArray<TypeDeclaration> ContainingTypes,
    EquatableArray<string> NonPartialTypes,
    bool IsGeneric,
    bool IsStatic,
    bool IsAbstract,
    bool IsRecord,
    bool IsFileLocal,
    int LstmAttributeCount,
    int? InputSize,
    int? HiddenSize,
    int? SequenceLength,
    EquatableArray<string> ConflictingMembers,
    bool HasVector512,
    int LanguageVersion,
    bool AllowUnsafe);

/// <summary>
/// A valid configuration: the input of the planner and the emitter. Sizes are checked against the limits.
/// </summary>
internal sealed record LstmSpec(
    string TypeName,
    string Namespace,
    EquatableArray<TypeDeclaration> ContainingTypes,
    int InputSize,
    int HiddenSize,
    int SequenceLength,
    bool AllowUnsafe,
    bool AggressiveOptimization = true)
{
    /// <summary>A file name unique per type: namespace, containing types and type, with generic arity.</summary>
    public string HintName
    {
        get
        {
            var builder = new System.Text.StringBuilder();
            if (Namespace.Length > 0)
            {
                builder.Append(Namespace).Append('.');
            }

            foreach (TypeDeclaration containing in ContainingTypes)
            {
                builder.Append(Sanitize(containing.Name)).Append('.');
            }

            builder.Append(TypeName).Append(".Lstm.g.cs");
            return builder.Replace("@", string.Empty).ToString();
        }
    }

    // Outer<T, U> becomes Outer`2: unique, and legal in a file name.
    private static string Sanitize(string name)
    {
        int angle = name.IndexOf('<');
        if (angle < 0)
        {
            return name;
        }

        int arity = 1;
        foreach (char c in name)
        {
            if (c == ',')
            {
                arity++;
            }
        }

        return name.Substring(0, angle) + "`" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Where a problem is reported: the analyzer maps this to a source location.</summary>
internal enum ProblemTarget
{
    /// <summary>The identifier of the type carrying <c>[Lstm]</c>.</summary>
    TypeIdentifier,

    /// <summary>The <c>[Lstm(...)]</c> attribute.</summary>
    Attribute,

    /// <summary>One argument of the attribute; <see cref="LstmProblem.ArgumentIndex"/> says which.</summary>
    AttributeArgument,

    /// <summary>A member of the user's type; <see cref="LstmProblem.MemberName"/> says which.</summary>
    Member,
}

/// <summary>One validation finding, as data: a diagnostic ID, where to report it and its message arguments.</summary>
internal sealed record LstmProblem(
    string Id,
    ProblemTarget Target,
    int ArgumentIndex,
    string MemberName,
    EquatableArray<string> MessageArguments);
