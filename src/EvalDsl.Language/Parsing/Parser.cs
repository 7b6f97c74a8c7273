using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>
/// Parses one file. A text-block-aware splitter turns the file into logical lines (a statement line plus, for
/// a line ending in <c>"""</c>, the text block's content lines); each line is tokenized by
/// <see cref="LineTokenizer"/> and handed to the innermost open block, which parses it with the statement's
/// token-list parser in <see cref="StatementGrammar"/>. Recovery happens per statement (what parsed before the
/// first error is kept) and per block (an unknown block's body is skipped; a missing <c>}</c> is EVAL0005 at the
/// <c>{</c> of the block left open).
/// </summary>
internal sealed class Parser
{
    private readonly SourceText _source;
    private readonly string _text;
    private readonly SyntaxTree _tree;
    private readonly List<Block> _stack = new();
    private List<LogicalLine> _lines = new();
    private bool _openExcess;
    private bool _closeExcess;

    private Parser(SourceText source) : this(source, new SyntaxTree(source)) { }

    /// <summary>A parser whose diagnostics and flags go to <paramref name="tree"/> (a scratch tree when re-parsing one block).</summary>
    internal Parser(SourceText source, SyntaxTree tree)
    {
        _source = source;
        _text = source.Text;
        _tree = tree;
    }

    /// <summary>Parses a decoded file.</summary>
    public static SyntaxTree Parse(SourceText source)
    {
        var parser = new Parser(source);
        parser.Run(keepLines: false);
        return parser._tree;
    }

    /// <summary>Parses a decoded file and hands back its logical lines too, which the formatter lays out.</summary>
    public static SyntaxTree Parse(SourceText source, out IReadOnlyList<LogicalLine> lines)
    {
        var parser = new Parser(source);
        parser.Run(keepLines: true);
        lines = parser._lines;
        return parser._tree;
    }

    /// <summary>
    /// Parses physical lines <paramref name="first"/>..<paramref name="stop"/> (end exclusive) of
    /// <paramref name="source"/> as the body of <paramref name="suite"/>, whose '{' is at <paramref name="suiteBrace"/>,
    /// exactly as the whole-file parse parses them there; diagnostics and flags go to <paramref name="scratch"/>.
    /// The lines must be one case, from its header line to the line of its closing '}': the case parsed is returned,
    /// or null when they are not (a text block left open, a block closed early or left open, another member).
    /// </summary>
    internal static CaseSyntax? ParseCase(SourceText source, SyntaxTree scratch, SuiteSyntax suite, int suiteBrace, int first, int stop, bool[] isCode, List<(int, string)> comments)
    {
        var parser = new Parser(source, scratch);
        if (!parser.SplitLines(first, stop, isCode, comments) || parser._lines.Count < 2 || parser._openExcess || parser._closeExcess) return null;
        var open = suite.Status.OpenBrace;
        var (cases, personas, dataSets) = (suite.Cases.Count, suite.Personas.Count, suite.DataSets.Count);
        parser._stack.Add(new FileBlock(parser));
        parser._stack.Add(new SuiteBlock(parser, new Token<EvalToken>(EvalToken.LBrace, new TextSpan(parser._text, parser.PositionAt(suiteBrace), 1)), "", suite));
        suite.Status.OpenBrace = open;
        for (var index = 0; index < parser._lines.Count; index++)
        {
            parser.Step(ref index);
            var last = index == parser._lines.Count - 1;
            if (last ? parser._stack.Count != 2 : parser._stack.Count < 3) return null;
        }
        if (suite.Cases.Count != cases + 1 || suite.Personas.Count != personas || suite.DataSets.Count != dataSets) return null;
        return suite.Cases[suite.Cases.Count - 1];
    }

    /// <summary>A tree for a file that could not be decoded (EVAL0006 at 1,1).</summary>
    public static SyntaxTree Unreadable(string path, string problem)
    {
        var tree = new SyntaxTree(new SourceText(path, "")) { IsUnreadable = true };
        tree.Diagnostics.Add(new Diagnostic(DiagnosticDescriptors.NotText, DiagnosticSeverity.Error,
            new SourceLocation(path, 1, 1, 1, 1), $"This is not a spec file: {problem}."));
        return tree;
    }

    internal SyntaxTree Tree => _tree;

    internal string Text => _text;

    private Block Top => _stack[_stack.Count - 1];

