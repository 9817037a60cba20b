using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static LstmGen.Generator.Tests.ModelHarness;

namespace LstmGen.Generator.Tests;

/// <summary>
/// <c>[RecurrentModel]</c>: every model-file diagnostic (LSTM010–LSTM014) with its exact message on the attribute's
/// path argument, and the type-level rules (LSTM001, LSTM003, LSTM006, LSTM015). Whenever the analyzer reports an
/// error, the generator emits nothing for the type and neither of them throws; valid files report nothing and
/// generate a type that compiles without warnings.
/// </summary>
public sealed class ModelFileAnalyzerTests
{
    /// <summary>One broken model file: its text, and the diagnostic (ID and message detail) it must get.</summary>
    public sealed record InvalidCase(string FileName, Func<string> Text, string Id, string Detail);

    private static readonly Dictionary<string, InvalidCase> Cases = new()
    {
        // ---- LSTM011: not JSON, not an object, no known format, a non-finite weight
        ["json_two_commas"] = new("amp.json", () => "{\n  \"lstm.weight_ih_l0\": [[0.5], [0.25],, [0.125]]\n}",
            "LSTM011", "invalid JSON: unexpected character ',' at line 2, column 39"),
        ["json_missing_comma"] = new("amp.json", () => "{\"a\": 1 \"b\": 2}",
            "LSTM011", "invalid JSON: expected ',' or '}' in an object at line 1, column 9"),
        ["json_unterminated_string"] = new("amp.json", () => "{\"lstm.weight_ih_l0",
            "LSTM011", "invalid JSON: unexpected end of the file inside a string at line 1, column 20"),
        ["json_text_after_the_document"] = new("amp.json", () => "{}\n\n  {}",
            "LSTM011", "invalid JSON: unexpected text after the end of the document at line 3, column 3"),
        ["json_empty_file"] = new("amp.json", () => "",
            "LSTM011", "invalid JSON: unexpected end of the file at line 1, column 1"),
        ["json_single_quotes"] = new("amp.json", () => "{'model_data': {}}",
            "LSTM011", "invalid JSON: expected a member name in double quotes at line 1, column 2"),
        ["json_nested_65_deep"] = new("amp.json", () => "{\"w\": " + new string('[', 64) + "1" + new string(']', 64) + "}",
            "LSTM011", "invalid JSON: nesting deeper than 64 levels at line 1, column 70"),
        ["json_duplicate_tensor"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"lin.bias\": [-0.03125]", "\"lin.bias\": [-0.03125],\n    \"lin.bias\": [0.5]"),
            "LSTM011", "invalid JSON: a second member named \"lin.bias\" at line 10, column 5"),
        ["statedict_truncated"] = new("amp.json", () => Fixture("invalid/statedict_truncated.json"),
            "LSTM011", "invalid JSON: unexpected end of the file inside an array at line 1, column 2600"),
        ["nam_truncated"] = new("amp.nam", () => Fixture("invalid/nam_truncated.nam"),
            "LSTM011", "invalid JSON: unexpected end of the file inside an array at line 1, column 899"),
        ["document_is_an_array"] = new("amp.json", () => "[[0.5], [0.25]]",
            "LSTM011", "the document is an array, not an object"),
        ["document_is_a_string"] = new("amp.json", () => "\"model\"",
            "LSTM011", "the document is a string, not an object"),
        ["document_is_null"] = new("amp.json", () => " null ",
            "LSTM011", "the document is null, not an object"),
        ["no_known_format"] = new("amp.json", () => "{\"model\": \"MyNet\", \"weights\": [0.5, 0.25]}",
            "LSTM011", NoKnownFormat),
        ["empty_object"] = new("amp.json", () => "{}",
            "LSTM011", NoKnownFormat),
        ["nan_weight"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("0.5625", "NaN"),
            "LSTM011", "'lstm.bias_hh_l0' holds the non-finite value NaN at line 5, column 39 (a float32 weight must be finite)"),
        ["infinity_weight"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("[[0.75]", "[[Infinity]"),
            "LSTM011", "'lstm.weight_hh_l0' holds the non-finite value Infinity at line 3, column 26 (a float32 weight must be finite)"),
        ["negative_infinity_weight"] = new("amp.nam", () => ModelTexts.TinyNam.ReplaceOnce("2.5", "-Infinity"),
            "LSTM011", "'head weight' holds the non-finite value -Infinity at line 2, column 105 (a float32 weight must be finite)"),
        ["weight_too_large_for_float"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("2.5", "3.5e38"),
            "LSTM011", "'linear.weight' holds the non-finite value 3.5e38 at line 6, column 22 (a float32 weight must be finite)"),
        ["weight_too_large_for_double"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("-0.03125", "-1e400"),
            "LSTM011", "'lin.bias' holds the non-finite value -1e400 at line 9, column 18 (a float32 weight must be finite)"),
        ["hidden_size_missing"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"hidden_size\": 1, ", ""),
            "LSTM011", "the setting \"hidden_size\" is missing"),
        ["hidden_size_fractional"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"hidden_size\": 1", "\"hidden_size\": 1.5"),
            "LSTM011", "\"hidden_size\" at line 2, column 93 must be a whole number from 1 to 4096, but it is 1.5"),

        // ---- LSTM012: a tensor missing, unexpected, or of the wrong shape
        ["agam_tensor_missing"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"rec.bias_hh_l0\": [0.375, -0.4375, 0.5625, -0.6875],", ""),
            "LSTM012", "tensor 'rec.bias_hh_l0' is missing (expected shape [4])"),
        ["statedict_tensor_missing"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("\"lstm.weight_ih_l0\": [[0.5], [-0.25], [0.125], [1.5]],", ""),
            "LSTM012", "tensor 'lstm.weight_ih_l0' is missing"),
        ["agam_num_layers_1_but_l1_tensors"] = new("amp.json", () => Fixture("invalid/agam_num_layers_1_but_l1_tensors.json"),
            "LSTM012", "unexpected tensor 'rec.weight_ih_l1' (model_data declares 1 LSTM layer(s))"),
        ["statedict_unexpected_tensor"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("\"linear.weight\"", "\"lstm.scale\": [1.0],\n  \"linear.weight\""),
            "LSTM012", "unexpected tensor 'lstm.scale' next to the recurrent layers of 'lstm'"),
        ["agam_wrong_shape"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("[[2.5]]", "[[2.5, 1.5]]"),
            "LSTM012", "tensor 'lin.weight' has shape [1, 2], expected [1, 1]"),
        ["statedict_wrong_shape"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("[0.0625, -0.125, 0.1875, -0.3125]", "[0.0625, -0.125, 0.1875]"),
            "LSTM012", "tensor 'lstm.bias_ih_l0' has shape [3], expected [4]"),
        ["statedict_linear_takes_wrong_input"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("[[2.5]]", "[[2.5, 1.5]]"),
            "LSTM012", "layer 'linear' takes 2 inputs, but what comes before it gives 1"),
        ["tensor_not_rectangular"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("[-0.25], [0.125]", "[-0.25, 0.5], [0.125]"),
            "LSTM012", "tensor 'lstm.weight_ih_l0' is not rectangular: a row of 2 at line 2, column 32 where a row of 1 belongs"),
        ["tensor_holds_a_string"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("[[2.5]]", "[[\"2.5\"]]"),
            "LSTM012", "tensor 'lin.weight' holds a string at line 8, column 21, not numbers"),
        ["nam_lstm_one_weight_too_many"] = new("amp.nam", () => Fixture("invalid/nam_lstm_one_weight_too_many.nam"),
            "LSTM012", "the \"weights\" array holds 110 numbers, but an LSTM with input_size = 1, hidden_size = 4, num_layers = 1 and 1 output(s) has 109"),
        ["nam_lstm_one_weight_too_few"] = new("amp.nam", () => Fixture("invalid/nam_lstm_one_weight_too_few.nam"),
            "LSTM012", "the \"weights\" array holds 108 numbers, but an LSTM with input_size = 1, hidden_size = 4, num_layers = 1 and 1 output(s) has 109"),

        // ---- LSTM013: an architecture, layer or option LstmGen does not compile
        ["nam_architecture_wavenet"] = new("amp.nam", () => Fixture("invalid/nam_architecture_wavenet.nam"),
            "LSTM013", "the Neural Amp Modeler architecture \"WaveNet\" (only \"LSTM\" is supported)"),
        ["rtneural_conv1d_layer"] = new("amp.json", () => Fixture("invalid/rtneural_conv1d_layer.json"),
            "LSTM013", "the layer type \"conv1d\" of layer 0 (RTNeural JSON layers \"dense\", \"time-distributed-dense\", \"lstm\" and \"gru\" are supported)"),
        ["rtneural_dense_activation_softmax"] = new("amp.json", () => Fixture("invalid/rtneural_dense_activation_softmax.json"),
            "LSTM013", "the activation \"softmax\" of layer 1 (dense) (\"\", \"linear\", \"tanh\", \"sigmoid\" and \"relu\" are supported)"),
        ["statedict_bidirectional_reverse_keys"] = new("amp.json", () => Fixture("invalid/statedict_bidirectional_reverse_keys.json"),
            "LSTM013", "a bidirectional layer ('lstm.weight_ih_l0_reverse')"),
        ["statedict_proj_size"] = new("amp.json", () => ModelTexts.StateDictLstm(1, 2, "\n  \"lstm.weight_hr_l0\": " + ModelTexts.Tensor(1, 2) + ",", hiddenColumns: 1),
            "LSTM013", "an LSTM with projections (proj_size, 'lstm.weight_hr_l0')"),
        ["statedict_without_biases"] = new("amp.json", () => ModelTexts.TinyStateDict
                .ReplaceOnce("\"lstm.bias_ih_l0\": [0.0625, -0.125, 0.1875, -0.3125],", "")
                .ReplaceOnce("\"lstm.bias_hh_l0\": [0.375, -0.4375, 0.5625, -0.6875],", ""),
            "LSTM013", "a recurrent layer without biases ('lstm.bias_ih_l0' is missing)"),
        ["statedict_conv1d_module"] = new("amp.json", () => ModelTexts.TinyStateDict.ReplaceOnce("{", "{\n  \"conv.weight\": " + ModelTexts.Tensor(2, 1, 3) + ",\n  \"conv.bias\": [0.5, 0.25],"),
            "LSTM013", "the tensor 'conv.weight' of shape [2, 1, 3] (nn.Linear's weight is [out, in]; convolutions and other modules are not supported)"),
        ["agam_unit_type_rnn"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"unit_type\": \"LSTM\"", "\"unit_type\": \"RNN\""),
            "LSTM013", "the unit_type \"RNN\" (LSTM and GRU are supported)"),
        ["rtneural_without_recurrent_layer"] = new("amp.json", () => "{\"in_shape\": [null, 1], \"layers\": [{\"type\": \"dense\", \"shape\": [null, 1], \"weights\": [[[2.5]], [0.5]]}]}",
            "LSTM013", "a model without a recurrent (LSTM or GRU) layer"),

        // ---- LSTM014: the metadata contradicts the weights
        ["agam_hidden_size_16_but_20_unit_weights"] = new("amp.json", () => Fixture("invalid/agam_hidden_size_16_but_20_unit_weights.json"),
            "LSTM014", "model_data says hidden_size = 16, but 'rec.weight_hh_l0' has 20 units (shape [80, 20])"),
        ["rtneural_lstm_shape_16_but_20_unit_weights"] = new("amp.json", () => Fixture("invalid/rtneural_lstm_shape_16_but_20_unit_weights.json"),
            "LSTM014", "layer 0 (lstm) says \"shape\" [.., 16], but its weights have 20 units"),
        ["agam_unit_type_gru_but_lstm_weights"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"unit_type\": \"LSTM\"", "\"unit_type\": \"GRU\""),
            "LSTM014", "model_data says unit_type = GRU, but 'rec.weight_hh_l0' has 4 gates per unit (shape [4, 1]: an LSTM)"),
        ["agam_unit_type_lstm_but_gru_weights"] = new("amp.json", () => Fixture("agam_gru_i1_h12_skip1_trained.json").ReplaceOnce("\"unit_type\": \"GRU\"", "\"unit_type\": \"LSTM\""),
            "LSTM014", "model_data says unit_type = LSTM, but 'rec.weight_hh_l0' has 3 gates per unit (shape [36, 12]: a GRU)"),
        ["agam_input_size_contradicts_weights"] = new("amp.json", () => ModelTexts.TinyGuitarAmp.ReplaceOnce("\"input_size\": 1", "\"input_size\": 2"),
            "LSTM014", "model_data says input_size = 2, but 'rec.weight_ih_l0' takes 1 inputs (shape [4, 1])"),
        ["nam_in_channels_contradicts_input_size"] = new("amp.nam", () => ModelTexts.TinyNam.ReplaceOnce("\"num_layers\": 1", "\"num_layers\": 1, \"in_channels\": 2"),
            "LSTM014", "config says input_size = 1 but in_channels = 2"),
    };

    private const string NoKnownFormat = "no known format (a PyTorch state_dict as JSON, Automated-GuitarAmpModelling JSON with \"model_data\" and \"state_dict\", a Neural Amp Modeler .nam file, or RTNeural's Keras JSON with \"in_shape\" and \"layers\")";

    public static TheoryData<string> InvalidCases => new(Cases.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void Every_model_file_diagnostic_has_cases_and_every_invalid_fixture_is_used()
    {
        Assert.Equal(new[] { "LSTM011", "LSTM012", "LSTM013", "LSTM014" }, Cases.Values.Select(c => c.Id).Distinct().Order(StringComparer.Ordinal));
        string[] invalidFixtures = Directory.GetFiles(Path.Combine(FixtureDirectory, "invalid")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(invalidFixtures, invalidFixtures.Where(Cases.ContainsKey));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public async Task An_invalid_model_file_is_reported_on_the_path_and_generates_nothing(string name)
    {
        InvalidCase c = Cases[name];
        string path = "Models/" + c.FileName;
        string text = c.Text();

        await VerifyAnalyzerAsync(
            $"[LstmGen.RecurrentModel({{|#0:\"{path}\"|}})] public partial class Amp {{ }}",
            new[] { (ProjectDir + path, text) },
            InProject,
            new DiagnosticResult(DiagnosticDescriptors.ForId(c.Id)!).WithLocation(0).WithArguments(path, c.Detail));

        ModelRun run = await RunAsync(Source(path), new[] { new ModelFile(ProjectDir + path, text) }, InProject);
        run.AssertNoCrash(name);
        Assert.Empty(run.HintNames);
        Diagnostic reported = Assert.Single(run.Lstm);
        Assert.Equal(c.Id, reported.Id);
        Assert.Equal(DiagnosticSeverity.Error, reported.Severity);
    }

    // ---- valid files

    public static TheoryData<string> SmallValidFixtures => new()
    {
        "agam_lstm_i1_h3_l2_skip0.json",
        "agam_gru_i1_h12_skip1_trained.json",
        "nam_lstm_h8_l2.nam",
        "rtneural_tddense4relu_lstm6_dense1.json",
        "rtneural_gru12_dense4tanh_dense1sigmoid.json",
        "statedict_lstm_h16_gru_h12_linear4_linear1.json",
    };

    [Theory]
    [MemberData(nameof(SmallValidFixtures))]
    public async Task A_valid_fixture_reports_nothing_and_generates_a_type_that_compiles_without_warnings(string fixture)
    {
        string path = "Models/" + fixture;
        string text = Fixture(fixture);
        await VerifyAnalyzerAsync($"[LstmGen.RecurrentModel(\"{path}\")] public partial class Amp {{ }}", new[] { (ProjectDir + path, text) }, InProject);

        ModelRun run = await RunAsync(Source(path), new[] { new ModelFile(ProjectDir + path, text) }, InProject);
        run.AssertNoCrash(fixture);
        Assert.Empty(run.Lstm);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", run.HintNames);
        Assert.All(run.HintNames.Where(h => h != "N.Amp.RecurrentModel.g.cs"), h => Assert.StartsWith("LstmGen.Generated.", h, StringComparison.Ordinal));
        Assert.Contains(run.HintNames, h => h.StartsWith("LstmGen.Generated.", StringComparison.Ordinal));
        Assert.Empty(GeneratorHarness.Problems(run.Output));
    }

    [Theory]
    [InlineData("amp.json", ModelTexts.TinyStateDict)]
    [InlineData("amp.json", ModelTexts.TinyGuitarAmp)]
    [InlineData("amp.nam", ModelTexts.TinyNam)]
    [InlineData("amp.json", ModelTexts.TinyRTNeural)]
    public async Task The_tiny_inline_models_the_invalid_cases_start_from_are_valid(string fileName, string text)
    {
        ModelRun run = await RunAsync(Source("Models/" + fileName), new[] { new ModelFile(ProjectDir + "Models/" + fileName, text) }, InProject);
        run.AssertNoCrash();
        Assert.Empty(run.Lstm);
        Assert.Equal(new[] { "LstmGen.Generated.Lstm_I1_H1.g.cs", "N.Amp.RecurrentModel.g.cs" }, run.HintNames.Order(StringComparer.Ordinal));
        Assert.Empty(GeneratorHarness.Problems(run.Output));
    }

    [Theory]
    [InlineData("3.4028235e38")] // float.MaxValue
    [InlineData("-3.4028235e38")]
    [InlineData("3.40282356e38")] // above float.MaxValue, but nearer to it than to the next power of two: rounds to MaxValue
    [InlineData("1e-50")] // underflows to zero
    [InlineData("-0")]
    [InlineData("0.5E+0")]
    public async Task Extreme_but_finite_float32_weights_are_accepted(string number)
    {
        string text = ModelTexts.TinyStateDict.ReplaceOnce("2.5", number);
        ModelRun run = await RunAsync(Source("m.json"), new[] { new ModelFile("/proj/m.json", text) }, InProject);
        run.AssertNoCrash(number);
        Assert.Empty(run.Lstm);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", run.HintNames);
    }

    // ---- LSTM010: the path names no (or no single) AdditionalFiles item

    private static DiagnosticResult NotFound(string path) =>
        new DiagnosticResult(DiagnosticDescriptors.ModelFileNotFound).WithLocation(0).WithArguments(path);

    private static string Marked(string path, string type = "Amp") => $"[LstmGen.RecurrentModel({{|#0:\"{path}\"|}})] public partial class {type} {{ }}";

    [Fact]
    public async Task LSTM010_without_any_AdditionalFiles()
    {
        await VerifyAnalyzerAsync(Marked("Models/amp.json"), Array.Empty<(string, string)>(), InProject, NotFound("Models/amp.json"));
        await VerifyAnalyzerAsync(Marked("Models/amp.json"), Array.Empty<(string, string)>(), null, NotFound("Models/amp.json"));
        await AssertNothingGenerated(Source("Models/amp.json"), Array.Empty<ModelFile>(), InProject, "LSTM010");
    }

    [Theory]
    [InlineData("Models/other.json", "/proj/Models/amp.json")] // another file
    [InlineData("amp.json", "/proj/Models/xamp.json")] // a suffix, but not at a folder boundary
    [InlineData("Models/amp.json", "/proj/Models/amp.json.bak")]
    [InlineData("Models/amp.json", "/proj/amp.json")] // the file name matches, the folder does not
    [InlineData("./", "/proj/Models/amp.json")] // (an empty path is LSTM011, below)
    public async Task LSTM010_when_no_item_has_the_path(string path, string item)
    {
        foreach (IReadOnlyDictionary<string, string>? properties in new[] { InProject, null })
        {
            await VerifyAnalyzerAsync(Marked(path), new[] { (item, ModelTexts.TinyStateDict) }, properties, NotFound(path));
            await AssertNothingGenerated(Source(path), new[] { new ModelFile(item, ModelTexts.TinyStateDict) }, properties, "LSTM010");
        }
    }

    [Fact]
    public async Task LSTM010_when_the_compiler_cannot_read_the_item()
    {
        // The item exists, but its text is unavailable (GetText returns null, as for a file deleted after evaluation).
        ModelRun run = await RunAsync(Source("Models/amp.json"), new[] { new ModelFile("/proj/Models/amp.json", null) }, InProject);
        run.AssertNoCrash();
        Assert.Empty(run.HintNames);
        Diagnostic d = Assert.Single(run.Lstm);
        Assert.Equal("LSTM010", d.Id);
        Assert.Equal(
            "'Models/amp.json' is not among the AdditionalFiles of this project: add <AdditionalFiles Include=\"Models/amp.json\" /> to the project file so LstmGen can read it at compile time",
            d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LSTM010_when_two_items_end_with_the_path_and_there_is_no_ProjectDir_to_choose()
    {
        (string, string)[] files = { ("/a/Models/amp.json", ModelTexts.TinyStateDict), ("/b/Models/amp.json", "not json") };
        await VerifyAnalyzerAsync(Marked("Models/amp.json"), files, null, NotFound("Models/amp.json"));
        await AssertNothingGenerated(Source("Models/amp.json"), files.Select(f => new ModelFile(f.Item1, f.Item2)), null, "LSTM010");

        // The same two items with ProjectDir: the one under the project directory is read, whichever it is.
        await VerifyAnalyzerAsync(Marked("Models/amp.json"), files, new Dictionary<string, string> { ["ProjectDir"] = "/a/" });
        await VerifyAnalyzerAsync(Marked("Models/amp.json"), files, new Dictionary<string, string> { ["ProjectDir"] = "/b/" },
            new DiagnosticResult(DiagnosticDescriptors.UnreadableModelFile).WithLocation(0)
                .WithArguments("Models/amp.json", "invalid JSON: unexpected character 'n' at line 1, column 1"));
        ModelRun run = await RunAsync(Source("Models/amp.json"), files.Select(f => new ModelFile(f.Item1, f.Item2)), new Dictionary<string, string> { ["ProjectDir"] = "/a/" });
        run.AssertNoCrash();
        Assert.Empty(run.Lstm);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", run.HintNames);
    }

    [Theory]
    // With ProjectDir: the path relative to it, however spelled.
    [InlineData("Models/amp.json", "/proj/Models/amp.json", "/proj/")]
    [InlineData("Models/amp.json", "/proj/Models/amp.json", "/proj")]
    [InlineData("Models\\amp.json", "/proj/Models/amp.json", "/proj/")]
    [InlineData("./Models/../Models/amp.json", "/proj/Models/amp.json", "/proj/")]
    [InlineData("models/AMP.json", "/proj/Models/amp.json", "/proj/")] // MSBuild's own paths are case-insensitive on Windows
    [InlineData("../shared/amp.json", "/repo/shared/amp.json", "/repo/app/")] // a linked file outside the project
    [InlineData("Models/amp.json", "C:\\src\\proj\\Models\\amp.json", "C:\\src\\proj\\")]
    // Without ProjectDir: the one item ending with the path at a folder boundary.
    [InlineData("Models/amp.json", "/proj/Models/amp.json", null)]
    [InlineData("amp.json", "/somewhere/else/amp.json", null)]
    [InlineData("/proj/Models/amp.json", "/proj/Models/amp.json", null)]
    // With ProjectDir but no item under it: the suffix rule still finds the only candidate.
    [InlineData("Models/amp.json", "/elsewhere/Models/amp.json", "/proj/")]
    public async Task The_path_finds_its_item(string path, string item, string? projectDirectory)
    {
        Dictionary<string, string>? properties = projectDirectory is null ? null : new() { ["ProjectDir"] = projectDirectory };
        await VerifyAnalyzerAsync(Marked(path.Replace("\\", "\\\\")), new[] { (item, ModelTexts.TinyStateDict) }, properties);
        ModelRun run = await RunAsync(Source(path.Replace("\\", "\\\\")), new[] { new ModelFile(item, ModelTexts.TinyStateDict) }, properties);
        run.AssertNoCrash(path);
        Assert.Empty(run.Lstm);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", run.HintNames);
    }

    [Fact]
    public async Task A_linked_file_outside_the_project_is_not_found_without_ProjectDir()
    {
        await VerifyAnalyzerAsync(Marked("../shared/amp.json"), new[] { ("/repo/shared/amp.json", ModelTexts.TinyStateDict) }, null, NotFound("../shared/amp.json"));
    }

    // ---- the type-level rules on [RecurrentModel] types (the file itself is valid)

    private static readonly (string, string)[] ValidFile = { ("/proj/m.json", ModelTexts.TinyStateDict) };

    private static ModelFile[] ValidModelFile => new[] { new ModelFile("/proj/m.json", ModelTexts.TinyStateDict) };

    [Fact]
    public async Task LSTM001_on_a_non_partial_type_and_on_each_non_partial_container()
    {
        const string source = """
            using LstmGen;
            [RecurrentModel("m.json")] public class {|#0:Solo|} { }
            public class {|#1:Outer|} { public partial class Middle { [RecurrentModel("m.json")] public class {|#2:Inner|} { } } }
            public static class {|#3:Holder|} { [RecurrentModel("m.json")] public partial class Amp { } }
            public partial class Fine { [RecurrentModel("m.json")] public partial class Amp { } }
            """;
        await VerifyAnalyzerAsync(source, ValidFile, InProject,
            new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("Solo", "Solo", "recurrent model"),
            new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(2).WithArguments("Inner", "Inner", "recurrent model"),
            new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(1).WithArguments("Outer", "Inner", "recurrent model"),
            new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(3).WithArguments("Holder", "Amp", "recurrent model"));

        ModelRun run = await RunAsync(source.Replace("{|#0:", "").Replace("{|#1:", "").Replace("{|#2:", "").Replace("{|#3:", "").Replace("|}", ""), ValidModelFile, InProject);
        run.AssertNoCrash();
        Assert.Equal(new[] { "Fine.Amp.RecurrentModel.g.cs", "LstmGen.Generated.Lstm_I1_H1.g.cs" }, run.HintNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LSTM003_names_the_type_the_reason_and_RecurrentModel()
    {
        const string source = """
            using LstmGen;
            [RecurrentModel("m.json")] partial class {|#0:G|}<T> { }
            [RecurrentModel("m.json")] static partial class {|#1:S|} { }
            [RecurrentModel("m.json")] abstract partial class {|#2:A|} { }
            [RecurrentModel("m.json")] partial record {|#3:R|} { }
            [RecurrentModel("m.json")] file partial class {|#4:F|} { }
            """;
        await VerifyAnalyzerAsync(source, ValidFile, InProject,
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedType).WithLocation(0).WithArguments("G", "it is generic (sizes and kernels are generated per closed type)", "RecurrentModel"),
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedType).WithLocation(1).WithArguments("S", "it is static (each instance owns its parameters)", "RecurrentModel"),
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedType).WithLocation(2).WithArguments("A", "it is abstract (the generated members need a concrete type)", "RecurrentModel"),
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedType).WithLocation(3).WithArguments("R", "it is a record (value equality over a parameter buffer is misleading)", "RecurrentModel"),
            new DiagnosticResult(DiagnosticDescriptors.UnsupportedType).WithLocation(4).WithArguments("F", "it is file-local (the generated part is a different file, so it would be a different type)", "RecurrentModel"));

        await AssertNothingGenerated(StripMarkup(source), ValidModelFile, InProject, "LSTM003", expectedCount: 5);
    }

    [Fact]
    public async Task LSTM003_accepts_sealed_internal_and_nested_model_types()
    {
        const string source = """
            using LstmGen;
            [RecurrentModel("m.json")] sealed partial class S { }
            [RecurrentModel("m.json")] internal partial class I { }
            partial record R { [RecurrentModel("m.json")] private partial class InRecord { } }
            partial class Outer<T> { [RecurrentModel("m.json")] public partial class InGeneric { } }
            """;
        await VerifyAnalyzerAsync(source, ValidFile, InProject);
        ModelRun run = await RunAsync(source, ValidModelFile, InProject);
        run.AssertNoCrash();
        Assert.Equal(
            new[] { "I.RecurrentModel.g.cs", "LstmGen.Generated.Lstm_I1_H1.g.cs", "Outer`1.InGeneric.RecurrentModel.g.cs", "R.InRecord.RecurrentModel.g.cs", "S.RecurrentModel.g.cs" },
            run.HintNames.Order(StringComparer.Ordinal));
        Assert.Empty(GeneratorHarness.Problems(run.Output));
    }

    [Fact]
    public async Task LSTM006_reports_a_user_member_named_like_each_ModelMembers_entry()
    {
        var source = new StringBuilder("[LstmGen.RecurrentModel(\"m.json\")]\npartial class M\n{\n");
        var expected = new List<DiagnosticResult>();
        for (int k = 0; k < ModelMembers.All.Length; k++)
        {
            string name = ModelMembers.All[k];
            source.Append($"    public int {{|#{k}:{name}|}};\n");
            expected.Add(new DiagnosticResult(DiagnosticDescriptors.MemberConflict).WithLocation(k).WithArguments("M", name));
        }

        // Names the [Lstm] registry has but a model type does not get are not conflicts here.
        source.Append("    public int HiddenSize, SequenceLength, Forward, Step;\n}\n");
        await VerifyAnalyzerAsync(source.ToString(), ValidFile, InProject, expected.ToArray());
    }

    [Theory]
    [InlineData("private int Process;")]
    [InlineData("public void Reset(string s) { }")]
    [InlineData("public class InputSize { }")]
    [InlineData("private static float[] _lstmGenState = new float[1];")]
    [InlineData("public const int SampleRate = 44100;")] // reserved even though this file has no sample rate
    [InlineData("private static int LstmGenInitialState;")] // the same for the initial state
    public async Task LSTM006_a_clashing_member_stops_generation(string member)
    {
        string source = $"[LstmGen.RecurrentModel(\"m.json\")] partial class M {{ {member} }}";
        await AssertNothingGenerated(source, ValidModelFile, InProject, "LSTM006");
    }

    [Fact]
    public async Task LSTM006_when_the_type_is_named_like_a_generated_member()
    {
        await VerifyAnalyzerAsync("[LstmGen.RecurrentModel(\"m.json\")] partial class {|#0:Process|} { }", ValidFile, InProject,
            new DiagnosticResult(DiagnosticDescriptors.MemberConflict).WithLocation(0).WithArguments("Process", "Process"));
    }

    [Theory]
    [InlineData("[Lstm(4, 8, 10)] [RecurrentModel(\"m.json\")]", "[Lstm], [RecurrentModel]")]
    [InlineData("[RecurrentModel(\"m.json\")] [Gru(4, 8, 10)]", "[RecurrentModel], [Gru]")]
    [InlineData("[RecurrentModel(\"m.json\"), Lstm(4, 8, 10), Gru(4, 8, 10)]", "[RecurrentModel], [Lstm], [Gru]")]
    public async Task LSTM015_once_for_a_model_attribute_next_to_Lstm_or_Gru(string attributes, string named)
    {
        string source = $"using LstmGen;\n{attributes} public partial class {{|#0:Both|}} {{ }}";
        await VerifyAnalyzerAsync(source, ValidFile, InProject,
            new DiagnosticResult(DiagnosticDescriptors.ConflictingAttributes).WithLocation(0).WithArguments("Both", named));
        await AssertNothingGenerated(StripMarkup(source), ValidModelFile, InProject, "LSTM015");
    }

    [Fact]
    public async Task LSTM016_on_a_model_type_for_an_invalid_LstmGenInstructionSets()
    {
        var properties = new Dictionary<string, string> { ["ProjectDir"] = ProjectDir, ["LstmGenInstructionSets"] = "Avx3" };
        await VerifyAnalyzerAsync("[{|#0:LstmGen.RecurrentModel(\"m.json\")|}] partial class M { }", ValidFile, properties,
            new DiagnosticResult(DiagnosticDescriptors.InvalidInstructionSets).WithLocation(0).WithArguments("Avx3"));
        await AssertNothingGenerated("[LstmGen.RecurrentModel(\"m.json\")] partial class M { }", ValidModelFile, properties, "LSTM016");
    }

    [Theory]
    [InlineData("null", "")]
    [InlineData("\"\"", "")]
    [InlineData("\"  \"", "  ")]
    public async Task A_null_or_empty_path_is_LSTM011_on_the_argument_and_generates_nothing(string argument, string shown)
    {
        // null is a constant string argument (the compiler's nullable analysis also warns, CS8625). No file is read.
        await VerifyAnalyzerAsync($"[LstmGen.RecurrentModel({{|#0:{argument}|}})] partial class M {{ }}", ValidFile, InProject,
            new DiagnosticResult(DiagnosticDescriptors.UnreadableModelFile).WithLocation(0).WithArguments(
                shown, "the path is empty or null; give the model file's path relative to the project directory, e.g. \"Models/amp.json\""));
        ModelRun run = await RunAsync($"[LstmGen.RecurrentModel({argument})] partial class M {{ }}", ValidModelFile, InProject);
        run.AssertNoCrash();
        Assert.Empty(run.HintNames);
        Assert.Equal(new[] { "LSTM011" }, run.Lstm.Select(d => d.Id));
    }

    [Fact]
    public async Task Type_and_file_problems_are_both_reported()
    {
        await VerifyAnalyzerAsync("[LstmGen.RecurrentModel({|#1:\"missing.json\"|})] class {|#0:M|} { }", ValidFile, InProject,
            new DiagnosticResult(DiagnosticDescriptors.NotPartial).WithLocation(0).WithArguments("M", "M", "recurrent model"),
            new DiagnosticResult(DiagnosticDescriptors.ModelFileNotFound).WithLocation(1).WithArguments("missing.json"));
    }

    [Fact]
    public async Task One_invalid_model_type_does_not_stop_a_valid_one()
    {
        const string source = """
            namespace N;
            [LstmGen.RecurrentModel("m.json")] public partial class Good { }
            [LstmGen.RecurrentModel("bad.json")] public partial class Bad { }
            [LstmGen.RecurrentModel("missing.json")] public partial class Missing { }
            """;
        ModelRun run = await RunAsync(source, new[] { new ModelFile("/proj/m.json", ModelTexts.TinyStateDict), new ModelFile("/proj/bad.json", "{") }, InProject);
        run.AssertNoCrash();
        Assert.Equal(new[] { "LSTM010", "LSTM011" }, run.Lstm.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "LstmGen.Generated.Lstm_I1_H1.g.cs", "N.Good.RecurrentModel.g.cs" }, run.HintNames.Order(StringComparer.Ordinal));
        Assert.Empty(GeneratorHarness.Problems(run.Output));
    }

    private static string StripMarkup(string source) =>
        System.Text.RegularExpressions.Regex.Replace(source, @"\{\|#\d+:|\|\}", string.Empty);

    /// <summary>The generator emits nothing, neither side throws, and the analyzer reports <paramref name="id"/> (only).</summary>
    private static async Task AssertNothingGenerated(string source, IEnumerable<ModelFile> files, IReadOnlyDictionary<string, string>? properties, string id, int expectedCount = 1)
    {
        ModelRun run = await RunAsync(source, files, properties);
        run.AssertNoCrash(source);
        Assert.Empty(run.HintNames);
        Assert.Equal(Enumerable.Repeat(id, expectedCount), run.Lstm.Select(d => d.Id));
    }
}
