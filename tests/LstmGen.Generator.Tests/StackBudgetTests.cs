using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// One formula for Backward's stack budget: <see cref="LayerTypePlan.BackwardStackSteps"/> decides LSTM005 and is the
/// public constant the generated <c>Backward</c> compares the step count with. Checked at the boundary, where
/// sequenceLength first exceeds it.
/// </summary>
public sealed class StackBudgetTests
{
    private static LayerTypePlan PlanOf(CellKind cell, int input, int hidden, int steps) =>
        new(new TypeShape("M", "N", EquatableArray<TypeDeclaration>.Empty), steps, LayerPlanner.Plan(cell, input, hidden, LayerPlanner.AllPaths, true, false));

    /// <summary>The smallest sequence length whose Backward no longer fits the stack budget, by the planner.</summary>
    private static int FirstOverBudget(CellKind cell, int input, int hidden)
    {
        for (int t = 1; t <= Rules.MaxSequenceLength; t++)
        {
            if (PlanOf(cell, input, hidden, t).BackwardStackSteps < t)
            {
                return t;
            }
        }

        throw new InvalidOperationException("every sequence length fits");
    }

    [Theory]
    [InlineData("Lstm", 4, 64, 145)]   // (16 + 146·448 + 128)·4 B = 262,208 B > 256 KiB; 145 rows fit
    [InlineData("Gru", 4, 64, 146)]    // the GRU carries no ∂L/∂c: (16 + 147·448 + 64)·4 B = 263,744 B > 256 KiB
    [InlineData("Lstm", 3, 300, 30)]
    [InlineData("Gru", 2, 1000, 9)]
    [InlineData("Gru", 1, 4096, 2)]    // a tape row of 7·4096 floats is 112 KiB: one step (two rows) fits, two do not
    public void The_budget_boundary_matches_the_workspace_size(string cellName, int input, int hidden, int firstOver)
    {
        CellKind cell = Enum.Parse<CellKind>(cellName);
        Assert.Equal(firstOver, FirstOverBudget(cell, input, hidden));

        // Restated: the workspace of T steps is a 16-float header, T + 1 tape rows of 7·H floats and the state gradients.
        int state = cell == CellKind.Lstm ? 2 * hidden : hidden;
        long Bytes(int steps) => (16 + (steps + 1) * 7L * hidden + state) * sizeof(float);
        Assert.True(firstOver == 1 || Bytes(firstOver - 1) <= LayerTypePlan.StackBudgetBytes);
        Assert.True(Bytes(firstOver) > LayerTypePlan.StackBudgetBytes);
        Assert.Equal(firstOver - 1, PlanOf(cell, input, hidden, firstOver).BackwardStackSteps);
        Assert.Equal(firstOver - 1, PlanOf(cell, input, hidden, Rules.MaxSequenceLength).BackwardStackSteps);
    }

    [Theory]
    [InlineData("Lstm", 4, 64)]
    [InlineData("Gru", 4, 64)]
    [InlineData("Lstm", 3, 300)]
    [InlineData("Gru", 2, 1000)]
    public async Task LSTM005_and_the_generated_constant_agree_at_the_boundary(string attribute, int input, int hidden)
    {
        CellKind cell = attribute == "Lstm" ? CellKind.Lstm : CellKind.Gru;
        int t = FirstOverBudget(cell, input, hidden);
        int stackSteps = PlanOf(cell, input, hidden, t).BackwardStackSteps;
        string source = $$"""
            namespace N;
            [LstmGen.{{attribute}}({{input}}, {{hidden}}, {{t - 1}})] public partial class AtBudget { }
            [LstmGen.{{attribute}}({{input}}, {{hidden}}, {{t}})] public partial class OverBudget { }
            [LstmGen.{{attribute}}({{input}}, {{hidden}}, 1)] public partial class OneStep { }
            """;
        var compilation = GeneratorHarness.Compile(false, source);

        // The analyzer warns for T, not for T − 1, with the planner's number.
        ImmutableArray<Diagnostic> analyzer = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LstmAnalyzer())).GetAnalyzerDiagnosticsAsync();
        Diagnostic warning = Assert.Single(analyzer, d => d.Id == DiagnosticIds.StackBudget);
        Assert.Contains("class OverBudget", warning.Location.SourceTree!.GetText().Lines.GetLineFromPosition(warning.Location.SourceSpan.Start).ToString());
        Assert.Equal(
            $"Backward on 'OverBudget' keeps its workspace on the stack for at most {Rules.Format(stackSteps)} steps, but sequenceLength = {Rules.Format(t)}: longer calls rent a pooled array instead of using the 256 KiB stack budget; pass a workspace of BackwardWorkspaceLength floats to Backward, or lower sequenceLength",
            warning.GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        // The generated types state the same number, and Backward compares the step count with it.
        var (output, result, diagnostics) = GeneratorHarness.Run(compilation);
        Assert.Empty(diagnostics);
        Assert.Empty(GeneratorHarness.Problems(output));
        foreach ((string type, int expected) in new[] { ("AtBudget", t - 1), ("OverBudget", stackSteps), ("OneStep", 1) })
        {
            string file = GeneratorHarness.Source(result, $"N.{type}.{attribute}.g.cs");
            Assert.Contains($"public const int BackwardStackSteps = {expected};", file);
            Assert.Contains("steps <= BackwardStackSteps", file);

            // The stack buffer Backward takes at that many steps stays within the budget, by the emitted constants.
            int stride = int.Parse(Regex.Match(file, $@"private const int {GeneratedMembers.TapeStride} = (\d+);").Groups[1].Value);
            int scratch = int.Parse(Regex.Match(file, $@"private const int {GeneratedMembers.ScratchFloats} = (\d+);").Groups[1].Value);
            Assert.Contains($"stackalloc float[tapeLength + {GeneratedMembers.ScratchFloats}]", file);
            Assert.Contains($"int tapeLength = global::LstmGen.Kernels.TapeHeader.Length + (steps + 1) * {GeneratedMembers.TapeStride};", file);
            Assert.True((TapeGeometry.HeaderLength + (expected + 1L) * stride + scratch) * sizeof(float) <= LayerTypePlan.StackBudgetBytes);
        }

        Assert.Single(Regex.Matches(GeneratorHarness.Source(result, $"N.OverBudget.{attribute}.g.cs"), "steps <= BackwardStackSteps"));
    }
}
