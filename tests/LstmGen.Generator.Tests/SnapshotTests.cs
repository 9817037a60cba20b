using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// Golden-file snapshots of every generated file, to notice egregious changes in what users read in their IDE.
/// Each case has a folder under <c>Snapshots/</c> holding one file per generated source, named by its hint name.
/// </summary>
/// <remarks>
/// To accept an intended change, rerun with <c>LSTMGEN_UPDATE_SNAPSHOTS=1</c>, e.g.
/// <c>LSTMGEN_UPDATE_SNAPSHOTS=1 dotnet test tests/LstmGen.Generator.Tests -c Release --filter SnapshotTests</c>,
/// and review the diff (<c>git diff tests/LstmGen.Generator.Tests/Snapshots</c>): every case folder is rewritten
/// to hold exactly the files generated now (files the generator no longer emits are deleted).
/// </remarks>
public sealed class SnapshotTests
{
    private const string UpdateVariable = "LSTMGEN_UPDATE_SNAPSHOTS";

    [Fact]
    public void Forecaster_I16_H64_T32_in_a_namespace_with_unsafe_code_allowed()
    {
        const string source = """
            using LstmGen;

            namespace Contoso.Forecasting;

            [Lstm(inputSize: 16, hiddenSize: 64, sequenceLength: 32)]
            public partial class Forecaster { }
            """;
        AssertSnapshots(
            "Forecaster_I16_H64_T32", source, allowUnsafe: true,
            new[] { "Contoso.Forecasting.Forecaster.Lstm.g.cs", "LstmGen.Generated.Lstm_I16_H64.g.cs" });
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
        AssertSnapshots(
            "Outer.Tiny_I3_H5_T7", source, allowUnsafe: false,
            new[] { "Outer`1.Tiny.Lstm.g.cs", "LstmGen.Generated.Lstm_I3_H5.g.cs" });
    }

    [Fact]
    public void Gru_Encoder_I3_H5_T7()
    {
        const string source = """
            namespace Contoso.Audio
            {
                [LstmGen.Gru(3, 5, 7)]
                public sealed partial class Encoder { }
            }
            """;
        AssertSnapshots(
            "Encoder_Gru_I3_H5_T7", source, allowUnsafe: false,
            new[] { "Contoso.Audio.Encoder.Gru.g.cs", "LstmGen.Generated.Gru_I3_H5.g.cs" });
    }

    [Fact]
    public void RecurrentModel_Amp_from_a_two_layer_LSTM_model_file()
    {
        // Automated-GuitarAmpModelling JSON: LSTM(1→3) → LSTM(3→3) → Linear(3→1), the smallest model-file fixture. Only
        // the type file is kept: the kernel files are the [Lstm] snapshots' business (their names are still pinned).
        const string source = """
            using LstmGen;

            namespace Contoso.Audio;

            [RecurrentModel("Models/agam_lstm_i1_h3_l2_skip0.json")]
            public sealed partial class Amp { }
            """;
        AssertSnapshots(
            "RecurrentModel_Amp_agam_lstm_i1_h3_l2", source, allowUnsafe: false,
            new[] { "Contoso.Audio.Amp.RecurrentModel.g.cs", "LstmGen.Generated.Lstm_I1_H3.g.cs", "LstmGen.Generated.Lstm_I3_H3.g.cs" },
            new[] { new ModelFile(ModelHarness.ProjectDir + "Models/agam_lstm_i1_h3_l2_skip0.json", ModelHarness.Fixture("agam_lstm_i1_h3_l2_skip0.json")) },
            snapshotFiles: new[] { "Contoso.Audio.Amp.RecurrentModel.g.cs" });
    }

    /// <summary>
    /// Generates <paramref name="source"/> (with <paramref name="additionalFiles"/> as <c>AdditionalFiles</c> of a project
    /// in <see cref="ModelHarness.ProjectDir"/>) and compares every generated file with <c>Snapshots/{caseName}/{hint name}</c>.
    /// <paramref name="expectedFiles"/> pins the hint names, so a renamed or missing file is reported as such;
    /// <paramref name="snapshotFiles"/>, when given, are the ones of them kept and compared (default: all).
    /// </summary>
    private static void AssertSnapshots(string caseName, string source, bool allowUnsafe, string[] expectedFiles, AdditionalText[]? additionalFiles = null, string[]? snapshotFiles = null, [CallerFilePath] string callerPath = "")
    {
        var (output, result, diagnostics) = GeneratorHarness.Run(
            GeneratorHarness.Compile(allowUnsafe, source),
            additionalFiles is null ? null : ModelHarness.InProject,
            additionalFiles);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        Assert.Equal(expectedFiles.Order(StringComparer.Ordinal), result.GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        GeneratedSourceResult[] kept = result.GeneratedSources.Where(s => snapshotFiles is null || snapshotFiles.Contains(s.HintName)).ToArray();

        string folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Snapshots", caseName);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            foreach (GeneratedSourceResult generated in kept)
            {
                File.WriteAllText(Path.Combine(folder, generated.HintName), generated.SourceText.ToString());
            }

            return;
        }

        var failures = new List<string>();
        foreach (GeneratedSourceResult generated in kept)
        {
            string path = Path.Combine(folder, generated.HintName);
            if (!File.Exists(path))
            {
                failures.Add($"{caseName}/{generated.HintName}: no snapshot yet");
                continue;
            }

            string? difference = FirstDifference(File.ReadAllText(path).Replace("\r\n", "\n"), generated.SourceText.ToString());
            if (difference is not null)
            {
                failures.Add($"{caseName}/{generated.HintName} {difference}");
            }
        }

        if (Directory.Exists(folder))
        {
            foreach (string stale in Directory.GetFiles(folder).Select(Path.GetFileName).Except(kept.Select(k => k.HintName))!)
            {
                failures.Add($"{caseName}/{stale}: the generator no longer emits this file");
            }
        }

        Assert.True(failures.Count == 0,
            string.Join("\n", failures) + $"\nIf the change is intended, rerun with {UpdateVariable}=1, review the diff of Snapshots/ and commit it.");
    }

    /// <summary>Where two texts first differ, with both lines, or null when they are equal.</summary>
    private static string? FirstDifference(string expected, string generated)
    {
        if (expected == generated)
        {
            return null;
        }

        string[] a = expected.Split('\n'), b = generated.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
        {
            line++;
        }

        return $"differs at line {line + 1} ({a.Length} lines in the snapshot, {b.Length} generated):\n" +
               $"  snapshot:  {(line < a.Length ? a[line] : "<end of file>")}\n" +
               $"  generated: {(line < b.Length ? b[line] : "<end of file>")}";
    }
}
