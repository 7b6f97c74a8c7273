using System.Collections.Generic;
using System.Linq;
using Superpower;
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
/// <remarks>
/// The parts are <see cref="StatementGrammar"/>'s parsers; the order in which they are tried, and three messages,
/// are hand code: a phrase is whatever is left when no check matches (a fall-back, not an alternative with
/// expectations of its own), a mis-cased <c>Not</c>, <c>Contain "x"</c> or <c>Match /x/</c> is reported as a
/// mis-cased keyword rather than read as a phrase, and a text block ends the phrase with its own message while
/// the words before it are kept.
/// </remarks>
internal static class Expectations
{
    private const string Expected = "a behavior phrase such as 'flatter the user', contain \"text\" or match /pattern/";

    /// <summary>
    /// The expectation, with its suffixes split off the end of the line first: a guard <c>when NAME contains TEXT</c> /
    /// <c>when NAME matches REGEX</c>, then <c>in every reply</c> (which always ends a phrase) or <c>in NAME</c>. After a
    /// check's string, regex or column <c>in NAME</c> is always a suffix; after a behavior phrase only when NAME is one of
    /// <paramref name="replies"/> (the case's reply names: turns precede expectations) or the words before it are
    /// <c>hold its answer</c> / <c>be consistent across X</c> / <c>answer correctly</c>; otherwise the phrase keeps the words and
    /// <see cref="ExpectationSyntax.TrailingIn"/> notes them (see EVAL0121).
    /// </summary>
    public static ExpectationSyntax Parse(Parser parser, LogicalLine line, Modality modality, IReadOnlyCollection<string> replies)
    {
        var tokens = line.Tokens;
        var head = tokens.Length > 1 && IsWord(tokens[1], "not") ? 2 : 1;
        var end = tokens.Length;
        GuardSyntax? guard = null;
        var guardFailed = false;
        for (var w = end - 3; w > head; w--)
        {
            if (!IsWord(tokens[w], "when") || tokens[w + 1].Kind != EvalToken.Word || !(IsWord(tokens[w + 2], "contains") || IsWord(tokens[w + 2], "matches"))) continue;
            guard = new GuardSyntax(StatementCursor.Range(tokens[w]), Parser.NameOf(tokens[w + 1]));
            var part = tokens.Skip(w).ToArray();
            var cursor = new StatementCursor(parser, part, 3);
            if (IsWord(tokens[w + 2], "contains"))
            {
                if (cursor.Next(StatementGrammar.Text, out var text)) guard.Text = parser.StringOf(text, line);
            }
            else if (cursor.Next(StatementGrammar.Regex, out var regex)) guard.Regex = parser.RegexOf(regex);
            guardFailed = !cursor.End();
            end = w;
            break;
        }

        NameSyntax? reply = null;
        TextRange? every = null;
        NameSyntax? trailing = null;
        if (end - 3 > head && IsWord(tokens[end - 3], "in") && IsWord(tokens[end - 2], "every") && IsWord(tokens[end - 1], "reply"))
        {
            every = TextRange.FromBounds(LineTokenizer.Start(tokens[end - 3]), LineTokenizer.End(tokens[end - 1]));
            end -= 3;
        }
        else if (end - 2 > head && IsWord(tokens[end - 2], "in") && tokens[end - 1].Kind == EvalToken.Word)
        {
            var name = Parser.NameOf(tokens[end - 1]);
            var before = tokens[end - 3];
            var words = new TokenList<EvalToken>(tokens.Skip(head).Take(end - 2 - head).ToArray());
            if (before.Kind is EvalToken.String or EvalToken.Regex or EvalToken.RBrace || replies.Contains(name.Text) ||
                StatementGrammar.HoldsAnswer(words).HasValue || StatementGrammar.ConsistentAcross(words).HasValue ||
                StatementGrammar.AnswerCorrectly(words) is { HasValue: true, Remainder.IsAtEnd: true })
            {
                reply = name;
                end -= 2;
            }
            else trailing = name;
        }

        var expectation = ParseBody(parser, end == tokens.Length ? line : line with { Tokens = tokens.Take(end).ToArray() }, modality);
        expectation.Reply = reply;
        expectation.EveryReply = every;
        expectation.Guard = guard;
        expectation.HasErrors |= guardFailed;
        if (expectation.Kind == ExpectationKind.Behavior && !expectation.IsMissing) expectation.TrailingIn = trailing;
        return expectation;
    }

    private static bool IsWord(Token<EvalToken> token, string word) => token.Kind == EvalToken.Word && token.Span.EqualsValue(word);

