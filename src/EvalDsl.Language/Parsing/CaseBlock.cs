using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>A case's body: settings, the conversation, vary blocks and expectations.</summary>
internal sealed class CaseBlock : Block
{
    private readonly CaseSyntax _case;

    public CaseBlock(Parser parser, Token<EvalToken> brace, string indent, CaseSyntax @case) : base(parser, brace, indent, @case.Status)
    {
        _case = @case;
        @case.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "case";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.Case;

    public override void Statement(LogicalLine line)
    {
        if (SettingStatements.TryParse(Parser, line, _case.Settings, "case")) return;
        var keyword = line.Keyword;
        var keywordRange = StatementCursor.Range(line.Tokens[0]);
        switch (keyword)
        {
            case "must":
            case "should":
                _case.Expectations.Add(Expectations.Parse(Parser, line, keyword == "must" ? Modality.Must : Modality.Should, ReplyNames(_case)));
                return;
            case "with":
            {
                var turn = new TurnSyntax(TurnKind.With, keywordRange);
                var afterExpectation = TurnAfterExpectation(turn);
                var with = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.With);
                if (with.HasValue) turn.Persona = Parser.NameOf(with.Value);
                turn.HasErrors |= !with.Complete || afterExpectation;
                var first = _case.Turns.Find(t => t.Kind == TurnKind.With);
                // A second 'with' is reported but kept, so that its persona does not also look unused.
                turn.HasErrors |= SettingStatements.Twice(Parser, first?.Keyword, keywordRange, "with", "case");
                _case.Turns.Add(turn);
                return;
            }
            case "user":
            case "assistant":
            case "reply":
            {
                var afterExpectation = TurnAfterExpectation(null, line.Tokens[0]);
                var turn = TurnStatements.Read(Parser, line);
                turn.HasErrors |= afterExpectation;
                _case.Turns.Add(turn);
                return;
            }
            case "repeat":
                // Without its '{' the header is read (and its error reported) but nothing repeats.
                TurnAfterExpectation(null, line.Tokens[0]);
                RepeatBlock.Open(Parser, line, line.Tokens, null, _case);
                return;
            case "system":
            case "memory":
            {
                var kind = keyword == "system" ? TurnKind.System : TurnKind.Memory;
                var turn = new TurnSyntax(kind, keywordRange);
                var afterExpectation = TurnAfterExpectation(turn);
                var text = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.TextStatement(keyword));
                if (text.HasValue) turn.Text = Parser.StringOf(text.Value, line);
                turn.HasErrors |= !text.Complete || afterExpectation;
                _case.Turns.Add(turn);
                return;
            }
            case "reference":
            {
                // Not a turn: the model never sees it, so it may stand anywhere in the case, as a setting may.
                var text = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.TextStatement(keyword));
                if (SettingStatements.Twice(Parser, _case.ReferenceKeyword, keywordRange, "reference", "case")) return;
                _case.ReferenceKeyword = keywordRange;
                if (text.HasValue) _case.Reference = Parser.StringOf(text.Value, line);
                return;
            }
            case "answer":
            {
                // Not a turn either: only the grading reads it, so it may stand anywhere in the case, as reference may.
                var text = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.TextStatement(keyword));
                if (SettingStatements.Twice(Parser, _case.AnswerKeyword, keywordRange, "answer", "case")) return;
                _case.AnswerKeyword = keywordRange;
                if (text.HasValue) _case.Answer = Parser.StringOf(text.Value, line);
                return;
            }
            case "vary":
                TurnAfterExpectation(null, line.Tokens[0]);
                Declarations.Vary(Parser, line, line.Tokens, null, _case);
                return;
            case "for":
                // A for without its '{' holds nothing: reported (the brace is missing), and nothing is kept.
                ForBlock.Open(Parser, line, line.Tokens, null, _case);
                return;
            default:
                Unexpected(line, null);
                return;
        }
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        if (line.Keyword == "vary")
        {
            TurnAfterExpectation(null, line.Tokens[0]);
            return Declarations.Vary(Parser, line, header, brace, _case)!;
        }
        if (line.Keyword == "repeat")
        {
            TurnAfterExpectation(null, line.Tokens[0]);
            return RepeatBlock.Open(Parser, line, header, brace, _case)!;
        }
        if (line.Keyword == "for") return ForBlock.Open(Parser, line, header, brace, _case)!;
        if (line.Keyword is { } k && System.Array.IndexOf(KeywordTable.Case, k) >= 0)
        {
            Statement(line with { Tokens = header });
            Parser.SyntaxError(StatementCursor.Range(brace), $"'{k}' does not open a block; remove the '{{'.");
            return Skip(line, brace);
        }
        return Unexpected(line, brace);
    }

    /// <summary>The names of the case's replies (<c>reply as NAME</c>), which an expectation's <c>in NAME</c> may name.</summary>
    internal static HashSet<string> ReplyNames(CaseSyntax @case)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var turn in RepeatSyntax.Expand(@case.Turns, once: true)) if (turn.ReplyName is { } name) names.Add(name.Text);
        return names;
    }

    // Expectations come after all turns of their case: a turn after one is EVAL0001 at its keyword.
    private bool TurnAfterExpectation(TurnSyntax? turn, Token<EvalToken>? keyword = null)
    {
        if (_case.Expectations.Count == 0) return false;
        var range = turn?.Keyword ?? StatementCursor.Range(keyword!.Value);
        Parser.SyntaxError(range, $"Turns come before the expectations of their case: move this '{Parser.Text.Substring(range.Start, range.Length)}' above the first must or should.");
        return true;
    }
}
