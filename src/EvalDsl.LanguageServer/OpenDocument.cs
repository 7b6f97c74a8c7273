using System;
using System.Collections.Generic;
using System.Text;
using EvalDsl.LanguageServer.Protocol;

namespace EvalDsl.LanguageServer;

/// <summary>
/// The text of a document the editor has open, with its version, changed in place by incremental edits (under a
/// lock on the document, which readers take too). Positions are LSP's: 0-based lines and UTF-16 code units, lines
/// ending at <c>\n</c>, <c>\r\n</c> or <c>\r</c> (as the compiler counts them).
/// </summary>
internal sealed class OpenDocument
{
    private int[] _lineStarts;

    public OpenDocument(string uri, string path, int version, string text)
    {
        Uri = uri;
        Path = path;
        Version = version;
        Text = text;
        _lineStarts = LineStarts(text);
    }

    public string Uri { get; }

    public string Path { get; }

    public int Version { get; private set; }

    public string Text { get; private set; }

    /// <summary>The parse of <see cref="Text"/>, kept until the text changes: only a changed file is parsed again.</summary>
    public SpecSyntax? Syntax
    {
        get => _syntax;
        set
        {
            _syntax = value;
            if (value is not null) Previous = value;
        }
    }

    /// <summary>The last parse of this document, of this text or an older one: the next parse re-parses only what changed since.</summary>
    public SpecSyntax? Previous { get; private set; }

    private SpecSyntax? _syntax;

    public void Apply(int version, IReadOnlyList<TextDocumentContentChangeEvent> changes)
    {
        foreach (var change in changes)
        {
            if (change.Range is null)
            {
                Text = change.Text;
            }
            else
            {
                var start = OffsetOf(change.Range.Start);
                var end = Math.Max(start, OffsetOf(change.Range.End));
                var builder = new StringBuilder(Text.Length - (end - start) + change.Text.Length);
                builder.Append(Text, 0, start).Append(change.Text).Append(Text, end, Text.Length - end);
                Text = builder.ToString();
            }
            _lineStarts = LineStarts(Text);
        }
        Version = version;
        Syntax = null;
    }

    /// <summary>The position just after the last character.</summary>
    public Position EndPosition()
    {
        var last = _lineStarts.Length - 1;
        return new Position(last, Text.Length - _lineStarts[last]);
    }

    /// <summary>The offset of a position; a position past a line's end or the text's end is clamped to it (as LSP asks).</summary>
    public int OffsetOf(Position position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= _lineStarts.Length) return Text.Length;
        var start = _lineStarts[position.Line];
        var end = LineEnd(position.Line);
        return Math.Min(start + Math.Max(0, position.Character), end);
    }

    private int LineEnd(int line)
    {
        var end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Text.Length;
        if (line + 1 < _lineStarts.Length)
        {
            if (end > _lineStarts[line] && Text[end - 1] == '\n') end--;
            if (end > _lineStarts[line] && Text[end - 1] == '\r') end--;
        }
        return end;
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
            else if (c == '\n')
            {
                starts.Add(i + 1);
            }
        }
        return starts.ToArray();
    }
}
