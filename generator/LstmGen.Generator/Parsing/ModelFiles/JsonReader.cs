using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace LstmGen.Generator.Parsing.ModelFiles;

/// <summary>A JSON value with the position it starts at (for messages that point into the file).</summary>
internal abstract class JsonValue
{
    protected JsonValue(int line, int column)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the value's first character.</summary>
    public int Line { get; }

    /// <summary>1-based column of the value's first character.</summary>
    public int Column { get; }

    public string Where => $"line {Line.ToString(CultureInfo.InvariantCulture)}, column {Column.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A short name for the kind of value, for messages: "an object", "a number", …</summary>
    public abstract string Kind { get; }
}

internal sealed class JsonObject : JsonValue
{
    public JsonObject(int line, int column, List<KeyValuePair<string, JsonValue>> members)
        : base(line, column) => Members = members;

    /// <summary>The members in file order (the order matters for PyTorch state dicts).</summary>
    public List<KeyValuePair<string, JsonValue>> Members { get; }

    public override string Kind => "an object";

    public JsonValue? this[string key]
    {
        get
        {
            foreach (KeyValuePair<string, JsonValue> member in Members)
            {
                if (string.Equals(member.Key, key, StringComparison.Ordinal))
                {
                    return member.Value;
                }
            }

            return null;
        }
    }
}

internal sealed class JsonArray : JsonValue
{
    public JsonArray(int line, int column, List<JsonValue> items)
        : base(line, column) => Items = items;

    public List<JsonValue> Items { get; }

    public override string Kind => "an array";
}

internal sealed class JsonNumber : JsonValue
{
    public JsonNumber(int line, int column, double value, string text)
        : base(line, column)
    {
        Value = value;
        Text = text;
    }

    public double Value { get; }

    /// <summary>The number as written.</summary>
    public string Text { get; }

    public override string Kind => "a number";
}

internal sealed class JsonString : JsonValue
{
    public JsonString(int line, int column, string value)
        : base(line, column) => Value = value;

    public string Value { get; }

    public override string Kind => "a string";
}

internal sealed class JsonLiteral : JsonValue
{
    public JsonLiteral(int line, int column, bool? value)
        : base(line, column) => Value = value;

    /// <summary>true, false, or null for JSON's null.</summary>
    public bool? Value { get; }

    public override string Kind => Value is null ? "null" : "a boolean";
}

/// <summary>Thrown by <see cref="JsonReader"/> for text that is not JSON; the message says where and what.</summary>
internal sealed class JsonSyntaxException : Exception
{
    public JsonSyntaxException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// A small forward-only JSON parser for model files (RFC 8259, plus the <c>NaN</c>, <c>Infinity</c> and
/// <c>-Infinity</c> that Python's <c>json.dump</c> writes for non-finite floats). Linear time, an explicit depth
/// limit, and errors that give the line and column. Numbers are parsed as doubles (exact for any float printed with 9
/// or more significant digits, so float32 values round-trip).
/// </summary>
internal sealed class JsonReader
{
    /// <summary>Nesting deeper than this is refused: model files are a few levels deep.</summary>
    public const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private int _line = 1;
    private int _lineStart;

    private JsonReader(string text) => _text = text;

    /// <summary>Parses a whole document.</summary>
    /// <exception cref="JsonSyntaxException">The text is not a single JSON value.</exception>
    public static JsonValue Parse(string text)
    {
        var reader = new JsonReader(text);
        reader.SkipWhitespace();
        if (reader._position == 0 && text.Length > 0 && text[0] == '\uFEFF')
        {
            reader._position = 1;
            reader.SkipWhitespace();
        }

        JsonValue value = reader.ReadValue(0);
        reader.SkipWhitespace();
        if (reader._position < text.Length)
        {
            throw reader.Error("unexpected text after the end of the document");
        }

        return value;
    }

    private int Column => _position - _lineStart + 1;

    private JsonSyntaxException Error(string what)
        => new($"{what} at line {_line.ToString(CultureInfo.InvariantCulture)}, column {Column.ToString(CultureInfo.InvariantCulture)}");

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            char c = _text[_position];
            if (c == '\n')
            {
                _line++;
                _lineStart = _position + 1;
            }
            else if (c != ' ' && c != '\t' && c != '\r' && c != '\uFEFF')
            {
                return;
            }

