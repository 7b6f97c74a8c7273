using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Parsing;
using EvalDsl.Text;

namespace EvalDsl.Formatting;

/// <summary>
/// Writes out a parsed file without syntax errors in the house style. It works on the parser's logical lines (the
/// tokens of each statement and the physical lines of its text block), so it knows what the parser knows and never
/// re-reads the text another way: a line it does not rewrite (a text block's content, a comment) is copied.
/// </summary>
internal sealed class Layout
{
    private const string Unit = "  ";

    private readonly SourceText _source;
    private readonly string _text;
    private readonly IReadOnlyList<LogicalLine> _lines;
    private readonly string _newline;

    // Statement lines laid out with their block's columns (data rows, vary labels), by physical line.
    private readonly Dictionary<int, string> _aligned = new();

    public Layout(SourceText source, IReadOnlyList<LogicalLine> lines)
    {
        _source = source;
        _text = source.Text;
        _lines = lines;
        _newline = NewlineOf(_text);
    }

    public string Run()
    {
        Align();

        var output = new List<string>();
        var depth = 0;
        var pendingBlank = false;
        var afterOpen = false;
        var forceBlank = false;

        void Emit(string line, bool closes)
        {
            if (output.Count > 0 && !closes && !afterOpen && (forceBlank || pendingBlank)) output.Add("");
            pendingBlank = false;
            forceBlank = false;
            afterOpen = false;
            output.Add(line);
        }

        var next = 0;
        var physical = 0;
        while (physical < _source.LineCount)
        {
            if (next < _lines.Count && _lines[next].Line == physical)
            {
                var line = _lines[next++];
                var tokens = line.Tokens;
                var closes = tokens[0].Kind == EvalToken.RBrace;
                var opens = line.TextBlock is null && tokens[tokens.Length - 1].Kind == EvalToken.LBrace;
                if (closes && depth > 0) depth--;

                var code = _aligned.TryGetValue(line.Line, out var aligned) ? aligned : Join(tokens);
                Emit(Indent(depth) + code + TrailingComment(line.Line, LineTokenizer.End(tokens[tokens.Length - 1])), closes);
                physical++;

                if (line.TextBlock is { Closing: { } closing } block)
                {
                    // A text block's lines are its value (relative indentation, trailing blanks, '#'): copied as they are.
                    var last = _source.LineOf(closing.Start);
                    for (; physical < last; physical++) output.Add(PhysicalLine(physical));
                    output.Add(PhysicalLine(physical).TrimEnd());
                    physical++;
                }

                if (opens) { depth++; afterOpen = true; }
                if (closes && depth <= 1) forceBlank = true;
                continue;
            }

            var text = PhysicalLine(physical++).Trim();
            if (text.Length == 0) pendingBlank = true;
            else Emit(Indent(depth) + text, closes: false);
        }

        if (output.Count == 0) return "";
        var sb = new StringBuilder(_text.Length + 16);
        foreach (var line in output) sb.Append(line).Append(_newline);
        return sb.ToString();
    }

    // ---- one statement -------------------------------------------------------------------------------

