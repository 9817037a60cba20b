using LstmGen.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static LstmGen.Generator.Tests.Verifiers;

namespace LstmGen.Generator.Tests;

/// <summary>For every diagnostic: the exact span and message arguments when it applies, silence when it does not.</summary>
public sealed class AnalyzerTests
{
    [Fact]
    public Task Valid_configurations_report_nothing() => VerifyAnalyzerAsync("""
        using LstmGen;
        namespace N;
        [Lstm(16, 64, 32)] public partial class A { }
        [Lstm(inputSize: 1, hiddenSize: 8, sequenceLength: 1)] internal sealed partial class B { public void Run() { } }
        public partial class Outer<T> { [Lstm(3, 16, 7)] partial class Nested { } }
        [Lstm(sequenceLength: 5, hiddenSize: 128, inputSize: 4)] partial class NamedArguments { }
        partial class NotAnLstm { public void Step() { } }
        """);

    [Fact]
    public Task LSTM001_on_the_type_and_on_each_non_partial_container() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, 8, 10)] public class {|#0:Solo|} { }
        public class {|#1:Outer|} { public partial class Middle { [Lstm(4, 8, 10)] public class {|#2:Inner|} { } } }
        """,
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Solo", "Solo"),
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("Inner", "Inner"),
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Outer", "Inner"));

    [Fact]
    public Task LSTM002_names_the_argument_and_its_value() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm({|#0:0|}, 8, 10)] partial class A { }
        [Lstm(inputSize: 4, hiddenSize: {|#1:-3|}, sequenceLength: 10)] partial class B { }
        [Lstm(sequenceLength: {|#2:-2147483648|}, inputSize: 4, hiddenSize: 8)] partial class C { }
        """,
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(0).WithArguments("inputSize", "0"),
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(1).WithArguments("hiddenSize", "-3"),
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(2).WithArguments("sequenceLength", "-2,147,483,648"));

    [Fact]
    public Task LSTM003_names_the_type_and_the_reason() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, 8, 10)] partial class {|#0:G|}<T> { }
        [Lstm(4, 8, 10)] static partial class {|#1:S|} { }
        [Lstm(4, 8, 10)] abstract partial class {|#2:A|} { }
        [Lstm(4, 8, 10)] partial record {|#3:R|} { }
        [Lstm(4, 8, 10)] file partial class {|#4:F|} { }
        """,
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(0).WithArguments("G", "it is generic (sizes and kernels are generated per closed type)"),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(1).WithArguments("S", "it is static (each instance owns its parameters)"),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(2).WithArguments("A", "it is abstract (the generated members need a concrete type)"),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(3).WithArguments("R", "it is a record (value equality over a parameter buffer is misleading)"),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(4).WithArguments("F", "it is file-local (the generated part is a different file, so it would be a different type)"));

    [Fact]
    // 4·1024·60000 + 4·1024² + 8·1024 = 245,760,000 + 4,194,304 + 8,192 = 249,962,496 parameters.
    public Task LSTM004_names_the_value_and_the_limit() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, {|#0:5000|}, 10)] partial class A { }
        [Lstm({|#1:70000|}, 8, {|#2:100000|})] partial class B { }
        [{|#3:Lstm(60000, 1024, 10)|}] partial class C { }
        """,
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(0).WithArguments("hiddenSize = 5,000", "4,096"),
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(1).WithArguments("inputSize = 70,000", "65,536"),
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(2).WithArguments("sequenceLength = 100,000", "65,536"),
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(3).WithArguments("the parameter count 4·H·I + 4·H·H + 8·H = 249,962,496", "67,108,864"));

    [Fact]
    public Task LSTM005_when_the_backward_scratch_exceeds_the_stack_budget() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, 64, {|#0:200|})] partial class Long { }
        [Lstm(4, 64, 100)] partial class Short { }
        """,
        // Tape: 16-float header + (200 + 1) rows of 7·64 floats, plus ∂L/∂h and ∂L/∂c (2·64), plus the most any path's
        // recording needs: the AVX2 kernel's copy of h (64) and the input projections of 16 steps (16·4·64);
        // 4 bytes each: (16 + 201·448 + 128 + 64 + 16·256)·4 = 377,408.
        Diagnostic(DiagnosticDescriptors.StackBudget).WithLocation(0).WithArguments("Long", "377,408", "200", "262,144"));

    [Fact]
    public Task LSTM006_on_the_conflicting_member() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, 8, 10)] partial class M
        {
            public void {|#0:Step|}(int x) { }
            private int {|#1:HiddenSize|} = 3;
            public int Other => 1;
        }
        [Lstm(4, 8, 10)] partial class {|#2:Forward|} { }
        """,
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(1).WithArguments("M", "HiddenSize"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(0).WithArguments("M", "Step"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(2).WithArguments("Forward", "Forward"));

    [Fact]
    public Task LSTM007_for_hidden_sizes_that_are_not_a_multiple_of_8() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, {|#0:33|}, 10)] partial class A { }
        [Lstm(4, {|#1:5|}, 10)] partial class B { }
        [Lstm(4, 24, 10)] partial class C { }
        """,
        Diagnostic(DiagnosticDescriptors.RemainderPath).WithLocation(0).WithArguments("33", "32 or 40"),
        Diagnostic(DiagnosticDescriptors.RemainderPath).WithLocation(1).WithArguments("5", "8"));
}

/// <summary>Code fixes: LSTM001 makes the whole chain partial (including Fix All), LSTM002 offers a positive value.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public Task LSTM001_fix_adds_partial_keeping_modifiers_and_trivia() => VerifyCodeFixAsync<MakePartialCodeFixProvider>("""
        using LstmGen;

        /// <summary>Docs stay.</summary>
        [Lstm(4, 8, 10)]
        public sealed class {|#0:Model|} { }
        """,
        new[] { Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Model", "Model") },
        """
        using LstmGen;

        /// <summary>Docs stay.</summary>
        [Lstm(4, 8, 10)]
        public sealed partial class Model { }
        """);

    [Fact]
    public Task LSTM001_fix_makes_every_containing_type_partial_in_one_action() => VerifyCodeFixAsync<MakePartialCodeFixProvider>("""
        using LstmGen;
        namespace N
        {
            class {|#0:Outer|}
            {
                public struct {|#1:Middle|}
                {
                    [Lstm(4, 8, 10)]
                    internal class {|#2:Inner|} { }
                }
            }
        }
        """,
        new[]
        {
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("Inner", "Inner"),
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Middle", "Inner"),
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Outer", "Inner"),
        },
        """
        using LstmGen;
        namespace N
        {
            partial class Outer
            {
                public partial struct Middle
                {
                    [Lstm(4, 8, 10)]
                    internal partial class Inner { }
                }
            }
        }
        """);

    [Fact]
    public Task LSTM002_fix_uses_the_absolute_value_of_a_negative_size_and_1_for_zero() => VerifyCodeFixAsync<PositiveSizeCodeFixProvider>("""
        using LstmGen;
        [Lstm({|#0:0|}, hiddenSize: {|#1:-64|}, sequenceLength: 10)] partial class A { }
        """,
        new[]
        {
            Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(0).WithArguments("inputSize", "0"),
            Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(1).WithArguments("hiddenSize", "-64"),
        },
        """
        using LstmGen;
        [Lstm(1, hiddenSize: 64, sequenceLength: 10)] partial class A { }
        """);
}