            _position++;
        }
    }

    /// <param name="depth">The number of arrays and objects the value is inside.</param>
    private JsonValue ReadValue(int depth)
    {
        if (_position >= _text.Length)
        {
            throw Error("unexpected end of the file");
        }

        int line = _line, column = Column;
        char c = _text[_position];
        if ((c == '{' || c == '[') && depth >= MaxDepth)
        {
            // MaxDepth arrays and objects may nest (as System.Text.Json counts depth); this one would be one more.
            throw Error($"nesting deeper than {MaxDepth.ToString(CultureInfo.InvariantCulture)} levels");
        }

        switch (c)
        {
            case '{':
                return ReadObject(depth, line, column);
            case '[':
                return ReadArray(depth, line, column);
            case '"':
                return new JsonString(line, column, ReadString());
            case 't':
                ExpectWord("true");
                return new JsonLiteral(line, column, true);
            case 'f':
                ExpectWord("false");
                return new JsonLiteral(line, column, false);
            case 'n':
                ExpectWord("null");
                return new JsonLiteral(line, column, null);
            case 'N':
                ExpectWord("NaN");
                return new JsonNumber(line, column, double.NaN, "NaN");
            case 'I':
                ExpectWord("Infinity");
                return new JsonNumber(line, column, double.PositiveInfinity, "Infinity");
            default:
                if (c == '-' || (c >= '0' && c <= '9'))
                {
                    return ReadNumber(line, column);
                }

                throw Error($"unexpected character '{Printable(c)}'");
        }
    }

    private static string Printable(char c) => c < ' ' ? "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) : c.ToString();

    private void ExpectWord(string word)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0)
        {
            throw Error($"unexpected character '{Printable(_text[_position])}'");
        }

        _position += word.Length;
    }

    private JsonObject ReadObject(int depth, int line, int column)
    {
        _position++; // {
        var members = new List<KeyValuePair<string, JsonValue>>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        SkipWhitespace();
        if (_position < _text.Length && _text[_position] == '}')
        {
            _position++;
            return new JsonObject(line, column, members);
        }

        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                throw Error(_position >= _text.Length ? "unexpected end of the file inside an object" : "expected a member name in double quotes");
            }

            int keyLine = _line, keyColumn = Column;
            string key = ReadString();
            if (!names.Add(key))
            {
                // Python's json keeps the last of duplicate names, a lookup here would find the first: refuse the ambiguity.
                throw new JsonSyntaxException($"a second member named \"{key}\" at line {keyLine.ToString(CultureInfo.InvariantCulture)}, column {keyColumn.ToString(CultureInfo.InvariantCulture)}");
            }

            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != ':')
            {
                throw Error(_position >= _text.Length ? "unexpected end of the file inside an object" : "expected ':' after a member name");
            }

            _position++;
            SkipWhitespace();
            members.Add(new KeyValuePair<string, JsonValue>(key, ReadValue(depth + 1)));
            SkipWhitespace();
            if (_position >= _text.Length)
            {
                throw Error("unexpected end of the file inside an object");
            }

            char c = _text[_position++];
            if (c == '}')
            {
                return new JsonObject(line, column, members);
            }

            if (c != ',')
            {
                _position--;
                throw Error("expected ',' or '}' in an object");
            }
        }
    }

    private JsonArray ReadArray(int depth, int line, int column)
    {
        _position++; // [
        var items = new List<JsonValue>();
        SkipWhitespace();
        if (_position < _text.Length && _text[_position] == ']')
        {
            _position++;
            return new JsonArray(line, column, items);
        }

        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue(depth + 1));
            SkipWhitespace();
            if (_position >= _text.Length)
            {
                throw Error("unexpected end of the file inside an array");
            }

            char c = _text[_position++];
            if (c == ']')
            {
                return new JsonArray(line, column, items);
            }

            if (c != ',')
            {
                _position--;
                throw Error("expected ',' or ']' in an array");
            }
        }
    }

    private string ReadString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unexpected end of the file inside a string");
            }

            char c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }

            if (c < ' ')
            {
                _position--;
                throw Error("a control character inside a string");
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_position >= _text.Length)
            {
                throw Error("unexpected end of the file inside a string");
            }

            char escape = _text[_position++];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        throw Error("an invalid \\u escape");
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    _position--;
                    throw Error($"an invalid escape '\\{Printable(escape)}'");
            }
        }
    }

    private JsonNumber ReadNumber(int line, int column)
    {
        int start = _position;
        if (_text[_position] == '-')
        {
            _position++;
            if (_position < _text.Length && _text[_position] == 'I')
            {
                ExpectWord("Infinity");
                return new JsonNumber(line, column, double.NegativeInfinity, "-Infinity");
            }
        }

        int digits = SkipDigits();
        if (digits == 0)
        {
            throw Error("a number without digits");
        }

        if (digits > 1 && _text[start] == '0' || digits > 1 && _text[start] == '-' && _text[start + 1] == '0')
        {
            throw Error("a number with a leading zero");
        }

        if (_position < _text.Length && _text[_position] == '.')
        {
            _position++;
            if (SkipDigits() == 0)
            {
                throw Error("a number with no digits after the decimal point");
            }
        }

        if (_position < _text.Length && (_text[_position] == 'e' || _text[_position] == 'E'))
        {
            _position++;
            if (_position < _text.Length && (_text[_position] == '+' || _text[_position] == '-'))
            {
                _position++;
            }

            if (SkipDigits() == 0)
            {
                throw Error("a number with no digits in its exponent");
            }
        }

        string text = _text.Substring(start, _position - start);
        double value;
        try
        {
            // Out-of-range values become ±∞ on .NET Core; older runtimes throw, which means the same.
            value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            value = text[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        }

        return new JsonNumber(line, column, value, text);
    }

    private int SkipDigits()
    {
        int start = _position;
        while (_position < _text.Length && _text[_position] >= '0' && _text[_position] <= '9')
        {
            _position++;
        }

        return _position - start;
    }
}
