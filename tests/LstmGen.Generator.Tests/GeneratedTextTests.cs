using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>What the generated text claims about itself: its version, and where each kernel runs its cell update.</summary>
public sealed class GeneratedTextTests
{
    private static GeneratorRunResult Generate(string attribute) =>
        GeneratorHarness.Run(GeneratorHarness.Compile(false, $"namespace N; [{attribute}] public partial class M {{ }}")).Result;

    [Fact]
    public void GeneratedCode_carries_the_generator_assemblys_version()
    {
        string informational = typeof(LstmGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        string expected = informational.Split('+')[0];
        GeneratorRunResult result = Generate("LstmGen.Lstm(4, 16, 8)");
        Assert.Equal(2, result.GeneratedSources.Length);
        foreach (GeneratedSourceResult source in result.GeneratedSources)
        {
            MatchCollection versions = Regex.Matches(source.SourceText.ToString(), "GeneratedCode\\(\"LstmGen.Generator\", \"([^\"]*)\"\\)");
            Assert.NotEmpty(versions);
            Assert.All(versions, m => Assert.Equal(expected, m.Groups[1].Value));
        }
    }

    [Theory]
    // (16 units: one pass on every path, the update inlined from the registers)
    [InlineData("LstmGen.Lstm(4, 16, 8)", "LstmGen.Generated.Lstm_I4_H16.g.cs", true)]
    // (300 units: several passes on every path, each column's update a call)
    [InlineData("LstmGen.Lstm(3, 300, 4)", "LstmGen.Generated.Lstm_I3_H300.g.cs", false)]
    [InlineData("LstmGen.Gru(3, 300, 4)", "LstmGen.Generated.Gru_I3_H300.g.cs", false)]
    public void Kernel_comments_say_where_the_cell_update_runs(string attribute, string kernelFile, bool inRegisters)
    {
        string text = GeneratorHarness.Source(Generate(attribute), kernelFile);
        const string registers = "straight from the registers";
        const string call = "a separate method";
        Assert.Equal(inRegisters, text.Contains(registers, StringComparison.Ordinal));
        Assert.Equal(!inRegisters, text.Contains(call, StringComparison.Ordinal));
    }
}
