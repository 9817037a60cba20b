using System.Globalization;
using LstmGen.Generator.Parsing.ModelFiles;
using Xunit;

namespace LstmGen.Generator.Tests;

/// <summary>
/// The embedded JSON reader the model files go through: values and their positions, string escapes, numbers (float32
/// round-trip from 9 significant digits), errors with line and column, the depth limit, and Python's NaN/Infinity.
/// </summary>
public sealed class JsonReaderTests
{
    private static string ErrorOf(string text) => Assert.Throws<JsonSyntaxException>(() => JsonReader.Parse(text)).Message;

    [Fact]
    public void Objects_arrays_and_literals_keep_their_order_kinds_and_positions()
    {
        JsonValue root = JsonReader.Parse("{\"a\": 1,\n \"b\": [true, false, null],\n \"c\": {\"d\": \"e\"}, \"e\": [], \"f\": {}}");
        var document = Assert.IsType<JsonObject>(root);
        Assert.Equal(new[] { "a", "b", "c", "e", "f" }, document.Members.Select(m => m.Key));
        Assert.Equal("an object", document.Kind);
        Assert.Equal((1, 1), (document.Line, document.Column));

        var a = Assert.IsType<JsonNumber>(document["a"]);
        Assert.Equal(1.0, a.Value);
        Assert.Equal("1", a.Text);
        Assert.Equal("line 1, column 7", a.Where);

        var b = Assert.IsType<JsonArray>(document["b"]);
        Assert.Equal("line 2, column 7", b.Where);
        Assert.Equal(new bool?[] { true, false, null }, b.Items.Select(i => Assert.IsType<JsonLiteral>(i).Value));
        Assert.Equal(new[] { "a boolean", "a boolean", "null" }, b.Items.Select(i => i.Kind));
        Assert.Equal("line 2, column 21", b.Items[2].Where);

        var c = Assert.IsType<JsonObject>(document["c"]);
        Assert.Equal("e", Assert.IsType<JsonString>(c["d"]).Value);
        Assert.Equal("a string", c["d"]!.Kind);
        Assert.Empty(Assert.IsType<JsonArray>(document["e"]).Items);
        Assert.Empty(Assert.IsType<JsonObject>(document["f"]).Members);
        Assert.Null(document["missing"]);
        Assert.Null(document["A"]); // member names are case-sensitive
    }

    [Theory]
    [InlineData("1")]
    [InlineData("\"s\"")]
    [InlineData("[]")]
    [InlineData("true")]
    [InlineData("null")]
    [InlineData("  \t\r\n {} \r\n")]
    [InlineData("\uFEFF{}")] // a byte-order mark
    public void Any_single_value_is_a_document(string text) => JsonReader.Parse(text);

    [Fact]
    public void String_escapes_are_decoded()
    {
        var value = Assert.IsType<JsonString>(JsonReader.Parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u00E9 \\uD83D\\uDE00 é ∂\""));
        Assert.Equal("q\" b\\ s/ \b\f\n\r\t éé \U0001F600 é ∂", value.Value);