    private void Run(bool keepLines)
    {
        Split();
        _stack.Add(new FileBlock(this));
        for (var index = 0; index < _lines.Count; index++)
        {
            var from = index;
            Step(ref index);
            // A line is read once (Step looks at most one line ahead): without a formatter to hand them to, the lines
            // of a large file go as they are parsed, not all at the end.
            if (!keepLines) for (var done = from; done <= index; done++) _lines[done] = null!;
        }

        for (var i = _stack.Count - 1; i > 0; i--)
        {
            var block = _stack[i];
            block.Status.Unclosed = true;
            if (!_tree.IsTruncated) ReportUnclosed(block);
            block.Status.End = _text.Length;
            block.Close(properly: false);
        }
        _stack.Clear();
        _tree.BracesUnbalanced = _openExcess || _closeExcess;
    }

    /// <summary>Hands the logical line at <paramref name="index"/> to the innermost open block (a lone '{' on the next line is taken too).</summary>
    private void Step(ref int index)
    {
        {
            var line = _lines[index];
            var tokens = line.Tokens;
            if (tokens[0].Kind == EvalToken.RBrace)
            {
                if (tokens.Length > 1)
                {
                    SyntaxError(StatementCursor.Range(tokens[1]), $"Unexpected {StatementCursor.Describe(tokens[1])}; '}}' stands alone on its line.");
                }
                CloseBrace(line, tokens[0]);
                return;
            }

            Token<EvalToken>? brace = null;
            var header = tokens;
            if (line.TextBlock is null && tokens[tokens.Length - 1].Kind == EvalToken.LBrace)
            {
                brace = tokens[tokens.Length - 1];
                header = Slice(tokens, 0, tokens.Length - 1);
            }
            else if (line.TextBlock is null && index + 1 < _lines.Count && IsLoneBrace(_lines[index + 1]))
            {
                brace = _lines[index + 1].Tokens[0];
                SyntaxError(StatementCursor.Range(brace.Value), "A '{' must end its header line: move it to the end of the line above.");
                index++;
            }

            else if (line.TextBlock is null && _closeExcess && OpensBlockWithoutBrace(line))
            {
                // The file has a '}' too many: a block header missing its '{' explains it, and treating the
                // header as opened keeps its body from cascading into errors of its own.
                var end = LineTokenizer.End(tokens[tokens.Length - 1]);
                brace = new Token<EvalToken>(EvalToken.LBrace, new TextSpan(_text, PositionAt(end), 0));
                SyntaxError(new TextRange(end, 0), "The line ends too early; expected '{' at the end of the line.");
            }

            if (brace is { } b && header.Length == 0)
            {
                SyntaxError(StatementCursor.Range(b), "Unexpected '{'; a block opens at the end of a header line such as case \"title\" {.");
                Top.MarkUnknown();
                _stack.Add(new SkippedBlock(this, b, line.Indent));
                return;
            }

            if (_openExcess) CloseBlocksLeftOpen(line, header);

            if (brace is { } open)
            {
                _stack.Add(Top.Header(line, header, open));
            }
            else
            {
                Top.Statement(line);
            }
        }
    }

    // When the file has more '{' than '}', a header or statement that cannot stand in the innermost block
    // but can in an enclosing one shows where a '}' is missing: the blocks in between were left open.
    private void CloseBlocksLeftOpen(LogicalLine line, Token<EvalToken>[] header)
    {
        if (Top.Fits(line, header)) return;
        for (var k = _stack.Count - 2; k >= 0; k--)
        {
            if (!_stack[k].Fits(line, header)) continue;
            // Indentation says where the line really is. Indented like an open block's header, it ends that block
            // (left open) and is misplaced in the block around it; indented deeper than every block it would close,
            // it is a misplaced line inside them. Either way one error, not a cascade over the lines after it.
            var same = -1;
            for (var j = _stack.Count - 1; j > k; j--)
            {
                if (_stack[j].Indent == line.Indent) { same = j; break; }
            }
            if (same > k + 1) k = same - 1;
            else if (same < 0 && line.Indent.Length > _stack[k + 1].Indent.Length && line.Indent.StartsWith(_stack[k + 1].Indent, StringComparison.Ordinal)) return;
            while (_stack.Count - 1 > k)
            {
                var block = _stack[_stack.Count - 1];
                _stack.RemoveAt(_stack.Count - 1);
                block.Status.Unclosed = true;
                ReportUnclosed(block);
                block.Status.End = LineTokenizer.Start(line.Tokens[0]);
                block.Close(properly: false);
            }
            return;
        }
    }

