using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LstmGen.Generator.Parsing.ModelFiles;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;
using static LstmGen.Generator.Tests.ModelHarness;

namespace LstmGen.Generator.Tests;

/// <summary>
/// Broken and hostile model files: thousands of mutations of every valid fixture (truncations, deleted and inserted
/// characters, huge and non-finite numbers, values of the wrong kind, duplicated and removed members and layers, deep
/// nesting, hostile settings), 10 MB files, and names that could break the generated code. Reading never throws and
/// never hangs, every failure is one of LSTM011–LSTM014 with a message (never the reader's internal-error fallback), and
/// through the generator and the analyzer together nothing throws and the two agree.
/// </summary>
[Collection(nameof(ModelFileRobustnessTests))]
public sealed class ModelFileRobustnessTests
{
    private readonly ITestOutputHelper _output;

    public ModelFileRobustnessTests(ITestOutputHelper output) => _output = output;

    private static readonly string[] FileDiagnostics = { "LSTM011", "LSTM012", "LSTM013", "LSTM014" };

    /// <summary>
    /// Reads on a thread of its own (not the pool, which other tests may keep busy), failing if it takes longer than
    /// <paramref name="bound"/>: a hang fails instead of stalling the run.
    /// </summary>
    private static ModelFileResult ReadWithin(string path, string text, TimeSpan bound, string what)
    {
        ModelFileResult? result = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = ModelFileReader.Read(path, text);
            }
            catch (Exception e)
            {
                error = e;
            }
        }) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(bound), $"{what}: reading took longer than {bound.TotalSeconds} s");
        Assert.True(error is null, $"{what}: ModelFileReader.Read threw {error}");
        return result!;
    }

    /// <summary>A failure is a model-file diagnostic with the path and a message that formats; never the internal-error fallback.</summary>
    private static void AssertJudged(ModelFileResult result, string path, string what)
    {
        if (result.Network is not null)
        {
            Assert.True(result.ProblemArguments.Count == 0, what);
            return;
        }

        Assert.True(FileDiagnostics.Contains(result.ProblemId), $"{what}: {result.ProblemId}");
        Assert.True(result.ProblemArguments.Count == 2 && result.ProblemArguments[0] == path, $"{what}: arguments {string.Join(" | ", result.ProblemArguments)}");
        string detail = result.ProblemArguments[1];
        Assert.False(string.IsNullOrWhiteSpace(detail), what);
        Assert.False(detail.StartsWith("an internal error", StringComparison.Ordinal), $"{what}: {detail}");
        string message = string.Format(CultureInfo.InvariantCulture, DiagnosticDescriptors.ForId(result.ProblemId)!.MessageFormat.ToString(CultureInfo.InvariantCulture), path, detail);
        Assert.Contains(detail, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_valid_fixture_reads()
    {
        Assert.True(ValidFixtures.Count >= 17, string.Join(", ", ValidFixtures));
        foreach (string fixture in ValidFixtures)
        {
            ModelFileResult result = ModelFileReader.Read(fixture, Fixture(fixture));
            Assert.True(result.Network is not null, $"{fixture}: {string.Join(" | ", result.ProblemArguments)}");
        }
    }

    // ---- mutations

    private static readonly Regex NumberToken = new(@"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", RegexOptions.CultureInvariant);

    private static readonly string[] HostileNumbers =
    {
        "1e39", "-1e39", "3.5e38", "1e400", "-1e400", "1e-400", "NaN", "Infinity", "-Infinity", "0", "-0", "1e308",
        "123456789012345678901234567890", "4097", "65537", "2147483648", "-1", "0.5", "1.0000001",
    };

    private static readonly string[] WrongKinds = { "\"x\"", "null", "true", "false", "{}", "[]", "[1, 2]", "[[1], [2, 3]]", "{\"a\": 1}", "\"\"" };

    private const string Alphabet = "{}[],:\"\\-+.eE0123456789 \n\t\r/*NaInfitylrusf\u00e9\u2028\0\uFEFF\uD800";

    private sealed record Mutation(string Kind, string Text);

    private static Mutation Mutate(string text, MatchCollection numbers, string fixture, Random random)
    {
        switch (random.Next(12))
        {
            case 0:
                return new("truncate", text.Substring(0, random.Next(text.Length)));
            case 1:
            {
                var builder = new StringBuilder(text);
                for (int k = random.Next(1, 4); k > 0 && builder.Length > 0; k--)
                {
                    builder.Remove(random.Next(builder.Length), 1);
                }

                return new("delete characters", builder.ToString());
            }

            case 2:
            {
                var builder = new StringBuilder(text);
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    builder.Insert(random.Next(builder.Length + 1), Alphabet[random.Next(Alphabet.Length)]);
                }

                return new("insert characters", builder.ToString());
            }

            case 3:
            {
                Match m = numbers[random.Next(numbers.Count)];
                return new("hostile number", text.Substring(0, m.Index) + HostileNumbers[random.Next(HostileNumbers.Length)] + text.Substring(m.Index + m.Length));
            }

            case 4:
            {
                Match m = numbers[random.Next(numbers.Count)];
                return new("wrong kind of value", text.Substring(0, m.Index) + WrongKinds[random.Next(WrongKinds.Length)] + text.Substring(m.Index + m.Length));
            }

            case 5:
            {
                Match m = numbers[random.Next(numbers.Count)];
                int depth = new[] { 1, 2, 3, 63, 64, 70 }[random.Next(6)];
                return new("nest a number", text.Substring(0, m.Index) + new string('[', depth) + m.Value + new string(']', depth) + text.Substring(m.Index + m.Length));
            }

            case 6:
            {
                // Swap two characters.
                char[] chars = text.ToCharArray();
                int a = random.Next(chars.Length), b = random.Next(chars.Length);
                (chars[a], chars[b]) = (chars[b], chars[a]);
                return new("swap characters", new string(chars));
            }

            default:
                return StructuralMutation(text, fixture, random);
        }
    }

    /// <summary>Mutations of the parsed document, written back as JSON.</summary>
    private static Mutation StructuralMutation(string text, string fixture, Random random)
    {
        var root = (JsonObject)JsonReader.Parse(text);
        var objects = new List<JsonObject>();
        var arrays = new List<JsonArray>();
        Collect(root, objects, arrays);
        string kind;
        switch (random.Next(8))
        {
            case 0:
                kind = "duplicate a layer";
                DuplicateLayer(root, fixture, random);
                break;
            case 1:
            {
                kind = "remove a member";
                JsonObject o = Pick(objects.Where(x => x.Members.Count > 0).ToList(), random);
                o.Members.RemoveAt(random.Next(o.Members.Count));
                break;
            }

            case 2:
            {
                kind = "duplicate a member under the same name";
                JsonObject o = Pick(objects.Where(x => x.Members.Count > 0).ToList(), random);
                o.Members.Add(o.Members[random.Next(o.Members.Count)]);
                break;
            }

            case 3:
            {
                kind = "rename a member";
                JsonObject o = Pick(objects.Where(x => x.Members.Count > 0).ToList(), random);
                int index = random.Next(o.Members.Count);
                string key = o.Members[index].Key;
                string renamed = key.Length == 0 ? "x" : key.Remove(random.Next(key.Length), 1).Insert(random.Next(key.Length), ((char)random.Next('0', 'z')).ToString());
                if (o[renamed] is null)
                {
                    o.Members[index] = new(renamed, o.Members[index].Value);
                }

                break;
            }

            case 4:
            {
                kind = "duplicate an array item";
                JsonArray a = Pick(arrays.Where(x => x.Items.Count > 0).ToList(), random);
                int index = random.Next(a.Items.Count);
                a.Items.Insert(index, a.Items[index]);
                break;
            }

            case 5:
            {
                kind = "remove an array item";
                JsonArray a = Pick(arrays.Where(x => x.Items.Count > 0).ToList(), random);
                a.Items.RemoveAt(random.Next(a.Items.Count));
                break;
            }

            case 6:
            {
                kind = "hostile setting";
                // An integer setting or size (any member holding a number) set to a value of the wrong size or kind.
                var settings = objects.SelectMany(o => o.Members.Select((m, i) => (Owner: o, Index: i))).Where(p => p.Owner.Members[p.Index].Value is JsonNumber).ToList();
                if (settings.Count == 0)
                {
                    goto default;
                }

                (JsonObject owner, int index) = Pick(settings, random);
                string[] values = { "0", "-1", "1.5", "4097", "65537", "1000000000", "1e300", "NaN", "Infinity", "\"16\"", "null", "true", "[16]", "2", "3", "64", "65" };
                owner.Members[index] = new(owner.Members[index].Key, JsonReader.Parse(values[random.Next(values.Length)]));
                break;
            }

            default:
            {
                kind = "wrap an array in another";
                JsonArray a = Pick(arrays, random);
                var inner = new JsonArray(a.Line, a.Column, new List<JsonValue>(a.Items));
                a.Items.Clear();
                a.Items.Add(inner);
                break;
            }
        }

        return new(kind, Write(root));
    }

    /// <summary>Appends a copy of a layer, in each format's own way.</summary>
    private static void DuplicateLayer(JsonObject root, string fixture, Random random)
    {
        if (root["layers"] is JsonArray layers && layers.Items.Count > 0)
        {
            // RTNeural: the same layer twice in a row.
            int index = random.Next(layers.Items.Count);
            layers.Items.Insert(index, layers.Items[index]);
        }
        else if (root["state_dict"] is JsonObject tensors && root["model_data"] is JsonObject data)
        {
            // Automated-GuitarAmpModelling: the last layer's tensors again as one more layer, and num_layers raised.
            int layersNow = data["num_layers"] is JsonNumber n ? (int)n.Value : 1;
            foreach (KeyValuePair<string, JsonValue> member in tensors.Members.Where(m => m.Key.EndsWith($"_l{layersNow - 1}", StringComparison.Ordinal)).ToList())
            {
                tensors.Members.Add(new(member.Key.Substring(0, member.Key.Length - 1 - (layersNow - 1).ToString(CultureInfo.InvariantCulture).Length + 1) + layersNow.ToString(CultureInfo.InvariantCulture), member.Value));
            }

            Replace(data, "num_layers", new JsonNumber(1, 1, layersNow + 1, (layersNow + 1).ToString(CultureInfo.InvariantCulture)));
        }
        else if (root["config"] is JsonObject config && root["weights"] is JsonArray weights)
        {
            // NAM: one more layer declared, and the first layer's weights appended (right only when input size = hidden size).
            int layersNow = config["num_layers"] is JsonNumber n ? (int)n.Value : 1;
            Replace(config, "num_layers", new JsonNumber(1, 1, layersNow + 1, (layersNow + 1).ToString(CultureInfo.InvariantCulture)));
            weights.Items.AddRange(weights.Items.Take(weights.Items.Count / (layersNow + 1)).ToList());
        }
        else
        {
            // state_dict: every tensor of one module again, as a new module after the others.
            string[] prefixes = root.Members.Select(m => m.Key.Contains('.') ? m.Key.Substring(0, m.Key.LastIndexOf('.')) : string.Empty).Distinct().ToArray();
            string prefix = prefixes[random.Next(prefixes.Length)];
            foreach (KeyValuePair<string, JsonValue> member in root.Members.Where(m => m.Key.StartsWith(prefix + ".", StringComparison.Ordinal)).ToList())
            {
                root.Members.Add(new(prefix + "_copy" + member.Key.Substring(prefix.Length), member.Value));
            }

            _ = fixture;
        }
    }

    private static void Replace(JsonObject owner, string key, JsonValue value)
    {
        int index = owner.Members.FindIndex(m => m.Key == key);
        if (index < 0)
        {
            owner.Members.Add(new(key, value));
        }
        else
        {
            owner.Members[index] = new(key, value);
        }
    }

    private static T Pick<T>(IReadOnlyList<T> items, Random random) => items[random.Next(items.Count)];

    private static void Collect(JsonValue value, List<JsonObject> objects, List<JsonArray> arrays)
    {
        switch (value)
        {
            case JsonObject o:
                objects.Add(o);
                foreach (KeyValuePair<string, JsonValue> member in o.Members)
                {
                    Collect(member.Value, objects, arrays);
                }

                break;
            case JsonArray a:
                arrays.Add(a);
                foreach (JsonValue item in a.Items)
                {
                    Collect(item, objects, arrays);
                }

                break;
        }
    }

    /// <summary>A JSON value as text (numbers as they were written).</summary>
    private static string Write(JsonValue value)
    {
        var builder = new StringBuilder();
        Append(value);
        return builder.ToString();

        void Append(JsonValue v)
        {
            switch (v)
            {
                case JsonObject o:
                    builder.Append('{');
                    for (int k = 0; k < o.Members.Count; k++)
                    {
                        builder.Append(k == 0 ? string.Empty : ", ");
                        AppendString(o.Members[k].Key);
                        builder.Append(": ");
                        Append(o.Members[k].Value);
                    }

                    builder.Append('}');
                    break;
                case JsonArray a:
                    builder.Append('[');
                    for (int k = 0; k < a.Items.Count; k++)
                    {
                        builder.Append(k == 0 ? string.Empty : ", ");
                        Append(a.Items[k]);
                    }

                    builder.Append(']');
                    break;
                case JsonNumber n:
                    builder.Append(n.Text);
                    break;
                case JsonString s:
                    AppendString(s.Value);
                    break;
                case JsonLiteral l:
                    builder.Append(l.Value is null ? "null" : l.Value.Value ? "true" : "false");
                    break;
            }
        }

        void AppendString(string s)
        {
            builder.Append('"');
            foreach (char c in s)
            {
                builder.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                    _ => c.ToString(),
                });
            }

            builder.Append('"');
        }
    }

    [Fact]
    public void The_writer_the_structural_mutations_use_reproduces_every_fixture()
    {
        foreach (string fixture in ValidFixtures)
        {
            string text = Fixture(fixture);
            Assert.Equal(ModelFileReader.Read("m", text), ModelFileReader.Read("m", Write(JsonReader.Parse(text))));
        }
    }

    [Fact]
    public void Thousands_of_mutations_of_every_fixture_never_throw_or_hang_and_fail_with_a_model_file_diagnostic()
    {
        var random = new Random(20261130);
        var stopwatch = Stopwatch.StartNew();
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int mutations = 0;
        foreach (string fixture in ValidFixtures)
        {
            string text = Fixture(fixture);
            MatchCollection numbers = NumberToken.Matches(text);

            // About 12 MB of mutated text per fixture: ~100 mutations of the larger files, up to 400 of the small ones.
            int count = Math.Clamp(12_000_000 / text.Length, 60, 400);
            for (int n = 0; n < count; n++)
            {
                Mutation mutation = Mutate(text, numbers, fixture, random);
                string what = $"{fixture}, mutation {n} ({mutation.Kind})";
                ModelFileResult result = ReadWithin(fixture, mutation.Text, TimeSpan.FromSeconds(5), what);
                AssertJudged(result, fixture, what);
                string outcome = $"{mutation.Kind}: {(result.Network is null ? result.ProblemId : "valid")}";
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
                mutations++;
            }
        }

        _output.WriteLine($"{mutations} mutations in {stopwatch.Elapsed.TotalSeconds:F1} s");
        foreach ((string outcome, int count) in outcomes)
        {
            _output.WriteLine($"{count,6}  {outcome}");
        }

        // Every diagnostic arises, and some mutations leave a valid model (a changed weight, a duplicated dense layer).
        foreach (string id in FileDiagnostics)
        {
            Assert.Contains(outcomes.Keys, k => k.EndsWith(id, StringComparison.Ordinal));
        }

        Assert.Contains(outcomes.Keys, k => k.EndsWith("valid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mutations_through_the_generator_and_the_analyzer_never_throw_and_agree()
    {
        var random = new Random(77);
        var stopwatch = Stopwatch.StartNew();
        int valid = 0, invalid = 0;
        foreach (string fixture in ValidFixtures)
        {
            string text = Fixture(fixture);
            MatchCollection numbers = NumberToken.Matches(text);
            for (int n = 0; n < 6; n++)
            {
                Mutation mutation = n == 0 ? new("none", text) : Mutate(text, numbers, fixture, random);
                string what = $"{fixture}, mutation {n} ({mutation.Kind})";
                string path = "Models/" + fixture;
                ModelRun run = await RunAsync(Source(path), new[] { new ModelFile(ProjectDir + path, mutation.Text) }, InProject);
                run.AssertNoCrash(what);

                // The analyzer and the generator judge the file alike: an error and nothing generated, or neither.
                Diagnostic[] reported = run.Lstm.ToArray();
                if (reported.Length == 0)
                {
                    Assert.True(run.HintNames.Contains("N.Amp.RecurrentModel.g.cs"), $"{what}: nothing reported, but nothing generated either");
                    valid++;
                }
                else
                {
                    Diagnostic d = Assert.Single(reported);
                    Assert.True(FileDiagnostics.Contains(d.Id), $"{what}: {d}");
                    Assert.Equal(DiagnosticSeverity.Error, d.Severity);
                    Assert.Equal($"\"{path}\"", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
                    Assert.True(run.Result.GeneratedSources.IsEmpty, $"{what}: {d.Id} reported, but generated {string.Join(", ", run.HintNames)}");
                    invalid++;
                }
            }
        }

        _output.WriteLine($"{valid} valid and {invalid} invalid files through the generator and the analyzer in {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.True(valid >= ValidFixtures.Count && invalid >= 20, $"{valid} valid, {invalid} invalid");
    }

    // ---- large files

    private const int TenMegabytes = 10 * 1024 * 1024;

    private static string Repeat(string unit, int totalLength) => new StringBuilder(totalLength + unit.Length).Insert(0, unit, totalLength / unit.Length).ToString();

    public static TheoryData<string> LargeFiles => new()
    {
        "open brackets", "balanced brackets", "nested objects", "flat array", "nam weights", "long number", "long fraction", "long string",
        "whitespace", "many members", "many layers", "many NaN",
    };

    private static (string Text, string Id, string DetailStart) Large(string name) => name switch
    {
        "open brackets" => (new string('[', TenMegabytes), "LSTM011", "invalid JSON: nesting deeper than 64 levels at line 1, column 65"),
        "balanced brackets" => (new string('[', TenMegabytes / 2) + new string(']', TenMegabytes / 2), "LSTM011", "invalid JSON: nesting deeper than 64 levels at line 1, column 65"),
        "nested objects" => (Repeat("{\"a\": ", TenMegabytes), "LSTM011", "invalid JSON: nesting deeper than 64 levels at line 1, column 385"),
        "flat array" => ("{\"linear.weight\": [" + Repeat("0.125, ", TenMegabytes) + "1]}", "LSTM013", "the tensor 'linear.weight' of shape [1497966] (nn.Linear's weight is [out, in]"),
        "nam weights" => ("{\"architecture\": \"LSTM\", \"config\": {\"input_size\": 1, \"hidden_size\": 16}, \"weights\": [" + Repeat("-0.25, ", TenMegabytes) + "1]}", "LSTM012", "the \"weights\" array holds 1497966 numbers, but an LSTM with input_size = 1, hidden_size = 16, num_layers = 1 and 1 output(s) has 1201"),
        "long number" => ("{\"linear.weight\": [[1" + new string('0', TenMegabytes) + "]]}", "LSTM011", "'linear.weight' holds the non-finite value 1000"),
        "long fraction" => ("{\"linear.weight\": [[0." + new string('5', TenMegabytes) + "]], \"linear.bias\": [0.5]}", "LSTM013", "a model without a recurrent (LSTM or GRU) layer"),
        "long string" => ("{\"model\": \"" + new string('x', TenMegabytes) + "\"}", "LSTM011", "no known format"),
        "whitespace" => (new string(' ', TenMegabytes / 2) + Repeat("\r\n", TenMegabytes / 2) + "{}", "LSTM011", "no known format"),
        "many members" => ("{" + string.Join(", ", Enumerable.Range(0, TenMegabytes / 24).Select(k => $"\"m{k}.weight\": [[0.5]]")) + "}", "LSTM013", "a model without a recurrent (LSTM or GRU) layer"),
        "many layers" => ("{\"in_shape\": [null, 1], \"layers\": [" + string.Join(", ", Enumerable.Range(0, TenMegabytes / 68).Select(_ => "{\"type\": \"dense\", \"shape\": [null, 1], \"weights\": [[[0.5]], [0.25]]}")) + "]}", "LSTM013", "a model without a recurrent (LSTM or GRU) layer"),
        "many NaN" => ("{\"lstm.weight_ih_l0\": [" + Repeat("NaN, ", TenMegabytes) + "NaN]}", "LSTM012", "tensor 'lstm.weight_hh_l0' is missing"),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(LargeFiles))]
    public void A_10_MB_file_is_judged_within_5_seconds(string name)
    {
        (string text, string id, string detailStart) = Large(name);
        Assert.True(text.Length >= TenMegabytes - 100, $"{name}: {text.Length} characters");
        var stopwatch = Stopwatch.StartNew();
        ModelFileResult result = ReadWithin("big.json", text, TimeSpan.FromSeconds(5), name);
        _output.WriteLine($"{name}: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        AssertJudged(result, "big.json", name);
        Assert.Equal(id, result.ProblemId);
        Assert.StartsWith(detailStart, result.ProblemArguments[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_10_MB_file_through_the_generator_and_the_analyzer()
    {
        (string text, _, _) = Large("flat array");
        var stopwatch = Stopwatch.StartNew();
        ModelRun run = await RunAsync(Source("big.json"), new[] { new ModelFile("/proj/big.json", text) }, InProject);
        _output.WriteLine($"{stopwatch.Elapsed.TotalMilliseconds:F0} ms");
        run.AssertNoCrash();
        Assert.Equal("LSTM013", Assert.Single(run.Lstm).Id);
        Assert.Empty(run.HintNames);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"{stopwatch.Elapsed}");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_without_parsing()
    {
        string text = new('[', ModelFileReader.MaxFileCharacters + 1);
        ModelFileResult result = ReadWithin("huge.json", text, TimeSpan.FromSeconds(1), "64 Mi + 1 characters");
        Assert.Equal("LSTM011", result.ProblemId);
        Assert.Equal("it has 67,108,865 characters, more than the 67,108,864 a model file may have", result.ProblemArguments[1]);
    }

    [Theory]
    // The first row claims a width, the rows that follow are short: shape [rows, width] from the first row alone is far
    // more floats than the file holds.
    [InlineData(2_000, 100_000)]
    [InlineData(100_000, 100_000)]
    [InlineData(3_000_000, 1_000)]
    public void A_tensor_whose_first_row_claims_a_huge_shape_is_not_rectangular_and_allocates_nothing_large(int rows, int width)
    {
        string firstRow = "[" + Repeat("0.5, ", width * 5 - 5) + "0.5]";
        string text = "{\"linear.weight\": [" + firstRow + Repeat(", [1]", (rows - 1) * 5) + "]}";
        // On this thread, to count what it allocates: the parsed document takes up to ~40 bytes per character (a
        // one-number row "[1], " is an array, its list and a number), a float array of rows·width would take gigabytes.
        long before = GC.GetAllocatedBytesForCurrentThread();
        ModelFileResult result = ModelFileReader.Read("m.json", text);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        AssertJudged(result, "m.json", $"{rows} x {width}");
        Assert.Equal("LSTM012", result.ProblemId);
        Assert.StartsWith("tensor 'linear.weight' is not rectangular: a row of 1 at line 1, column ", result.ProblemArguments[1], StringComparison.Ordinal);
        Assert.True(allocated < 60L * text.Length + 10_000_000, $"{allocated:N0} bytes allocated for {text.Length:N0} characters");
    }

    [Fact]
    public void A_deep_tensor_of_small_rows_whose_shape_product_overflows_is_not_rectangular()
    {
        // 60 levels of 12 items each along the first path, single items elsewhere: 12^60 claimed values, a few hundred written.
        string Nest(int level) => level == 60 ? "0.5" : "[" + Nest(level + 1) + string.Concat(Enumerable.Repeat(", 1", 11)) + "]";
        ModelFileResult result = ReadWithin("m.json", "{\"linear.weight\": " + Nest(0) + "}", TimeSpan.FromSeconds(5), "12^60");
        AssertJudged(result, "m.json", "12^60");
        Assert.Equal("LSTM012", result.ProblemId);
        Assert.StartsWith("tensor 'linear.weight' is not rectangular", result.ProblemArguments[1], StringComparison.Ordinal);
    }

    // ---- names from the file in the generated code

    [Theory]
    [InlineData("line\\nbreak")]
    [InlineData("carriage\\rreturn")]
    [InlineData("line\\u2028separator")]
    [InlineData("paragraph\\u2029separator")]
    [InlineData("next\\u0085line")]
    [InlineData("<c>&amp;</c>\\\" */ /* //")]
    [InlineData("control\\u0001char")]
    [InlineData("lone\\ud800surrogate")]
    [InlineData("#error x")]
    public async Task Module_names_from_the_file_cannot_break_the_generated_code(string escapedName)
    {
        // A state_dict's module names (JSON-escaped here) become the layers' names, which the generated documentation shows.
        string text = ModelTexts.TinyStateDict.Replace("\"lstm.", $"\"{escapedName}.").Replace("\"linear.", $"\"{escapedName}2.");
        var parse = new CSharpParseOptions(LanguageVersion.Latest, DocumentationMode.Diagnose);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Source("m.json"));
        compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees[0], CSharpSyntaxTree.ParseText(Source("m.json"), parse, "Source0.cs"));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new LstmGenerator().AsSourceGenerator() },
            new AdditionalText[] { new ModelFile("/proj/m.json", text) },
            parse,
            new GeneratorHarness.BuildProperties(new Dictionary<string, string> { ["ProjectDir"] = ProjectDir }));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("N.Amp.RecurrentModel.g.cs", StringComparison.Ordinal));
        IReadOnlyList<Diagnostic> problems = GeneratorHarness.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData("Models/a\\nb.json")]
    [InlineData("Models/a\\u2028b.json")]
    [InlineData("Models/<c>&amp;\\\"x.json")]
    public void A_path_with_line_breaks_or_markup_cannot_break_the_generated_code(string escapedPath)
    {
        string path = Regex.Unescape(escapedPath);
        CSharpCompilation compilation = GeneratorHarness.Compile(false, Source(escapedPath));
        var (output, result, diagnostics) = GeneratorHarness.Run(compilation, new Dictionary<string, string> { ["ProjectDir"] = ProjectDir }, new[] { new ModelFile(ProjectDir + path, ModelTexts.TinyStateDict) });
        Assert.Empty(diagnostics);
        Assert.Contains("N.Amp.RecurrentModel.g.cs", result.GeneratedSources.Select(s => s.HintName));
        IReadOnlyList<Diagnostic> problems = GeneratorHarness.Problems(output);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(5)));
    }
}

/// <summary>The time bounds are about the reader, not the other tests: this class runs alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(ModelFileRobustnessTests), DisableParallelization = true)]
public sealed class ModelFileRobustnessCollection
{
}
