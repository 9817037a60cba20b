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

        // Each pair with a written member is checked once: a written span against every later span and every
        // earlier read-only one (earlier written ones already checked it).
        var skip = new HashSet<(string, string)>(allowed ?? Enumerable.Empty<(string, string)>());
        for (int a = 0; a < spans.Count; a++)
        {
            if (!spans[a].Written)
            {
                continue;
            }

            var others = new List<SpanArgument>();
            for (int b = 0; b < spans.Count; b++)
            {
                if (b != a && (b > a || !spans[b].Written) && !skip.Contains((spans[a].Name, spans[b].Name)) && !skip.Contains((spans[b].Name, spans[a].Name)))
                {
                    others.Add(spans[b]);
                }
            }

            for (int start = 0; start < others.Count; start += 9)
            {
                List<SpanArgument> chunk = others.GetRange(start, System.Math.Min(9, others.Count - start));
                w.Line(chunk.Count == 1
                    ? $"{Throw}.IfOverlapping(nameof({spans[a].Name}), {spans[a].Name}, nameof({chunk[0].Name}), {chunk[0].Name});"
                    : $"{Throw}.IfOverlapsAny(nameof({spans[a].Name}), {spans[a].Name}, \"{string.Join(", ", chunk.Select(o => o.Name))}\", {string.Join(", ", chunk.Select(o => o.Name))});");
            }
        }
    }
}