    private void CloseBrace(LogicalLine line, Token<EvalToken> brace)
    {
        if (_stack.Count == 1)
        {
            SyntaxError(StatementCursor.Range(brace), "Unexpected '}'; no block is open here.");
            return;
        }

        var target = _stack.Count - 1;
        if (_openExcess)
        {
            // Match the '}' with the innermost open block whose header is indented the same way.
            for (var k = _stack.Count - 1; k > 0; k--)
            {
                if (_stack[k].Indent == line.Indent) { target = k; break; }
            }
        }

        while (_stack.Count - 1 > target)
        {
            var inner = _stack[_stack.Count - 1];
            _stack.RemoveAt(_stack.Count - 1);
            inner.Status.Unclosed = true;
            ReportUnclosed(inner);
            inner.Status.End = LineTokenizer.Start(brace);
            inner.Close(properly: false);
        }
        var block = _stack[_stack.Count - 1];
        _stack.RemoveAt(_stack.Count - 1);
        block.CloseBraceRange = StatementCursor.Range(brace);
        block.Status.End = LineTokenizer.End(brace);
        block.Close(properly: true);
    }

    private void ReportUnclosed(Block block)
    {
        Report(DiagnosticDescriptors.UnclosedBlock, StatementCursor.Range(block.Brace),
            $"This {block.Describe} is never closed; add a line with '}}' where it ends.");
    }

    private bool OpensBlockWithoutBrace(LogicalLine line) =>
        line.Keyword is { } keyword && Array.IndexOf(KeywordTable.Openers, keyword) >= 0 &&
        !(keyword == "data" && Array.Exists(line.Tokens, t => t.Kind == EvalToken.Word && t.Span.EqualsValue("from"))) &&
        Top.Fits(line, line.Tokens);

    private static bool IsLoneBrace(LogicalLine line) =>
        line.Tokens.Length == 1 && line.Tokens[0].Kind == EvalToken.LBrace && line.TextBlock is null;

    internal static Token<EvalToken>[] Slice(Token<EvalToken>[] tokens, int start, int length)
    {
        var result = new Token<EvalToken>[length];
        Array.Copy(tokens, start, result, 0, length);
        return result;
    }

    /// <summary>The real line and column of an offset, for tokens the parser makes up.</summary>
    private Position PositionAt(int offset)
    {
        var at = _source.PositionOf(offset);
        return new Position(offset, at.Line, at.Column);
    }

    // ---- splitting ---------------------------------------------------------------------------------

    private void Split()
    {
        var lineCount = _source.LineCount;
        var isCode = new bool[lineCount + 2];
        var comments = new List<(int, string)>();
        SplitLines(0, lineCount, isCode, comments);
        _tree.Suppressions = Suppressions.From(comments, l => l < isCode.Length && isCode[l], lineCount);
    }

    /// <summary>
    /// Splits physical lines <paramref name="first"/>..<paramref name="stop"/> (0-based, end exclusive) into logical
    /// lines, marking code lines (1-based) in <paramref name="isCode"/> and collecting comments. False when a text
    /// block opened in the range does not close in it.
    /// </summary>
    private bool SplitLines(int first, int stop, bool[] isCode, List<(int, string)> comments)
    {
        var lineCount = stop;
        var lines = new List<LogicalLine>();
        int opens = 0, closes = 0;
        var physical = first;
        var closed = true;
        while (physical < lineCount)
        {
            var start = _source.LineStart(physical);
            var end = _source.LineEnd(physical);
            var lexed = LineTokenizer.Instance.TokenizeLine(_text, start, end - start, physical + 1);
            if (lexed.Comment.HasValue) comments.Add((physical + 1, _text.Substring(lexed.Comment.Start, lexed.Comment.Length)));
            var tokens = lexed.Tokens;
            var lineNumber = physical++;
            if (tokens.Length == 0) continue;
            isCode[lineNumber + 1] = true;

            TextBlockLines? textBlock = null;
            if (tokens[tokens.Length - 1].Kind == EvalToken.TextBlock)
            {
                var content = new List<TextRange>();
                TextRange? closing = null;
                var closingIndent = "";
                while (physical < lineCount)
                {
                    var cs = _source.LineStart(physical);
                    var ce = _source.LineEnd(physical);
                    var k = cs;
                    while (k < ce && LineTokenizer.IsSpace(_text[k])) k++;
                    var m = ce;
                    while (m > k && LineTokenizer.IsSpace(_text[m - 1])) m--;
                    if (m > k) isCode[physical + 1] = true;
                    physical++;
                    if (m - k == 3 && _text[k] == '"' && _text[k + 1] == '"' && _text[k + 2] == '"')
                    {
                        closing = TextRange.FromBounds(k, m);
                        closingIndent = _text.Substring(cs, k - cs);
                        break;
                    }
                    content.Add(TextRange.FromBounds(cs, ce));
                }
                textBlock = new TextBlockLines(content, closing, closingIndent);
            }

            if (tokens[0].Kind == EvalToken.RBrace) closes++;
            else if (textBlock is null && tokens[tokens.Length - 1].Kind == EvalToken.LBrace) opens++;

            lines.Add(new LogicalLine(lineNumber, tokens, Indentation(start, end), textBlock));
            if (textBlock is { Closing: null })
            {
                closed = false;
                // Reported here, whether or not the statement reads the text block, so it is never lost.
                Report(DiagnosticDescriptors.UnterminatedString, StatementCursor.Range(tokens[tokens.Length - 1]),
                    "This text block has no closing \"\"\" line; it runs to the end of the file.");
                _tree.IsTruncated = true;
                break;
            }
        }

        _lines = lines;
        _openExcess = opens > closes && !_tree.IsTruncated;
        _closeExcess = closes > opens && !_tree.IsTruncated;
        return closed;
    }

