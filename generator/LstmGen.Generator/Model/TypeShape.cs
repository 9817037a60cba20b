using System.Globalization;
using System.Text;

namespace LstmGen.Generator.Model;

/// <summary>One enclosing type declaration the generated partial must repeat, outermost first.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Outer&lt;T&gt;</c>.</param>
internal sealed record TypeDeclaration(string Keyword, string Name);

/// <summary>Where the user's type lives: what a generated partial declaration must repeat.</summary>
/// <param name="TypeName">The type's name (unescaped).</param>
/// <param name="Namespace">Its namespace, keywords escaped; empty for the global namespace.</param>
/// <param name="ContainingTypes">Enclosing types, outermost first.</param>
internal sealed record TypeShape(string TypeName, string Namespace, EquatableArray<TypeDeclaration> ContainingTypes)
{
    /// <summary>A file name unique per type: namespace, containing types and type (generic arity as <c>`2</c>), then <paramref name="suffix"/>.</summary>
    public string HintName(string suffix)
    {
        var builder = new StringBuilder();
        if (Namespace.Length > 0)
        {
            builder.Append(Namespace).Append('.');
        }

        foreach (TypeDeclaration containing in ContainingTypes)
        {
            builder.Append(Sanitize(containing.Name)).Append('.');
        }

        builder.Append(TypeName).Append(suffix);
        return builder.Replace("@", string.Empty).ToString();
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

        return name.Substring(0, angle) + "`" + arity.ToString(CultureInfo.InvariantCulture);
    }
}