    private static ExpectationSyntax ParseBody(Parser parser, LogicalLine line, Modality modality)
    {
        var tokens = line.Tokens;
        var expectation = new ExpectationSyntax(modality, StatementCursor.Range(tokens[0]));
        var cursor = new StatementCursor(parser, tokens, 0);
        // The block dispatched on must/should, so the head always parses.
        if (!cursor.Next(StatementGrammar.ExpectationHead, out var negated)) return expectation;
        if (!negated && Lookahead(StatementGrammar.MiscasedNot, cursor) is { } not) return Miscased(parser, expectation, not, "not");
        expectation.Negated = negated;

        if (cursor.AtEnd)
        {
            var end = LineTokenizer.End(tokens[tokens.Length - 1]);
            parser.SyntaxError(new TextRange(end, 0), $"The line ends too early; expected {Expected}.");
            expectation.HasErrors = true;
            expectation.IsMissing = true;
            expectation.PhraseRange = new TextRange(end, 0);
            return expectation;
        }

        if (Lookahead(StatementGrammar.MiscasedCheck, cursor) is { } check) return Miscased(parser, expectation, check.Token, check.Keyword);

        if (cursor.Optional(StatementGrammar.AlternativesHead, out var head)) return Alternatives(parser, expectation, cursor, tokens, head.Contain, head.All);

        if (cursor.Optional(StatementGrammar.CheckPhrase, out var checkPhrase))
        {
            expectation.Kind = checkPhrase.Kind;
            if (checkPhrase.Kind != ExpectationKind.Match) expectation.Text = parser.StringOf(checkPhrase.Value, line);
            else expectation.Regex = parser.RegexOf(checkPhrase.Value);
            SetPhrase(parser, expectation, new[] { checkPhrase.Keyword, checkPhrase.Value });
            expectation.HasErrors = !cursor.End();
            return expectation;
        }

        cursor.Optional(StatementGrammar.PhraseWords, out var words);
        if (cursor.Peek is { } textBlock)
        {
            // PhraseWords stops only at a text block.
            parser.SyntaxError(StatementCursor.Range(textBlock), "A behavior phrase is plain words; a text block cannot be part of it.");
            expectation.HasErrors = true;
            if (words is not { Length: > 0 })
            {
                expectation.IsMissing = true;
                expectation.PhraseRange = StatementCursor.Range(textBlock);
                return expectation;
            }
        }

        var phrase = new TokenList<EvalToken>(words!);
        if (StatementGrammar.AnswerCorrectly(phrase) is { HasValue: true } correctly)
        {
            // Checked before the behaviour catalogue: the correct answer is the case's answer line, never text after the phrase.
            expectation.Kind = ExpectationKind.AnswerCorrectly;
            SetPhrase(parser, expectation, words!.Take(2).ToArray());
            if (!correctly.Remainder.IsAtEnd)
            {
                var extra = words!.Skip(2).ToArray();
                var range = TextRange.FromBounds(StatementCursor.Range(extra[0]).Start, LineTokenizer.End(extra[extra.Length - 1]));
                parser.SyntaxError(range, extra[0].Kind is EvalToken.String
                    ? "answer correctly takes no text: write the correct answer on a line of its own in the case, answer " + extra[0].Span.ToStringValue() + "."
                    : "The line should end after 'answer correctly'; the correct answer is the case's answer \"…\" line.");
                expectation.HasErrors = true;
            }
            return expectation;
        }
        SetPhrase(parser, expectation, words!);
        if (StatementGrammar.HoldsAnswer(phrase).HasValue)
        {
            expectation.Kind = ExpectationKind.HoldsAnswer;
        }
        else if (StatementGrammar.ConsistentAcross(phrase) is { HasValue: true } across)
        {
            expectation.Kind = ExpectationKind.ConsistentAcross;
            expectation.VaryName = Parser.NameOf(across.Value);
        }
        else if (IsMoreUnder(words!))
        {
            MoreUnder(parser, expectation, words!);
        }
        else
        {
            expectation.Kind = ExpectationKind.Behavior;
        }
        return expectation;
    }

