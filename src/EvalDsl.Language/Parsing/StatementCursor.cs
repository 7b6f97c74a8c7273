using System;
using System.Linq;
using Superpower;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>
/// Runs the grammars of <see cref="StatementGrammar"/> over the tokens of one line: a whole statement, or a
/// header part by part. The first parser that fails reports EVAL0001 (at the first unexpected token, or just
/// after the line's last token when the line ends too early, with what the parser expected) and every later
/// part is skipped, so the statement keeps what parsed before its first error and reports nothing twice.
/// </summary>
internal sealed class StatementCursor
{
    private readonly Parser _parser;
    private readonly Token<EvalToken>[] _tokens;
    private readonly Token<EvalToken>? _terminator;
    private TokenList<EvalToken> _rest;

    /// <param name="parser">Where errors go.</param>
    /// <param name="tokens">The statement's tokens.</param>
    /// <param name="skip">Tokens already read (the keyword).</param>
    /// <param name="terminator">The header's '{', kept apart from the tokens: a part missing before it is reported at it.</param>
    public StatementCursor(Parser parser, Token<EvalToken>[] tokens, int skip, Token<EvalToken>? terminator = null)
    {
        _parser = parser;
        _tokens = tokens;
        _terminator = terminator;
        _rest = new TokenList<EvalToken>(tokens);
        for (var i = 0; i < skip && !_rest.IsAtEnd; i++) _rest = _rest.ConsumeToken().Remainder;
    }

    /// <summary>Parses a whole statement line with its grammar (keyword included), then expects the end of the line.</summary>
    public static Parsed<T> Statement<T>(Parser parser, Token<EvalToken>[] tokens, TokenListParser<EvalToken, T> statement, string? hint = null)
    {
        var cursor = new StatementCursor(parser, tokens, 0);
        if (!cursor.Next(statement, out var value)) return default;
        return new Parsed<T>(true, value, cursor.End(hint));
    }

    public bool Failed { get; private set; }

    public bool AtEnd => _rest.IsAtEnd;

    /// <summary>The tokens not read yet.</summary>
    public TokenList<EvalToken> Rest => _rest;

    public Token<EvalToken>? Peek => _rest.IsAtEnd ? null : _rest.ConsumeToken().Value;

    public bool Next<T>(TokenListParser<EvalToken, T> parser, out T value)
    {
        value = default!;
        if (Failed) return false;
        var result = parser(_rest);
        if (result.HasValue)
        {
            _rest = result.Remainder;
            value = result.Value;
            return true;
        }
        Fail(result.Remainder, result.Expectations);
        return false;
    }

    /// <summary>Consumes a part when it is there; reports nothing when it is not.</summary>
    public bool Optional<T>(TokenListParser<EvalToken, T> parser, out T value)
    {
        value = default!;
        if (Failed || _rest.IsAtEnd) return false;
        var result = parser(_rest);
        if (!result.HasValue || result.Remainder.Position == _rest.Position) return false;
        _rest = result.Remainder;
        value = result.Value;
        return true;
    }

    /// <summary>Expects the end of the line; reports the first extra token.</summary>
    public bool End(string? hint = null)
    {
        if (Failed) return false;
        if (_rest.IsAtEnd) return true;
        Failed = true;
        var token = _rest.ConsumeToken().Value;
        _parser.SyntaxError(Range(token), QuoteMistake(token) ?? $"Unexpected {Describe(token)}; expected the end of the line{(hint is null ? "" : "; " + hint)}.");
        return false;
    }

    private void Fail(TokenList<EvalToken> at, string[]? expectations)
    {
        Failed = true;
        var expected = expectations is { Length: > 0 } ? Join(expectations) : "more";
        if (at.IsAtEnd && _terminator is { } brace && brace.Span.Length > 0)
        {
            _parser.SyntaxError(Range(brace), $"Unexpected '{{'; expected {expected}.");
        }
        else if (at.IsAtEnd)
        {
            var last = _tokens.Length == 0 ? 0 : LineTokenizer.End(_tokens[_tokens.Length - 1]);
            _parser.SyntaxError(new TextRange(last, 0), $"The line ends too early; expected {expected}.");
        }
        else
        {
            var token = at.ConsumeToken().Value;
            _parser.SyntaxError(Range(token), QuoteMistake(token) ?? $"Unexpected {Describe(token)}; expected {expected}.");
        }
    }

    public static TextRange Range(Token<EvalToken> token) => new(token.Span.Position.Absolute, token.Span.Length);

    internal static string Join(string[] expectations)
    {
        var distinct = expectations.Distinct().ToArray();
        return distinct.Length switch
        {
            1 => distinct[0],
            2 => distinct[0] + " or " + distinct[1],
            _ => string.Join(", ", distinct, 0, distinct.Length - 1) + " or " + distinct[distinct.Length - 1],
        };
    }

    /// <summary>Control and format characters written as U+XXXX: a message must not carry a raw NUL or a bidi override.</summary>
    public static string Printable(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            var category = char.GetUnicodeCategory(c);
            if (category is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format && c != '\t')
            {
                sb.Append("U+").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>A quote that is not a string's: a single quote, or a typographic one an editor put in its place.</summary>
    public static string? QuoteMistake(Token<EvalToken> token)
    {
        if (token.Kind is EvalToken.String or EvalToken.TextBlock or EvalToken.Regex) return null;
        var text = token.Span.ToStringValue();
        if (text.Length == 0) return null;
        return text[0] switch
        {
            '\'' => "Unexpected single quote ('); strings take double quotes: write \"text\", not 'text'.",
            '\u2018' or '\u2019' => $"Unexpected typographic apostrophe ({text[0]}); strings take straight double quotes: write \"text\".",
            '\u201C' or '\u201D' => $"Unexpected typographic quotation mark ({text[0]}); strings take straight double quotes: write \"text\".",
            _ => null,
        };
    }

    public static string Describe(Token<EvalToken> token)
    {
        var text = Printable(token.Span.ToStringValue());
        if (text.Length > 40) text = text.Substring(0, 37) + "...";
        return token.Kind switch
        {
            EvalToken.Word => $"'{text}'",
            EvalToken.String => $"string {text}",
            EvalToken.TextBlock => "text block \"\"\"",
            EvalToken.Number => $"number {text}",
            EvalToken.Percentage => $"percentage {text}",
            EvalToken.Regex => $"regular expression {text}",
            _ => $"'{text}'",
        };
    }
}

/// <summary>A statement's value when its grammar matched (<see cref="HasValue"/>), and whether the line ended after it
/// (<see cref="Complete"/>; extra tokens were reported, the value is kept).</summary>
internal readonly record struct Parsed<T>(bool HasValue, T Value, bool Complete);
