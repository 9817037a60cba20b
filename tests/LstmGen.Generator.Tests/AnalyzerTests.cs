using LstmGen.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static LstmGen.Generator.Tests.Verifiers;

namespace LstmGen.Generator.Tests;

/// <summary>
/// For every diagnostic, on <c>[Lstm]</c> and on <c>[Gru]</c>: the exact span and message arguments (naming the
/// attribute or cell where the message does) when it applies, silence when it does not.
/// </summary>
public sealed class AnalyzerTests
{
    public static TheoryData<string> Attributes => GeneratorHarness.Attributes;

    /// <summary>The cell's name in messages: LSTM, GRU.</summary>
    private static string DisplayName(string attribute) => attribute.ToUpperInvariant();

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task Valid_configurations_report_nothing(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        namespace N;
        [{{attribute}}(16, 64, 32)] public partial class A { }
        [{{attribute}}(inputSize: 1, hiddenSize: 8, sequenceLength: 1)] internal sealed partial class B { public void Run() { } }
        public partial class Outer<T> { [{{attribute}}(3, 16, 7)] partial class Nested { } }
        [{{attribute}}(sequenceLength: 5, hiddenSize: 128, inputSize: 4)] partial class NamedArguments { }
        partial class NotAModel { public void Step() { } }
        """);

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM001_on_the_type_and_on_each_non_partial_container(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, 8, 10)] public class {|#0:Solo|} { }
        public class {|#1:Outer|} { public partial class Middle { [{{attribute}}(4, 8, 10)] public class {|#2:Inner|} { } } }
        """,
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Solo", "Solo", DisplayName(attribute)),
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("Inner", "Inner", DisplayName(attribute)),
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Outer", "Inner", DisplayName(attribute)));

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM002_names_the_argument_and_its_value(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}({|#0:0|}, 8, 10)] partial class A { }
        [{{attribute}}(inputSize: 4, hiddenSize: {|#1:-3|}, sequenceLength: 10)] partial class B { }
        [{{attribute}}(sequenceLength: {|#2:-2147483648|}, inputSize: 4, hiddenSize: 8)] partial class C { }
        """,
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(0).WithArguments("inputSize", "0"),
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(1).WithArguments("hiddenSize", "-3"),
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(2).WithArguments("sequenceLength", "-2,147,483,648"));

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM003_names_the_type_the_reason_and_the_attribute(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, 8, 10)] partial class {|#0:G|}<T> { }
        [{{attribute}}(4, 8, 10)] static partial class {|#1:S|} { }
        [{{attribute}}(4, 8, 10)] abstract partial class {|#2:A|} { }
        [{{attribute}}(4, 8, 10)] partial record {|#3:R|} { }
        [{{attribute}}(4, 8, 10)] file partial class {|#4:F|} { }
        """,
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(0).WithArguments("G", "it is generic (sizes and kernels are generated per closed type)", attribute),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(1).WithArguments("S", "it is static (each instance owns its parameters)", attribute),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(2).WithArguments("A", "it is abstract (the generated members need a concrete type)", attribute),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(3).WithArguments("R", "it is a record (value equality over a parameter buffer is misleading)", attribute),
        Diagnostic(DiagnosticDescriptors.UnsupportedType).WithLocation(4).WithArguments("F", "it is file-local (the generated part is a different file, so it would be a different type)", attribute));

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM003_accepts_sealed_internal_and_nested_classes(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, 8, 10)] sealed partial class S { }
        [{{attribute}}(4, 8, 10)] internal partial class I { }
        partial record R { [{{attribute}}(4, 8, 10)] private partial class InRecord { } }
        static partial class Holder { [{{attribute}}(4, 8, 10)] public partial class InStaticClass { } }
        """);

    [Theory]
    // LSTM: 4·1024·60000 + 4·1024² + 8·1024 = 245,760,000 + 4,194,304 + 8,192 = 249,962,496 parameters.
    [InlineData("Lstm", "the parameter count 4·H·I + 4·H·H + 8·H = 249,962,496")]
    // GRU: 3·1024·60000 + 3·1024² + 6·1024 = 184,320,000 + 3,145,728 + 6,144 = 187,471,872 parameters.
    [InlineData("Gru", "the parameter count 3·H·I + 3·H·H + 6·H = 187,471,872")]
    public Task LSTM004_names_the_value_and_the_limit(string attribute, string parameterCount) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, {|#0:5000|}, 10)] partial class A { }
        [{{attribute}}({|#1:70000|}, 8, {|#2:100000|})] partial class B { }
        [{|#3:{{attribute}}(60000, 1024, 10)|}] partial class C { }
        [{|#4:{{attribute}}(65536, 4096, 65536)|}] partial class D { }
        """,
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(0).WithArguments("hiddenSize = 5,000", "4,096"),
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(1).WithArguments("inputSize = 70,000", "65,536"),
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(2).WithArguments("sequenceLength = 100,000", "65,536"),
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(3).WithArguments(parameterCount, "67,108,864"),
        // D: every size at its limit is allowed, but the parameters are not: 4·4096·65536 alone is 1 Gi.
        Diagnostic(DiagnosticDescriptors.AboveLimit).WithLocation(4).WithArguments(attribute == "Lstm" ? "the parameter count 4·H·I + 4·H·H + 8·H = 1,140,883,456" : "the parameter count 3·H·I + 3·H·H + 6·H = 855,662,592", "67,108,864"));

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM004_is_silent_for_sizes_at_their_limits_within_the_parameter_limit(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(65536, 64, {|#0:65536|})] partial class Wide { }
        """,
        // G·64·65536 + G·64² + 2G·64 is 16.8 Mi (LSTM) or 12.6 Mi (GRU) parameters; only LSTM005 remains.
        Diagnostic(DiagnosticDescriptors.StackBudget).WithLocation(0).WithArguments("Wide", attribute == "Lstm" ? "144" : "145", "65,536", "256"));

    [Theory]
    // Backward's workspace: a 16-float header, (steps + 1) tape rows of 7·64 = 448 floats, and the state gradients
    // (∂L/∂h and ∂L/∂c: 128 floats for the LSTM; ∂L/∂h: 64 for the GRU), within 256 KiB = 65,536 floats:
    // LSTM: (65,536 − 16 − 128) / 448 = 145.96 → 145 rows → 144 steps; GRU: (65,536 − 16 − 64) / 448 = 146.1 → 145 steps.
    [InlineData("Lstm", "144")]
    [InlineData("Gru", "145")]
    public Task LSTM005_when_sequenceLength_exceeds_BackwardStackSteps(string attribute, string stackSteps) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, 64, {|#0:200|})] partial class Long { }
        [{{attribute}}(4, 64, 100)] partial class Short { }
        [{{attribute}}(4, 64, {{stackSteps}})] partial class AtTheBudget { }
        """,
        Diagnostic(DiagnosticDescriptors.StackBudget).WithLocation(0).WithArguments("Long", stackSteps, "200", "256"));

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM006_on_each_member_named_like_a_generated_one(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, 8, 10)] partial class M
        {
            public void {|#0:Step|}(int x) { }
            private int {|#1:HiddenSize|} = 3;
            private readonly float[] {|#2:_lstmGenParameters|} = new float[1];
            public const int {|#3:BackwardStackSteps|} = 1;
            private void {|#4:LstmGenRecord|}() { }
            public class {|#5:Gradients|} { }
            public int Other => 1;
            public int stepCount;
        }
        [{{attribute}}(4, 8, 10)] partial class {|#6:Forward|} { }
        """,
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(3).WithArguments("M", "BackwardStackSteps"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(5).WithArguments("M", "Gradients"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(1).WithArguments("M", "HiddenSize"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(4).WithArguments("M", "LstmGenRecord"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(0).WithArguments("M", "Step"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(2).WithArguments("M", "_lstmGenParameters"),
        Diagnostic(DiagnosticDescriptors.MemberConflict).WithLocation(6).WithArguments("Forward", "Forward"));

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM007_for_hidden_sizes_that_are_not_a_multiple_of_8(string attribute) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, {|#0:33|}, 10)] partial class A { }
        [{{attribute}}(4, {|#1:5|}, 10)] partial class B { }
        [{{attribute}}(4, 24, 10)] partial class C { }
        [{{attribute}}(1, {|#2:4093|}, 1)] partial class D { }
        """,
        Diagnostic(DiagnosticDescriptors.RemainderPath).WithLocation(0).WithArguments("33", "32 or 40"),
        Diagnostic(DiagnosticDescriptors.RemainderPath).WithLocation(1).WithArguments("5", "8"),
        // 4·4093·1 + 4·4093² + 8·4093 = 67,059,712 parameters: within the limit, and one step fits Backward's stack budget.
        Diagnostic(DiagnosticDescriptors.RemainderPath).WithLocation(2).WithArguments("4,093", "4,088 or 4,096"));

    [Theory]
    [InlineData("[Lstm(4, 8, 10)] [Gru(4, 8, 10)]", "[Lstm], [Gru]")]
    [InlineData("[Gru(4, 8, 10)] [Lstm(4, 8, 10)]", "[Gru], [Lstm]")]
    [InlineData("[Gru(4, 8, 10), Lstm(16, 64, 32)]", "[Gru], [Lstm]")]
    public Task LSTM015_once_on_a_type_with_both_attributes(string attributes, string named) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        {{attributes}} public partial class {|#0:Both|} { }
        """,
        Diagnostic(DiagnosticDescriptors.ConflictingAttributes).WithLocation(0).WithArguments("Both", named));

    [Fact]
    public Task LSTM015_reports_with_the_other_rules_of_the_first_attribute() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm({|#0:0|}, 8, 10)] [Gru(4, 8, 10)] public class {|#1:Both|} { }
        """,
        Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Both", "Both", "LSTM"),
        Diagnostic(DiagnosticDescriptors.ConflictingAttributes).WithLocation(1).WithArguments("Both", "[Lstm], [Gru]"),
        Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(0).WithArguments("inputSize", "0"));

    [Fact]
    public Task LSTM015_is_silent_for_one_attribute_per_type() => VerifyAnalyzerAsync("""
        using LstmGen;
        [Lstm(4, 8, 10)] public partial class Encoder { [Gru(4, 8, 10)] public partial class Decoder { } }
        [Gru(4, 8, 10)] public partial class Other { }
        """);

    [Theory]
    [InlineData("Lstm", "Avx3")]
    [InlineData("Gru", "Avx3")]
    [InlineData("Lstm", "Avx512,Sse")]
    [InlineData("Gru", "none")]
    public Task LSTM016_on_every_model_type_for_an_invalid_LstmGenInstructionSets(string attribute, string value) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{|#0:{{attribute}}(4, 8, 10)|}] partial class A { }
        [{|#1:{{attribute}}(4, 16, 10)|}] partial class B { }
        class NotAModel { }
        """,
        new Dictionary<string, string> { ["LstmGenInstructionSets"] = value },
        Diagnostic(DiagnosticDescriptors.InvalidInstructionSets).WithLocation(0).WithArguments(value),
        Diagnostic(DiagnosticDescriptors.InvalidInstructionSets).WithLocation(1).WithArguments(value));

    [Theory]
    [InlineData("Lstm", "")]
    [InlineData("Gru", "")]
    [InlineData("Lstm", "Avx512;Scalar")]
    [InlineData("Gru", "Avx512;Scalar")]
    [InlineData("Lstm", "avx2, vector128")]
    [InlineData("Gru", "Scalar")]
    public Task LSTM016_is_silent_for_valid_or_empty_LstmGenInstructionSets(string attribute, string value) => VerifyAnalyzerAsync($$"""
        using LstmGen;
        [{{attribute}}(4, 8, 10)] partial class A { }
        """,
        new Dictionary<string, string> { ["LstmGenInstructionSets"] = value });

    /// <summary>
    /// The compiler reads a <c>;</c> inside an analyzer config value as the start of a comment (dotnet/roslyn#44596;
    /// still so in the .NET 10 SDK's compiler), and MSBuild writes <c>build_property</c> values verbatim: a project's
    /// <c>&lt;LstmGenInstructionSets&gt;Scalar;Avx3&lt;/LstmGenInstructionSets&gt;</c> reaches the analyzer and the
    /// generator as <c>Scalar</c>. Lists must be separated by commas to arrive whole.
    /// </summary>
    [Fact]
    public async Task LSTM016_sees_only_what_precedes_a_semicolon_but_all_of_a_comma_list()
    {
        await VerifyAnalyzerAsync(
            "[LstmGen.Lstm(4, 8, 10)] partial class A { }",
            new Dictionary<string, string> { ["LstmGenInstructionSets"] = "Scalar;Avx3" });
        await VerifyAnalyzerAsync(
            "[{|#0:LstmGen.Lstm(4, 8, 10)|}] partial class A { }",
            new Dictionary<string, string> { ["LstmGenInstructionSets"] = "Scalar,Avx3" },
            Diagnostic(DiagnosticDescriptors.InvalidInstructionSets).WithLocation(0).WithArguments("Scalar,Avx3"));
    }

    [Fact]
    public Task LSTM016_is_silent_without_model_types() => VerifyAnalyzerAsync(
        "class Plain { }",
        new Dictionary<string, string> { ["LstmGenInstructionSets"] = "Avx3" });
}

/// <summary>
/// Code fixes, on <c>[Lstm]</c> and <c>[Gru]</c>: LSTM001 makes the whole chain partial (including Fix All), LSTM002
/// offers a positive value.
/// </summary>
public sealed class CodeFixTests
{
    public static TheoryData<string> Attributes => GeneratorHarness.Attributes;

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM001_fix_adds_partial_keeping_modifiers_and_trivia(string attribute) => VerifyCodeFixAsync<MakePartialCodeFixProvider>($$"""
        using LstmGen;

        /// <summary>Docs stay.</summary>
        [{{attribute}}(4, 8, 10)]
        public sealed class {|#0:Model|} { }
        """,
        new[] { Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Model", "Model", attribute.ToUpperInvariant()) },
        $$"""
        using LstmGen;

        /// <summary>Docs stay.</summary>
        [{{attribute}}(4, 8, 10)]
        public sealed partial class Model { }
        """);

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM001_fix_makes_every_containing_type_partial_in_one_action(string attribute) => VerifyCodeFixAsync<MakePartialCodeFixProvider>($$"""
        using LstmGen;
        namespace N
        {
            class {|#0:Outer|}
            {
                public struct {|#1:Middle|}
                {
                    [{{attribute}}(4, 8, 10)]
                    internal class {|#2:Inner|} { }
                }
            }
        }
        """,
        new[]
        {
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("Inner", "Inner", attribute.ToUpperInvariant()),
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Middle", "Inner", attribute.ToUpperInvariant()),
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Outer", "Inner", attribute.ToUpperInvariant()),
        },
        $$"""
        using LstmGen;
        namespace N
        {
            partial class Outer
            {
                public partial struct Middle
                {
                    [{{attribute}}(4, 8, 10)]
                    internal partial class Inner { }
                }
            }
        }
        """);

    [Fact]
    public Task LSTM001_fix_all_covers_Lstm_and_Gru_types_in_one_document() => VerifyCodeFixAsync<MakePartialCodeFixProvider>("""
        using LstmGen;
        class {|#0:Models|}
        {
            [Lstm(4, 8, 10)] public class {|#1:Encoder|} { }
            [Gru(4, 8, 10)] public class {|#2:Decoder|} { }
        }
        """,
        new[]
        {
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Encoder", "Encoder", "LSTM"),
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("Decoder", "Decoder", "GRU"),
            Diagnostic(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Models", "Encoder", "LSTM"),
        },
        """
        using LstmGen;
        partial class Models
        {
            [Lstm(4, 8, 10)] public partial class Encoder { }
            [Gru(4, 8, 10)] public partial class Decoder { }
        }
        """);

    [Theory]
    [MemberData(nameof(Attributes))]
    public Task LSTM002_fix_uses_the_absolute_value_of_a_negative_size_and_1_for_zero(string attribute) => VerifyCodeFixAsync<PositiveSizeCodeFixProvider>($$"""
        using LstmGen;
        [{{attribute}}({|#0:0|}, hiddenSize: {|#1:-64|}, sequenceLength: 10)] partial class A { }
        """,
        new[]
        {
            Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(0).WithArguments("inputSize", "0"),
            Diagnostic(DiagnosticDescriptors.NonPositiveSize).WithLocation(1).WithArguments("hiddenSize", "-64"),
        },
        $$"""
        using LstmGen;
        [{{attribute}}(1, hiddenSize: 64, sequenceLength: 10)] partial class A { }
        """);
}
