using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// Golden-file snapshots of the generated source, to notice egregious changes in what users read in
/// their IDE. When a change is intended, rerun with <c>LSTMGEN_UPDATE_SNAPSHOTS=1</c> and review the diff.
/// </summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Forecaster_I16_H64_T32_in_a_namespace_with_unsafe_code_allowed()
    {
        const string source = """
            using LstmGen;

            namespace Contoso.Forecasting;

            [Lstm(inputSize: 16, hiddenSize: 64, sequenceLength: 32)]
            public partial class Forecaster { }
            """;
        AssertSnapshot("Forecaster_I16_H64_T32.g.cs", source, allowUnsafe: true);
    }

    [Fact]
    public void Tiny_I3_H5_T7_nested_in_a_generic_type_in_the_global_namespace()
    {
        const string source = """
            public partial class Outer<T>
            {
                [LstmGen.Lstm(3, 5, 7)]
                internal sealed partial class Tiny { }
            }
            """;
        AssertSnapshot("Outer.Tiny_I3_H5_T7.g.cs", source, allowUnsafe: false);
    }

    private static void AssertSnapshot(string snapshotName, string source, bool allowUnsafe, [CallerFilePath] string callerPath = "")
    {
        var (output, result, diagnostics) = GeneratorHarness.Run(GeneratorHarness.Compile(allowUnsafe, source));
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        string generated = Assert.Single(result.GeneratedSources).SourceText.ToString();

        string path = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots", snapshotName);
        if (Environment.GetEnvironmentVariable("LSTMGEN_UPDATE_SNAPSHOTS") == "1" || !File.Exists(path))
        {
            File.WriteAllText(path, generated);
            if (Environment.GetEnvironmentVariable("LSTMGEN_UPDATE_SNAPSHOTS") != "1")
            {
                Assert.Fail($"Snapshot {snapshotName} did not exist; it was written. Review it and rerun.");
            }

            return;
        }

        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != generated)
        {
            string[] a = expected.Split('\n'), b = generated.Split('\n');
            int line = 0;
            while (line < a.Length && line < b.Length && a[line] == b[line])
            {
                line++;
            }

            Assert.Fail(
                $"Generated source differs from {snapshotName} at line {line + 1}:\n" +
                $"  snapshot:  {(line < a.Length ? a[line] : "<end of file>")}\n" +
                $"  generated: {(line < b.Length ? b[line] : "<end of file>")}\n" +
                "If the change is intended, rerun with LSTMGEN_UPDATE_SNAPSHOTS=1 and commit the new snapshot.");
        }
    }
}