    /// <summary>
    /// <c>contain any of {col}</c> / <c>contain all of {col}</c>: the column whose cell lists the alternatives. A string
    /// after <c>of</c> has its own message (one text is plain <c>contain</c>); what stands between the braces must be a
    /// placeholder name, written without blanks.
    /// </summary>
    private static ExpectationSyntax Alternatives(Parser parser, ExpectationSyntax expectation, StatementCursor cursor, Token<EvalToken>[] tokens, Token<EvalToken> contain, bool all)
    {
        expectation.Kind = all ? ExpectationKind.ContainAll : ExpectationKind.ContainAny;
        var of = all ? "all of" : "any of";
        if (cursor.Peek is { Kind: EvalToken.String or EvalToken.TextBlock } text)
        {
            parser.SyntaxError(StatementCursor.Range(text),
                $"'{of}' takes a data column in braces, such as {{aliases}}, whose cell lists the alternatives (a JSON array or texts separated by '|'); for one text write contain \"…\".");
            return Broken(expectation, tokens, contain);
        }
        if (!cursor.Next(StatementGrammar.BracedColumn, out var braces)) return Broken(expectation, tokens, contain);
        var range = TextRange.FromBounds(braces.Open.Span.Position.Absolute, LineTokenizer.End(braces.Close));
        var name = parser.Text.Substring(range.Start + 1, range.Length - 2);
        expectation.Phrase = parser.PhraseOf(new[] { contain, braces.Close }, 0, out var phraseRange);
        expectation.PhraseRange = phraseRange;
        if (!PlaceholderPath.IsValid(name))
        {
            parser.SyntaxError(range, $"'{StatementCursor.Printable(parser.Text.Substring(range.Start, range.Length))}' is not a data column: write its name in braces with no blanks, such as {{aliases}}.");
            expectation.HasErrors = true;
            return expectation;
        }
        expectation.Alternatives = new PlaceholderPart(name, range);
        expectation.HasErrors = !cursor.End();
        return expectation;
    }

    private static ExpectationSyntax Broken(ExpectationSyntax expectation, Token<EvalToken>[] tokens, Token<EvalToken> contain)
    {
        expectation.HasErrors = true;
        expectation.IsMissing = true;
        expectation.PhraseRange = StatementCursor.Range(contain);
        expectation.Phrase = "contain";
        return expectation;
    }

    /// <summary>A phrase that starts <c>be more</c> and has an <c>under</c> (the words in any case): the comparison between two labels.</summary>
    private static bool IsMoreUnder(Token<EvalToken>[] words) =>
        words.Length >= 3 && Is(words[0], "be") && Is(words[1], "more") && System.Array.Exists(words, w => Is(w, "under"));

    /// <summary>
    /// <c>be more PHRASE under A than under B</c>. Hand code, not a Superpower parser: PHRASE is any words, so the form
    /// is read from its end (the last five words are <c>under A than under B</c>), which a left-to-right token parser
    /// cannot do without backtracking over every split. A phrase that starts so but does not end so is EVAL0001.
    /// </summary>
    private static void MoreUnder(Parser parser, ExpectationSyntax expectation, Token<EvalToken>[] words)
    {
        expectation.Kind = ExpectationKind.MoreUnder;
        var n = words.Length;
        if (n >= 8 && Is(words[n - 5], "under") && words[n - 4].Kind == EvalToken.Word && Is(words[n - 3], "than") &&
            Is(words[n - 2], "under") && words[n - 1].Kind == EvalToken.Word)
        {
            var degree = Parser.Slice(words, 2, n - 7);
            expectation.Degree = parser.PhraseOf(degree, 0, out var degreeRange);
            expectation.DegreeRange = degreeRange;
            expectation.UnderLabel = Parser.NameOf(words[n - 4]);
            expectation.ThanLabel = Parser.NameOf(words[n - 1]);
            return;
        }
        parser.SyntaxError(expectation.PhraseRange,
            "'be more … under' compares the replies under two labels of one vary: write be more PHRASE under LABEL than under LABEL, such as be more positive under likes than under neutral.");
        expectation.HasErrors = true;
        expectation.IsMissing = true;
    }

    private static bool Is(Token<EvalToken> token, string word) => token.Kind == EvalToken.Word && token.Span.EqualsValueIgnoreCase(word);

    /// <summary>What <paramref name="parser"/> matched at the cursor, without moving it.</summary>
    private static T? Lookahead<T>(TokenListParser<EvalToken, T> parser, StatementCursor cursor) where T : struct =>
        !cursor.AtEnd && parser(cursor.Rest) is { HasValue: true } result ? result.Value : null;

    private static ExpectationSyntax Miscased(Parser parser, ExpectationSyntax expectation, Token<EvalToken> token, string keyword)
    {
        parser.SyntaxError(StatementCursor.Range(token), $"Keywords are lower case: write '{keyword}', not '{token.Span.ToStringValue()}'.");
        expectation.HasErrors = true;
        expectation.IsMissing = true;
        expectation.PhraseRange = StatementCursor.Range(token);
        return expectation;
    }

    private static void SetPhrase(Parser parser, ExpectationSyntax expectation, Token<EvalToken>[] words)
    {
        expectation.Phrase = parser.PhraseOf(words, 0, out var range);
        expectation.PhraseRange = range;
    }
}
