using System.Collections.Generic;
using System.Linq;

namespace LstmGen.Generator.Emit;

/// <summary>How a public method uses one span argument.</summary>
internal enum SpanUse
{
    Read,
    Write,
    ReadWrite,
}

/// <summary>One span argument of a generated public method, as the argument checks need it.</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Use">Read, written, or both.</param>
/// <param name="Length">The required length, as C# source.</param>
/// <param name="Meaning">What the length is, for the exception message.</param>
/// <param name="AtLeast">The span may be longer (tapes, workspaces).</param>
internal sealed record SpanArgument(string Name, SpanUse Use, string Length, string Meaning, bool AtLeast = false)
{
    public bool Written => Use != SpanUse.Read;

    public string Type => Use == SpanUse.Read ? "global::System.ReadOnlySpan<float>" : "global::System.Span<float>";

    public string Declaration => $"{Type} {Name}";
}

/// <summary>
/// The checks at a public method's edge: every length, then every pair of spans of which one is written must not
/// share memory (<c>MemoryExtensions.Overlaps</c>), except pairs whose overlap the method handles on purpose.
/// </summary>
internal static class SpanChecks
{
    public const string Throw = "global::LstmGen.Kernels.LstmThrow";

    public static void Emit(SourceWriter w, IReadOnlyList<SpanArgument> spans, IEnumerable<(string, string)>? allowed = null)
    {
        foreach (SpanArgument span in spans)
        {
            if (span.Length.Length == 0)
            {
                continue;
            }

            w.Line(span.AtLeast
                ? $"{Throw}.IfShorterThan(nameof({span.Name}), {span.Name}.Length, {span.Length}, \"{span.Meaning}\");"
                : $"{Throw}.IfLengthIsNot(nameof({span.Name}), {span.Name}.Length, {span.Length}, \"{span.Meaning}\");");
        }

        var skip = new HashSet<(string, string)>(allowed ?? Enumerable.Empty<(string, string)>());
        for (int a = 0; a < spans.Count; a++)
        {
            for (int b = a + 1; b < spans.Count; b++)
            {
                if ((spans[a].Written || spans[b].Written) && !skip.Contains((spans[a].Name, spans[b].Name)) && !skip.Contains((spans[b].Name, spans[a].Name)))
                {
                    w.Line($"{Throw}.IfOverlapping(nameof({spans[a].Name}), {spans[a].Name}, nameof({spans[b].Name}), {spans[b].Name});");
                }
            }
        }
    }
}
