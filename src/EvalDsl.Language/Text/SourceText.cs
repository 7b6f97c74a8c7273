using System;
using System.Collections.Generic;

namespace EvalDsl.Text;

/// <summary>
/// The decoded text of one spec file with its line table. Lines end at <c>\n</c>, <c>\r\n</c> or a lone
/// <c>\r</c>; columns count UTF-16 code units from 1 and a leading BOM is not part of the text.
/// </summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    /// <summary>Creates a source text.</summary>
    public SourceText(string path, string text)
    {
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Text = text ?? throw new ArgumentNullException(nameof(text));
        _lineStarts = ComputeLineStarts(text);
    }

    /// <summary>The path as the user gave it.</summary>
    public string Path { get; }

    /// <summary>The text, without BOM.</summary>
    public string Text { get; }

    /// <summary>Number of lines (an empty text has one line).</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>Offset of the first character of a 0-based line.</summary>
    public int LineStart(int line) => _lineStarts[line];

    /// <summary>Offset just after the last character of a 0-based line, before its line break.</summary>
    public int LineEnd(int line)
    {
        var end = line + 1 < _lineStarts.Length ? _lineStarts[line + 1] : Text.Length;
        if (end > _lineStarts[line] && end <= Text.Length && line + 1 < _lineStarts.Length)
        {
            if (Text[end - 1] == '\n') end--;
            if (end > _lineStarts[line] && Text[end - 1] == '\r') end--;
        }
        return end;
    }

    /// <summary>The 0-based line that holds an offset.</summary>
    public int LineOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        return index >= 0 ? index : ~index - 1;
    }

    /// <summary>1-based line and column of an offset.</summary>
    public LinePosition PositionOf(int offset)
    {
        var line = LineOf(offset);
        return new LinePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    /// <summary>The location of a range in this file.</summary>
    public SourceLocation Location(TextRange range)
    {
        var start = PositionOf(range.Start);
        var end = PositionOf(range.End);
        return new SourceLocation(Path, start.Line, start.Column, end.Line, end.Column) { Offset = range.Start, Length = range.Length };
    }

    private static int[] ComputeLineStarts(string text)
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

/// <summary>A 1-based line and column.</summary>
internal readonly record struct LinePosition(int Line, int Column);

/// <summary>A file path and a 1-based start and end position (end exclusive).</summary>
public sealed record SourceLocation(string Path, int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>The offset of the start in the decoded text (UTF-16 code units, no BOM).</summary>
    public int Offset { get; init; }

    /// <summary>The length of the span in UTF-16 code units.</summary>
    public int Length { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Path}({Line},{Column})";
}
