using System.Collections.Generic;
using Superpower;
using Superpower.Model;

namespace EvalDsl.Lexing;

/// <summary>
/// Tokenizes one statement line. Permissive by design: it never fails. An unterminated string or regex
/// becomes a token that runs to the end of the line, and any other character is a <see cref="EvalToken.Symbol"/>;
/// the parser and the string decoder word the errors. A <c>#</c> outside strings and regexes ends the line.
/// </summary>
internal sealed class LineTokenizer : Tokenizer<EvalToken>
{
    public static readonly LineTokenizer Instance = new();

    /// <summary>
    /// Tokenizes <paramref name="length"/> characters of <paramref name="source"/> from <paramref name="start"/>,
    /// the first character of the 1-based physical line <paramref name="line"/>; tokens carry real lines and columns.
    /// </summary>
    public LineTokens TokenizeLine(string source, int start, int length, int line = 1)
    {
        var tokens = new List<Token<EvalToken>>();
        var span = new TextSpan(source, new Position(start, line, 1), length);
        var state = new TokenizationState<EvalToken>();
        foreach (var result in Tokenize(span, state))
        {
            var token = new Token<EvalToken>(result.Value, result.Location.Until(result.Remainder));
            tokens.Add(token);
            state.Previous = token;
        }
        var comment = FindComment(source, tokens.Count == 0 ? start : End(tokens[tokens.Count - 1]), start + length);
        return new LineTokens(tokens.ToArray(), comment);
    }

    protected override IEnumerable<Result<EvalToken>> Tokenize(TextSpan span) =>
        Tokenize(span, new TokenizationState<EvalToken>());

    protected override IEnumerable<Result<EvalToken>> Tokenize(TextSpan span, TokenizationState<EvalToken> state)
    {
        var source = span.Source!;
        var i = span.Position.Absolute;
        var end = i + span.Length;
        var line = span.Position.Line;
        var lineStart = i - (span.Position.Column - 1);
        Token<EvalToken>? previous = state.Previous;

        while (i < end)
        {
            var c = source[i];
            if (IsSpace(c)) { i++; continue; }
            if (c == '#') yield break;

            var start = i;
            EvalToken kind;
            if (c == '"')
            {
                if (i + 2 < end && source[i + 1] == '"' && source[i + 2] == '"' && RestIsBlank(source, i + 3, end))
                {
                    kind = EvalToken.TextBlock;
                    i += 3;
                }
                else
                {
                    kind = EvalToken.String;
                    i = ScanQuoted(source, i + 1, end, '"', out _);
                }
            }
            else if (c == '/' && previous is { } p && p.Kind == EvalToken.Word && (p.Span.EqualsValue("match") || p.Span.EqualsValue("matches")))
            {
                kind = EvalToken.Regex;
                i = ScanQuoted(source, i + 1, end, '/', out var closed);
                if (closed)
                {
                    while (i < end && char.IsLetter(source[i])) i++;
                }
            }
            else if (IsNameStart(source, i))
            {
                kind = EvalToken.Word;
                i += char.IsSurrogatePair(source, i) ? 2 : 1;
                while (i < end && IsNamePart(source, i)) i += char.IsSurrogatePair(source, i) ? 2 : 1;
            }
            else if (IsDigit(c) || ((c == '-' || c == '.') && i + 1 < end && IsDigit(source[i + 1])))
            {
                i++;
                while (i < end && IsDigit(source[i])) i++;
                if (c != '.' && i + 1 < end && source[i] == '.' && IsDigit(source[i + 1]))
                {
                    i++;
                    while (i < end && IsDigit(source[i])) i++;
                }
                kind = EvalToken.Number;
                if (i < end && source[i] == '%')
                {
                    i++;
                    kind = EvalToken.Percentage;
                }
            }
            else
            {
                kind = c switch
                {
                    '{' => EvalToken.LBrace,
                    '}' => EvalToken.RBrace,
                    '|' => EvalToken.Pipe,
                    ',' => EvalToken.Comma,
                    _ => EvalToken.Symbol,
                };
                i += char.IsSurrogatePair(source, i) ? 2 : 1;
            }

            var location = new TextSpan(source, new Position(start, line, start - lineStart + 1), i - start);
            var remainder = new TextSpan(source, new Position(i, line, i - lineStart + 1), end - i);
            var token = new Token<EvalToken>(kind, location);
            previous = token;
            yield return Result.Value(kind, location, remainder);
        }
    }

    public static int Start(Token<EvalToken> token) => token.Span.Position.Absolute;

    public static int End(Token<EvalToken> token) => token.Span.Position.Absolute + token.Span.Length;

    public static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\f' || c == '\v' || (c > 0x7F && c != '\u0085' && char.IsWhiteSpace(c) && c != '\u2028' && c != '\u2029');

    public static bool IsDigit(char c) => c >= '0' && c <= '9';

    public static bool IsNameStart(string s, int i) => char.IsLetter(s, i);

    private static bool IsNamePart(string s, int i)
    {
        var c = s[i];
        return char.IsLetterOrDigit(c) || c == '-' || c == '_' || (char.IsSurrogatePair(s, i) && char.IsLetter(s, i));
    }

    /// <summary>Is <paramref name="name"/> a name: a letter, then letters, digits, <c>-</c> or <c>_</c>.</summary>
    public static bool IsName(string name)
    {
        if (name.Length == 0 || !char.IsLetter(name, 0)) return false;
        for (var i = char.IsSurrogatePair(name, 0) ? 2 : 1; i < name.Length; i += char.IsSurrogatePair(name, i) ? 2 : 1)
        {
            if (!IsNamePart(name, i)) return false;
        }
        return true;
    }

    // Scans past a quoted run; a backslash always takes the next character with it. Returns the index
    // after the closing quote, or the end of the line when there is none.
    public static int ScanQuoted(string source, int i, int end, char quote, out bool closed)
    {
        while (i < end)
        {
            var c = source[i];
            if (c == '\\') { i += 2; continue; }
            i++;
            if (c == quote) { closed = true; return i; }
        }
        closed = false;
        return end;
    }

    private static bool RestIsBlank(string source, int i, int end)
    {
        for (; i < end; i++)
        {
            var c = source[i];
            if (c == '#') return true;
            if (!IsSpace(c)) return false;
        }
        return true;
    }

    private static TextRangeOrNone FindComment(string source, int from, int end)
    {
        for (var i = from; i < end; i++)
        {
            if (source[i] == '#') return new TextRangeOrNone(i, end - i);
            if (!IsSpace(source[i])) break;
        }
        return default;
    }
}

/// <summary>The tokens of one line and its trailing comment, if any.</summary>
internal readonly record struct LineTokens(Token<EvalToken>[] Tokens, TextRangeOrNone Comment);

/// <summary>A range that may be absent (the default, of length 0, is none).</summary>
internal readonly record struct TextRangeOrNone(int Start, int Length)
{
    public bool HasValue => Length > 0;
}