    private string Indentation(int start, int end)
    {
        var i = start;
        while (i < end && LineTokenizer.IsSpace(_text[i])) i++;
        var length = i - start;
        // Most lines are indented by a few spaces: those share one string each.
        if (length < Spaces.Length && string.CompareOrdinal(_text, start, Spaces[length], 0, length) == 0) return Spaces[length];
        return _text.Substring(start, length);
    }

    private static readonly string[] Spaces = Enumerable.Range(0, 33).Select(n => new string(' ', n)).ToArray();

    // ---- values ------------------------------------------------------------------------------------

    internal void Report(DiagnosticDescriptor descriptor, TextRange range, string message) =>
        _tree.Diagnostics.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, _source.Location(range), message));

    /// <summary>Reports a problem that names another place in the file, published as related information.</summary>
    internal void Report(DiagnosticDescriptor descriptor, TextRange range, string message, TextRange related, string relatedMessage) =>
        _tree.Diagnostics.Add(new Diagnostic(descriptor, descriptor.DefaultSeverity, _source.Location(range), message,
            new[] { new DiagnosticRelatedLocation(_source.Location(related), relatedMessage) }));

    internal void SyntaxError(TextRange range, string message) => Report(DiagnosticDescriptors.SyntaxError, range, message);

    internal StringSyntax StringOf(Token<EvalToken> token, LogicalLine line)
    {
        var range = StatementCursor.Range(token);
        if (token.Kind == EvalToken.TextBlock && line.TextBlock is { } lines)
        {
            return StringDecoder.DecodeTextBlock(_text, range, lines, Report);
        }
        return StringDecoder.DecodeString(_text, range, Report);
    }

    internal static NameSyntax NameOf(Token<EvalToken> token) => new(token.Span.ToStringValue(), StatementCursor.Range(token));

    internal static NumberSyntax NumberOf(Token<EvalToken> token)
    {
        var text = token.Span.ToStringValue();
        var isPercentage = token.Kind == EvalToken.Percentage;
        var digits = isPercentage ? text.Substring(0, text.Length - 1) : text;
        decimal? value = decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;
        return new NumberSyntax(text, value, isPercentage, StatementCursor.Range(token));
    }

    internal RegexSyntax RegexOf(Token<EvalToken> token) => RegexDecoder.Decode(_text, StatementCursor.Range(token), Report);

    /// <summary>The phrase of tokens <paramref name="from"/>..end with runs of blanks made single spaces.</summary>
    internal string PhraseOf(Token<EvalToken>[] tokens, int from, out TextRange range)
    {
        var start = LineTokenizer.Start(tokens[from]);
        var end = LineTokenizer.End(tokens[tokens.Length - 1]);
        range = TextRange.FromBounds(start, end);
        var sb = new System.Text.StringBuilder(end - start);
        var blank = false;
        for (var i = start; i < end; i++)
        {
            var c = _text[i];
            if (c == ' ' || c == '\t')
            {
                blank = true;
                continue;
            }
            if (blank) sb.Append(' ');
            blank = false;
            sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>A statement line: its tokens (comment removed), indentation and, when it ends in <c>"""</c>, the text block.</summary>
internal sealed record LogicalLine(int Line, Token<EvalToken>[] Tokens, string Indent, TextBlockLines? TextBlock)
{
    public string? Keyword => Tokens.Length > 0 && Tokens[0].Kind == EvalToken.Word ? Tokens[0].Span.ToStringValue() : null;
}