        // Member names are strings too.
        var document = Assert.IsType<JsonObject>(JsonReader.Parse("{\"rec.weight\\u005fih_l0\": 1}"));
        Assert.Equal("rec.weight_ih_l0", document.Members[0].Key);
    }

    [Theory]
    [InlineData("\"a\\x\"", "an invalid escape '\\x' at line 1, column 4")]
    [InlineData("\"a\\u12G4\"", "an invalid \\u escape at line 1, column 5")]
    [InlineData("\"a\\u+123\"", "an invalid \\u escape at line 1, column 5")]
    [InlineData("\"\\u12\"", "an invalid \\u escape at line 1, column 4")]
    [InlineData("\"a\tb\"", "a control character inside a string at line 1, column 3")]
    [InlineData("[\"a\nb\"]", "a control character inside a string at line 1, column 4")]
    [InlineData("\"abc", "unexpected end of the file inside a string at line 1, column 5")]
    [InlineData("\"abc\\", "unexpected end of the file inside a string at line 1, column 6")]
    public void Malformed_strings_are_errors_with_their_position(string text, string message) => Assert.Equal(message, ErrorOf(text));

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("7", 7.0)]
    [InlineData("-12", -12.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("-0.03125", -0.03125)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E3", 1000.0)]
    [InlineData("1e+3", 1000.0)]
    [InlineData("25e-1", 2.5)]
    [InlineData("-2.5E-3", -0.0025)]
    [InlineData("1.5e0", 1.5)]
    [InlineData("123456789012345678901234567890", 1.2345678901234568e29)]
    [InlineData("3.4028234663852886e38", 3.4028234663852886e38)]
    [InlineData("4.9e-324", double.Epsilon)]
    [InlineData("1e-400", 0.0)] // underflows to zero
    [InlineData("1e400", double.PositiveInfinity)] // overflows: the model readers then reject it as non-finite
    [InlineData("-1e400", double.NegativeInfinity)]
    public void Numbers_are_parsed_as_doubles_and_keep_their_text(string text, double expected)
    {
        var number = Assert.IsType<JsonNumber>(JsonReader.Parse(text));
        Assert.Equal(expected, number.Value);
        Assert.Equal(text, number.Text);
        Assert.Equal("a number", number.Kind);
    }

    [Fact]
    public void Negative_zero_stays_negative()
    {
        var number = Assert.IsType<JsonNumber>(JsonReader.Parse("-0"));
        Assert.True(double.IsNegative(number.Value) && number.Value == 0);
        Assert.True(float.IsNegative((float)Assert.IsType<JsonNumber>(JsonReader.Parse("-0.0e5")).Value));
        Assert.False(double.IsNegative(Assert.IsType<JsonNumber>(JsonReader.Parse("0")).Value));
    }

    [Theory]
    [InlineData("01", "a number with a leading zero at line 1, column 3")]
    [InlineData("-01", "a number with a leading zero at line 1, column 4")]
    [InlineData("[00]", "a number with a leading zero at line 1, column 4")]
    [InlineData("1.", "a number with no digits after the decimal point at line 1, column 3")]
    [InlineData("1.e5", "a number with no digits after the decimal point at line 1, column 3")]
    [InlineData("1e", "a number with no digits in its exponent at line 1, column 3")]
    [InlineData("1e+", "a number with no digits in its exponent at line 1, column 4")]
    [InlineData("-", "a number without digits at line 1, column 2")]
    [InlineData("- 1", "a number without digits at line 1, column 2")]
    [InlineData("-NaN", "a number without digits at line 1, column 2")]
    [InlineData(".5", "unexpected character '.' at line 1, column 1")]
    [InlineData("+1", "unexpected character '+' at line 1, column 1")]
    [InlineData("0x10", "unexpected text after the end of the document at line 1, column 2")]
    [InlineData("1.5.2", "unexpected text after the end of the document at line 1, column 4")]
    [InlineData("1 2", "unexpected text after the end of the document at line 1, column 3")]
    public void Malformed_numbers_are_errors_with_their_position(string text, string message) => Assert.Equal(message, ErrorOf(text));

    /// <summary>Every float printed with 9 significant digits ("G9", as json.dump of a float32's tolist() does in effect) parses back to the same bits.</summary>
    [Fact]
    public void Floats_printed_with_9_significant_digits_round_trip_bit_exactly()
    {
        var random = new Random(9_0_9);
        var floats = new List<float>
        {
            float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon, 1.17549435e-38f /* smallest normal */, 1.17549421e-38f /* largest subnormal */,
            1f / 3, 2f / 3, 0.1f, 0.2f, 0.3f, 1e-7f, 16777216f, 16777217f, 8388608.5f, 0f, -0f,
        };
        while (floats.Count < 4000)
        {
            // Uniform over the bit patterns (every exponent, subnormals included), and uniform over [-1, 1) (typical weights).
            float f = floats.Count % 2 == 0 ? BitConverter.Int32BitsToSingle(random.Next() ^ (random.Next(2) << 31)) : (float)(random.NextDouble() * 2 - 1);
            if (float.IsFinite(f))
            {
                floats.Add(f);
            }
        }

        var text = "[" + string.Join(", ", floats.Select(f => f.ToString("G9", CultureInfo.InvariantCulture))) + "]";
        var array = Assert.IsType<JsonArray>(JsonReader.Parse(text));
        Assert.Equal(floats.Count, array.Items.Count);
        for (int k = 0; k < floats.Count; k++)
        {
            var number = Assert.IsType<JsonNumber>(array.Items[k]);
            float parsed = (float)number.Value;
            Assert.True(BitConverter.SingleToInt32Bits(parsed) == BitConverter.SingleToInt32Bits(floats[k]), $"{number.Text} parsed as {parsed:G9}");

            // The shortest round-trip form ("R", as Python prints a float32 widened to double only when it is exact) also round-trips.
            float shortest = (float)Assert.IsType<JsonNumber>(JsonReader.Parse(floats[k].ToString("R", CultureInfo.InvariantCulture))).Value;
            Assert.Equal(BitConverter.SingleToInt32Bits(floats[k]), BitConverter.SingleToInt32Bits(shortest));
        }

        // And the 17-digit form of the float widened to double (json.dump of a float32 widened by .tolist()).
        foreach (float f in floats.Take(500))
        {
            float widened = (float)Assert.IsType<JsonNumber>(JsonReader.Parse(((double)f).ToString("R", CultureInfo.InvariantCulture))).Value;
            Assert.Equal(BitConverter.SingleToInt32Bits(f), BitConverter.SingleToInt32Bits(widened));
        }
    }

    [Theory]
    [InlineData("{\n  \"a\": 1,\n  \"b\" 2\n}", "expected ':' after a member name at line 3, column 7")]
    [InlineData("[1,\n 2,\n ]", "unexpected character ']' at line 3, column 2")]
    [InlineData("{\r\n\"a\": x}", "unexpected character 'x' at line 2, column 6")]
    [InlineData("{\"a\": tru}", "unexpected character 't' at line 1, column 7")]
    [InlineData("nul", "unexpected character 'n' at line 1, column 1")]
    [InlineData("[Inf]", "unexpected character 'I' at line 1, column 2")]
    [InlineData("{\"a\": 1,}", "expected a member name in double quotes at line 1, column 9")]
    [InlineData("{\"a\": 1 \"b\": 2}", "expected ',' or '}' in an object at line 1, column 9")]
    [InlineData("[1 2]", "expected ',' or ']' in an array at line 1, column 4")]
    [InlineData("{a: 1}", "expected a member name in double quotes at line 1, column 2")]
    [InlineData("[1, 2", "unexpected end of the file inside an array at line 1, column 6")]
    [InlineData("{\"a\": 1", "unexpected end of the file inside an object at line 1, column 8")]
    [InlineData("{\"a\"", "unexpected end of the file inside an object at line 1, column 5")]
    [InlineData("{\"a\":", "unexpected end of the file at line 1, column 6")]
    [InlineData("{", "unexpected end of the file inside an object at line 1, column 2")]
    [InlineData("", "unexpected end of the file at line 1, column 1")]
    [InlineData(" \n\n ", "unexpected end of the file at line 3, column 2")]
    [InlineData("[1]\n]", "unexpected text after the end of the document at line 2, column 1")]
    [InlineData("[\f1]", "unexpected character '\\u000C' at line 1, column 2")] // form feed is not JSON whitespace
    [InlineData("[\u00A01]", "unexpected character '\u00A0' at line 1, column 2")]
    [InlineData("// comment\n{}", "unexpected character '/' at line 1, column 1")]
    [InlineData("[1, 2]\0", "unexpected text after the end of the document at line 1, column 7")]
    public void Malformed_documents_are_errors_with_line_and_column(string text, string message) => Assert.Equal(message, ErrorOf(text));

    [Fact]
    public void A_second_member_of_the_same_name_is_an_error()
    {
        // Python's json keeps the last, an indexer would find the first: the file is ambiguous, so it is refused.
        Assert.Equal("a second member named \"rec.bias_ih_l0\" at line 2, column 2", ErrorOf("{\"rec.bias_ih_l0\": [1],\n \"rec.bias_ih_l0\": [2]}"));
        Assert.Equal("a second member named \"a\" at line 1, column 16", ErrorOf("{\"x\": {\"a\": 1, \"a\": 2}}"));
        JsonReader.Parse("{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}"); // the same name in different objects is fine
    }

    private static string Nested(int depth, string open, string close, string inner) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    [Fact]
    public void Sixty_four_nested_arrays_or_objects_are_accepted()
    {
        Assert.Equal(64, JsonReader.MaxDepth);
        JsonValue value = JsonReader.Parse(Nested(64, "[", "]", "1"));
        for (int level = 1; level < 64; level++)
        {
            value = Assert.Single(Assert.IsType<JsonArray>(value).Items);
        }

        Assert.IsType<JsonNumber>(Assert.Single(Assert.IsType<JsonArray>(value).Items));
        JsonReader.Parse(Nested(64, "[", "]", string.Empty));
        JsonReader.Parse(Nested(64, "{\"a\": ", "}", "1"));
        JsonReader.Parse(Nested(63, "{\"a\": ", "}", "[]"));
    }

    [Theory]
    [InlineData(65, "", 65)]
    [InlineData(65, "1", 65)]
    [InlineData(66, "[1]", 65)]
    [InlineData(1000, "", 65)]
    [InlineData(100_000, "", 65)] // far beyond the stack a recursive reader could take: refused at level 65
    public void Arrays_nested_deeper_than_64_are_refused_where_level_65_opens(int depth, string inner, int column)
    {
        Assert.Equal($"nesting deeper than 64 levels at line 1, column {column}", ErrorOf(Nested(depth, "[", "]", inner)));
    }

    [Fact]
    public void Objects_nested_deeper_than_64_are_refused()
    {
        // 65 objects: the 65th opens at column 1 + 64·6.
        Assert.Equal("nesting deeper than 64 levels at line 1, column 385", ErrorOf(Nested(65, "{\"a\": ", "}", "1")));
        Assert.Equal("nesting deeper than 64 levels at line 1, column 385", ErrorOf(Nested(64, "{\"a\": ", "}", "[1]")));
    }

    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void Python_non_finite_tokens_are_numbers(string token, double expected)
    {
        var array = Assert.IsType<JsonArray>(JsonReader.Parse($"[0.5, {token}, 1]"));
        var number = Assert.IsType<JsonNumber>(array.Items[1]);
        Assert.Equal(expected, number.Value);
        Assert.Equal(token, number.Text);
        Assert.Equal("line 1, column 7", number.Where);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("inf")]
    [InlineData("+Infinity")]
    [InlineData("Infinite")]
    [InlineData("NaNa")]
    public void Other_spellings_of_non_finite_values_are_errors(string token) => ErrorOf($"[{token}]");

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e39")]
    public void The_model_reader_rejects_a_non_finite_weight_it_parsed(string token)
    {
        ModelFileResult result = ModelFileReader.Read("m.json", ModelTexts.TinyStateDict.ReplaceOnce("2.5", token));
        Assert.Null(result.Network);
        Assert.Equal("LSTM011", result.ProblemId);
        Assert.Equal(new[] { "m.json", $"'linear.weight' holds the non-finite value {token} at line 6, column 22 (a float32 weight must be finite)" }, result.ProblemArguments);
    }
}
