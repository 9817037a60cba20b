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
/// 1,000 random attribute argument sets — negative, zero, huge, int.MaxValue, boundary values — compiled with the
/// generator and the analyzer together: no exception anywhere (no AD0001, no CS8785), every invalid set gets its
/// diagnostic and no generated source, every valid set gets generated source that compiles without warnings.
/// </summary>
public sealed class RobustnessTests
{
    private readonly ITestOutputHelper _output;

    public RobustnessTests(ITestOutputHelper output) => _output = output;

    private static readonly int[] Boundaries =
    {
        int.MinValue, -65537, -4096, -2, -1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129,
        4095, 4096, 4097, 65535, 65536, 65537, 1 << 20, int.MaxValue - 1, int.MaxValue,
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

    /// <summary>The rules, restated independently of the generator's code: which IDs must appear for (I, H, T).</summary>
    private static HashSet<string> ExpectedErrors(long i, long h, long t)
    {
        var ids = new HashSet<string>();
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

        // The parameter count depends on I and H only, so it is judged whenever both are in range.
        if (i is > 0 and <= 65_536 && h is > 0 and <= 4_096 && 4 * h * i + 4 * h * h + 8 * h > 64L * 1024 * 1024)
        {
            ids.Add("LSTM004");
        }

        return ids;
    }

    [Fact]
    public async Task Random_attribute_arguments_never_crash_and_are_judged_correctly()
    {
        var random = new Random(20261126);
        const int Batches = 10, PerBatch = 100;
        int valid = 0, invalid = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            var source = new StringBuilder("namespace Fuzz;\n");
            var configs = new List<(int I, int H, int T)>();
            for (int n = 0; n < PerBatch; n++)
            {
                (int I, int H, int T) config = (Draw(random, 64), Draw(random, 256), Draw(random, 128));
                configs.Add(config);
                source.Append(CultureInfo.InvariantCulture, $"[LstmGen.Lstm({config.I}, {config.H}, {config.T})] public partial class M{n} {{ }}\n");
            }

            CSharpCompilation compilation = GeneratorHarness.Compile(false, source.ToString());
            var (output, result, driverDiagnostics) = GeneratorHarness.Run(compilation);
            Assert.Null(result.Exception);
            Assert.Empty(driverDiagnostics); // no CS8785

            CompilationWithAnalyzers withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LstmAnalyzer()));
            ImmutableArray<Diagnostic> analyzerDiagnostics = await withAnalyzers.GetAllDiagnosticsAsync();
            Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");

            var generatedTypes = result.GeneratedSources.Select(s => s.HintName.Replace("Fuzz.", string.Empty).Replace(".Lstm.g.cs", string.Empty)).ToHashSet();
            for (int n = 0; n < PerBatch; n++)
            {
                (int i, int h, int t) = configs[n];
                HashSet<string> expected = ExpectedErrors(i, h, t);
                string typeName = $"M{n}";
                var reported = analyzerDiagnostics
                    .Where(d => d.DefaultSeverity == DiagnosticSeverity.Error && d.Id.StartsWith("LSTM", StringComparison.Ordinal)
                        && d.Location.SourceTree is not null
                        && d.Location.SourceTree.GetText().Lines.GetLineFromPosition(d.Location.SourceSpan.Start).ToString().Contains($"class {typeName} ", StringComparison.Ordinal))
                    .Select(d => d.Id)
                    .ToHashSet();
                Assert.True(expected.SetEquals(reported), $"[Lstm({i}, {h}, {t})]: expected {string.Join(",", expected)}, reported {string.Join(",", reported)}");
                Assert.Equal(expected.Count == 0, generatedTypes.Contains(typeName));
                if (expected.Count == 0)
                {
                    valid++;
                }
                else
                {
                    invalid++;
                }
            }

            // The generated code of the valid configurations compiles cleanly (two batches: binding ~70 generated
            // files of ~3,000 lines is the slow part of this test).
            if (batch >= 2)
            {
                continue;
            }

            var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
        }

        _output.WriteLine($"{valid} valid and {invalid} invalid configurations checked");
        Assert.True(valid >= 200 && invalid >= 200, $"unbalanced sample: {valid} valid, {invalid} invalid");
    }
}
