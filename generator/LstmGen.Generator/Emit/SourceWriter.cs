using System;
using System.Text;

namespace LstmGen.Generator;

/// <summary>
/// A minimal indented text writer: generated code is text, assembled line by line, with a disposable
/// helper that opens and closes a brace block at the right indentation.
/// </summary>
internal sealed class SourceWriter
{
    // One tab per level: a quarter of the bytes of four spaces in files whose code is nested seven levels deep.
    private const string IndentUnit = "\t";
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length == 0)
        {
            _builder.Append('\n');
            return;
        }

        for (int i = 0; i < _indent; i++)
        {
            _builder.Append(IndentUnit);
        }

        _builder.Append(text).Append('\n');
    }

    /// <summary>Writes each line of a multi-line text at the current indentation.</summary>
    public void Lines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            Line(line);
        }
    }

    /// <summary>Writes <c>{</c>, indents until the returned scope is disposed, then writes <paramref name="closing"/>.</summary>
    public Block Braces(string closing = "}")
    {
        Line("{");
        _indent++;
        return new Block(this, closing);
    }

    public override string ToString() => _builder.ToString();

    internal readonly struct Block : IDisposable
    {
        private readonly SourceWriter _writer;
        private readonly string _closing;

        public Block(SourceWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line(_closing);
        }
    }
}
