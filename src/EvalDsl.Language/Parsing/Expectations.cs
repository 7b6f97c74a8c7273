using System;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>
/// <c>must|should [not] PHRASE</c>. After the optional <c>not</c>: <c>contain</c> followed by a string and
/// <c>match</c> followed by a regex are checks; <c>hold its answer</c> and <c>be consistent across NAME</c> are
/// comparisons; anything else is a behavior phrase (the rest of the line, blanks collapsed).
/// </summary>
internal static class Expectations
{
    public static ExpectationSyntax Parse(Parser parser, LogicalLine line, Modality modality)
    {
        var tokens = line.Tokens;
        var expectation = new ExpectationSyntax(modality, StatementCursor.Range(tokens[0]));
        var i = 1;
        if (i < tokens.Length && IsMiscased(tokens[i], "not")) return Miscased(parser, expectation, tokens[i], "not");
        if (i < tokens.Length && IsWord(tokens[i], "not"))
        {
            expectation.Negated = true;
            i++;
        }

        if (i >= tokens.Length)
        {
            var end = LineTokenizer.End(tokens[tokens.Length - 1]);
            parser.SyntaxError(new TextRange(end, 0),
                "The line ends too early; expected a behavior phrase such as 'flatter the user', contain \"text\" or match /pattern/.");
            expectation.HasErrors = true;
            expectation.IsMissing = true;
            expectation.PhraseRange = new TextRange(end, 0);
            return expectation;
        }

        var first = tokens[i];
        // 'Contain "x"' and 'Match /x/' are checks with a mis-cased keyword, not behavior phrases.
        if (i + 1 < tokens.Length && IsMiscased(first, "contain") && tokens[i + 1].Kind is EvalToken.String or EvalToken.TextBlock) return Miscased(parser, expectation, first, "contain");
        if (i + 1 < tokens.Length && IsMiscased(first, "match") && tokens[i + 1].Kind == EvalToken.Symbol && tokens[i + 1].Span.EqualsValue("/")) return Miscased(parser, expectation, first, "match");
        if (IsWord(first, "contain") && i + 1 < tokens.Length && (tokens[i + 1].Kind is EvalToken.String or EvalToken.TextBlock))
        {
            expectation.Kind = ExpectationKind.Contain;
            expectation.Text = parser.StringOf(tokens[i + 1], line);
            SetPhrase(parser, expectation, tokens, i, i + 2);
            expectation.HasErrors = !new StatementCursor(parser, tokens, i + 2).End();
            return expectation;
        }

        if (IsWord(first, "match") && i + 1 < tokens.Length && tokens[i + 1].Kind == EvalToken.Regex)
        {
            expectation.Kind = ExpectationKind.Match;
            expectation.Regex = parser.RegexOf(tokens[i + 1]);
            SetPhrase(parser, expectation, tokens, i, i + 2);
            expectation.HasErrors = !new StatementCursor(parser, tokens, i + 2).End();
            return expectation;
        }

        var last = tokens.Length;
        for (var k = i; k < tokens.Length; k++)
        {
            if (tokens[k].Kind == EvalToken.TextBlock)
            {
                parser.SyntaxError(StatementCursor.Range(tokens[k]), "A behavior phrase is plain words; a text block cannot be part of it.");
                expectation.HasErrors = true;
                last = k;
                break;
            }
        }
        if (last == i)
        {
            expectation.IsMissing = true;
            expectation.PhraseRange = StatementCursor.Range(tokens[i]);
            return expectation;
        }

        SetPhrase(parser, expectation, tokens, i, last);
        var count = last - i;
        if (count == 3 && IsWordIgnoreCase(tokens[i], "hold") && IsWordIgnoreCase(tokens[i + 1], "its") && IsWordIgnoreCase(tokens[i + 2], "answer"))
        {
            expectation.Kind = ExpectationKind.HoldsAnswer;
        }
        else if (count == 4 && IsWordIgnoreCase(tokens[i], "be") && IsWordIgnoreCase(tokens[i + 1], "consistent") &&
                 IsWordIgnoreCase(tokens[i + 2], "across") && tokens[i + 3].Kind == EvalToken.Word)
        {
            expectation.Kind = ExpectationKind.ConsistentAcross;
            expectation.VaryName = Parser.NameOf(tokens[i + 3]);
        }
        else
        {
            expectation.Kind = ExpectationKind.Behavior;
        }
        return expectation;
    }

    private static bool IsMiscased(Token<EvalToken> token, string keyword) => IsWordIgnoreCase(token, keyword) && !IsWord(token, keyword);

    private static ExpectationSyntax Miscased(Parser parser, ExpectationSyntax expectation, Token<EvalToken> token, string keyword)
    {
        parser.SyntaxError(StatementCursor.Range(token), $"Keywords are lower case: write '{keyword}', not '{token.Span.ToStringValue()}'.");
        expectation.HasErrors = true;
        expectation.IsMissing = true;
        expectation.PhraseRange = StatementCursor.Range(token);
        return expectation;
    }

    private static void SetPhrase(Parser parser, ExpectationSyntax expectation, Token<EvalToken>[] tokens, int from, int to)
    {
        var slice = Parser.Slice(tokens, from, to - from);
        expectation.Phrase = parser.PhraseOf(slice, 0, out var range);
        expectation.PhraseRange = range;
    }

    private static bool IsWord(Token<EvalToken> token, string word) =>
        token.Kind == EvalToken.Word && token.Span.EqualsValue(word);

    private static bool IsWordIgnoreCase(Token<EvalToken> token, string word) =>
        token.Kind == EvalToken.Word && token.Span.EqualsValueIgnoreCase(word);
}