    /// <summary>The tokens of a statement, one space apart (none before a comma; '|' and a header's '{' spaced).</summary>
    private static string Join(Token<EvalToken>[] tokens)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < tokens.Length; i++)
        {
            if (i > 0)
            {
                var kind = tokens[i].Kind;
                var previous = tokens[i - 1].Kind;
                var gap = LineTokenizer.Start(tokens[i]) - LineTokenizer.End(tokens[i - 1]);
                if (kind == EvalToken.Comma) { }
                else if (previous == EvalToken.Comma || kind == EvalToken.Pipe || previous == EvalToken.Pipe) sb.Append(' ');
                else if (kind == EvalToken.LBrace && i == tokens.Length - 1) sb.Append(' ');
                else if (gap > 0) sb.Append(' ');
            }
            sb.Append(tokens[i].Span.ToStringValue());
        }
        return sb.ToString();
    }

    /// <summary>A comment after the statement, with the blanks before it as written (they may align comments).</summary>
    private string TrailingComment(int line, int codeEnd)
    {
        var end = _source.LineEnd(line);
        var hash = codeEnd;
        while (hash < end && _text[hash] != '#') hash++;
        if (hash >= end) return "";
        var gap = hash - codeEnd;
        return (gap == 0 ? " " : _text.Substring(codeEnd, gap)) + _text.Substring(hash, end - hash).TrimEnd();
    }

    private string PhysicalLine(int line) => _text.Substring(_source.LineStart(line), _source.LineEnd(line) - _source.LineStart(line));

    private static string Indent(int depth)
    {
        var sb = new StringBuilder(depth * Unit.Length);
        for (var i = 0; i < depth; i++) sb.Append(Unit);
        return sb.ToString();
    }

    // ---- columns ---------------------------------------------------------------------------------------

    /// <summary>Lays out the rows of each inline data table and the labels of each vary block in columns.</summary>
    private void Align()
    {
        var stack = new List<(string? Keyword, List<LogicalLine> Lines)>();
        foreach (var line in _lines)
        {
            var tokens = line.Tokens;
            if (tokens[0].Kind == EvalToken.RBrace)
            {
                if (stack.Count == 0) continue;
                var block = stack[stack.Count - 1];
                stack.RemoveAt(stack.Count - 1);
                if (block.Keyword == "data") AlignTable(block.Lines);
                else if (block.Keyword == "vary") AlignLabels(block.Lines);
                continue;
            }
            if (stack.Count > 0) stack[stack.Count - 1].Lines.Add(line);
            if (line.TextBlock is null && tokens[tokens.Length - 1].Kind == EvalToken.LBrace) stack.Add((line.Keyword, new List<LogicalLine>()));
        }
    }

    private void AlignTable(List<LogicalLine> rows)
    {
        var widths = new List<int>();
        var cells = new List<(LogicalLine Row, List<string> Cells)>();
        foreach (var row in rows)
        {
            // A row with a text block cell is written unaligned: its cell's width is not on this line.
            if (row.TextBlock is not null || CellsOf(row.Tokens) is not { } texts) continue;
            for (var c = 0; c < texts.Count; c++)
            {
                if (c == widths.Count) widths.Add(0);
                if (Width(texts[c]) > widths[c]) widths[c] = Width(texts[c]);
            }
            cells.Add((row, texts));
        }

        foreach (var (row, texts) in cells)
        {
            var sb = new StringBuilder();
            for (var c = 0; c < texts.Count; c++)
            {
                sb.Append(texts[c]);
                if (c == texts.Count - 1) break;
                sb.Append(' ', widths[c] - Width(texts[c])).Append(" | ");
            }
            _aligned[row.Line] = sb.ToString();
        }
    }

    /// <summary>The cells of a row written cell | cell | …, else null.</summary>
    private static List<string>? CellsOf(Token<EvalToken>[] tokens)
    {
        var cells = new List<string>();
        for (var i = 0; i < tokens.Length; i++)
        {
            var isCell = i % 2 == 0;
            if (isCell == (tokens[i].Kind == EvalToken.Pipe)) return null;
            if (isCell) cells.Add(tokens[i].Span.ToStringValue());
        }
        return tokens.Length % 2 == 1 ? cells : null;
    }

    private void AlignLabels(List<LogicalLine> labels)
    {
        var width = 0;
        foreach (var line in labels)
        {
            if (IsLabelLine(line)) width = System.Math.Max(width, Width(line.Tokens[0].Span.ToStringValue()));
        }
        foreach (var line in labels)
        {
            if (!IsLabelLine(line)) continue;
            var label = line.Tokens[0].Span.ToStringValue();
            _aligned[line.Line] = label + new string(' ', width - Width(label) + 1) + line.Tokens[1].Span.ToStringValue();
        }
    }

    private static bool IsLabelLine(LogicalLine line) =>
        line.Tokens.Length == 2 && line.Tokens[0].Kind == EvalToken.Word &&
        (line.Tokens[1].Kind == EvalToken.String || line.Tokens[1].Kind == EvalToken.TextBlock);

    /// <summary>Width in user-perceived characters, so a cell with a combining mark or an emoji lines up.</summary>
    private static int Width(string text) => new StringInfo(text).LengthInTextElements;

    private static string NewlineOf(string text)
    {
        var lf = text.IndexOf('\n');
        if (lf > 0 && text[lf - 1] == '\r') return "\r\n";
        if (lf < 0 && text.IndexOf('\r') >= 0) return "\r";
        return "\n";
    }
}
