using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace LstmGen.Generator.Tests;

/// <summary>
/// 1,000 random attribute argument sets — negative, zero, huge, int.MaxValue, boundary values — half on <c>[Lstm]</c>,
/// half on <c>[Gru]</c>, compiled with the generator and the analyzer together: no exception anywhere (no AD0001, no
/// CS8785), every set gets exactly the diagnostics the rules (restated here) expect, invalid sets get no generated
/// source, and valid sets get a type file and their layer's kernel file that compile without warnings.
/// </summary>
public sealed class RobustnessTests
{
    private readonly ITestOutputHelper _output;

    public RobustnessTests(ITestOutputHelper output) => _output = output;

    private static readonly int[] Boundaries =
    {
        int.MinValue, -65537, -4096, -2, -1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129,
        144, 145, 146, 4095, 4096, 4097, 65535, 65536, 65537, 1 << 20, int.MaxValue - 1, int.MaxValue,
    };

    private static int Draw(Random random, int typicalMax)
    {
        double roll = random.NextDouble();
        if (roll < 0.45)
        {
            return Boundaries[random.Next(Boundaries.Length)];
        }

        if (roll < 0.85)
        {
            return random.Next(1, typicalMax + 1);
        }

        return random.Next(int.MinValue, int.MaxValue);
    }

    /// <summary>
    /// The rules, restated independently of the generator's code: every LSTM diagnostic (errors, the LSTM005
    /// warning and the LSTM007 hint) that (I, H, T) must get on a cell with <paramref name="gates"/> gates, one ID per
    /// diagnostic (a size rule reports each offending argument), sorted.
    /// </summary>
    private static List<string> ExpectedIds(int gates, long i, long h, long t)
    {
        var ids = new List<string>();
        foreach ((long value, long limit) in new[] { (i, 65_536L), (h, 4_096L), (t, 65_536L) })
        {
            if (value <= 0)
            {
                ids.Add("LSTM002");
            }
            else if (value > limit)
            {
                ids.Add("LSTM004");
            }
        }

        // The parameter count depends on I and H only, so it is judged whenever both are in range; the hint and the
        // stack budget only when the parameters are within the limit.
        if (i is > 0 and <= 65_536 && h is > 0 and <= 4_096)
        {
            if (gates * h * i + gates * h * h + 2 * gates * h > 64L * 1024 * 1024)
            {
                ids.Add("LSTM004");
            }
            else
            {
                if (h % 8 != 0)
                {
                    ids.Add("LSTM007");
                }

                // Backward's workspace for T steps: 16 header floats, T + 1 rows of 7·H, ∂L/∂h (and ∂L/∂c for the
                // LSTM); at most 256 KiB on the stack.
                long stateGradients = gates == 4 ? 2 * h : h;
                if (t is > 0 and <= 65_536 && (16 + (t + 1) * 7 * h + stateGradients) * sizeof(float) > 256 * 1024)
                {
                    ids.Add("LSTM005");
                }
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    private static bool IsError(string id) => id is not ("LSTM005" or "LSTM007");

    [Fact]
    public async Task Random_attribute_arguments_never_crash_and_are_judged_correctly()
    {
        var random = new Random(20261126);
        const int Batches = 10, PerBatch = 100;
        int valid = 0, invalid = 0, gru = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            var source = new StringBuilder("namespace Fuzz;\n");
            var configs = new List<(string Attribute, int I, int H, int T)>();
            for (int n = 0; n < PerBatch; n++)
            {
                string attribute = n % 2 == 0 ? "Lstm" : "Gru";
                (string Attribute, int I, int H, int T) config = (attribute, Draw(random, 64), Draw(random, 256), Draw(random, 160));
                configs.Add(config);
                source.Append(CultureInfo.InvariantCulture, $"[LstmGen.{attribute}({config.I}, {config.H}, {config.T})] public partial class M{n} {{ }}\n");
            }

            CSharpCompilation compilation = GeneratorHarness.Compile(false, source.ToString());
            var (output, result, driverDiagnostics) = GeneratorHarness.Run(compilation);
            Assert.Null(result.Exception);
            Assert.Empty(driverDiagnostics); // no CS8785

            CompilationWithAnalyzers withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LstmAnalyzer()));
            ImmutableArray<Diagnostic> analyzerDiagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
            Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");

            var hintNames = result.GeneratedSources.Select(s => s.HintName).ToHashSet();
            var expectedKernels = new HashSet<string>();
            for (int n = 0; n < PerBatch; n++)
            {
                (string attribute, int i, int h, int t) = configs[n];
                List<string> expected = ExpectedIds(attribute == "Lstm" ? 4 : 3, i, h, t);
                string typeName = $"M{n}";
                var reported = analyzerDiagnostics
                    .Where(d => d.Id.StartsWith("LSTM", StringComparison.Ordinal)
                        && d.Location.SourceTree is not null
                        && d.Location.SourceTree.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start).ToString().Contains($"class {typeName} ", StringComparison.Ordinal))
                    .Select(d => d.Id)
                    .Order(StringComparer.Ordinal)
                    .ToList();
                string what = $"[{attribute}({i}, {h}, {t})]";
                Assert.True(expected.SequenceEqual(reported), $"{what}: expected {string.Join(",", expected)}, reported {string.Join(",", reported)}");

                bool isValid = !expected.Any(IsError);
                Assert.True(isValid == hintNames.Contains($"Fuzz.{typeName}.{attribute}.g.cs"), $"{what}: generated {isValid}");
                if (isValid)
                {
                    expectedKernels.Add($"LstmGen.Generated.{attribute}_I{i}_H{h}.g.cs");
                    valid++;
                    gru += attribute == "Gru" ? 1 : 0;
                }
                else
                {
                    invalid++;
                }
            }

            // One kernel file per layer shape of a valid type, and nothing else.
            Assert.Equal(expectedKernels.Order(StringComparer.Ordinal), hintNames.Where(n => n.StartsWith("LstmGen.Generated.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

            // The generated code of the valid configurations compiles cleanly (two batches: binding ~100 generated
            // files of a few thousand lines each is the slow part of this test).
            if (batch >= 2)
            {
                continue;
            }

            var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
        }

        _output.WriteLine($"{valid} valid ({gru} [Gru]) and {invalid} invalid configurations checked");
        Assert.True(valid >= 200 && invalid >= 200, $"unbalanced sample: {valid} valid, {invalid} invalid");
        Assert.True(gru >= 100 && valid - gru >= 100, $"unbalanced cells: {gru} valid [Gru], {valid - gru} valid [Lstm]");
    }
}
