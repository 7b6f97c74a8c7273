using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>The body of <c>repeat N { … }</c>: user, assistant and reply turns, run N times in order.</summary>
internal sealed class RepeatBlock : Block
{
    private readonly RepeatSyntax _repeat;
    private readonly CaseSyntax _case;

    private RepeatBlock(Parser parser, Token<EvalToken> brace, string indent, RepeatSyntax repeat, CaseSyntax @case) : base(parser, brace, indent, repeat.Status)
    {
        _repeat = repeat;
        _case = @case;
        repeat.Status.OpenBrace = StatementCursor.Range(brace);
    }

    /// <summary>Reads <c>repeat N {</c> into the case; returns the block to push, or null when the line opened none.</summary>
    public static Block? Open(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace, CaseSyntax @case)
    {
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        var repeat = new RepeatSyntax(StatementCursor.Range(tokens[0]));
        if (cursor.Next(StatementGrammar.RepeatHeader, out var count)) repeat.Count = Parser.NumberOf(count);
        var headerOk = brace is null
            ? cursor.Next(StatementGrammar.OpenBrace, out _) && cursor.End("a block's body starts on the next line")
            : cursor.End();
        repeat.Status.HeaderHasErrors = !headerOk;
        repeat.HasErrors = !headerOk;
        // A count that did not parse leaves the conversation unknown: rules about its turns stay quiet.
        if (!headerOk || repeat.Count is null) @case.Status.HasUnknownStatements = true;
        @case.Turns.Add(repeat);
        if (brace is { } b) return new RepeatBlock(parser, b, line.Indent, repeat, @case);
        // Without a body nothing repeats, and the case's conversation is not known.
        @case.Status.HasUnknownStatements = true;
        return null;
    }

    public override string Describe => "repeat block";

    protected override IReadOnlyCollection<string> Keywords => TurnStatements.Keywords;

    public override void Statement(LogicalLine line)
    {
        if (line.Keyword is { } keyword && System.Array.IndexOf(TurnStatements.Keywords, keyword) >= 0)
        {
            _repeat.Turns.Add(TurnStatements.Read(Parser, line));
            return;
        }
        NotATurn(line, null);
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        if (line.Keyword == "repeat")
        {
            MarkCaseIncomplete();
            Parser.SyntaxError(StatementCursor.Range(line.Tokens[0]),
                "A repeat block cannot hold another repeat: write the inner turns out, or repeat the outer turns more times.");
            return Skip(line, brace);
        }
        return NotATurn(line, brace);
    }

    // A case's other lines (settings, expectations, with, system, vary…) do not repeat: said so, rather than where they belong.
    private Block NotATurn(LogicalLine line, Token<EvalToken>? brace)
    {
        if (line.Keyword is { } k && System.Array.IndexOf(KeywordTable.Case, k) >= 0)
        {
            MarkCaseIncomplete();
            Parser.SyntaxError(StatementCursor.Range(line.Tokens[0]),
                $"'{k}' cannot stand in a repeat block: only user, assistant and reply turns repeat; move it out of the block.");
            return Skip(line, brace);
        }
        _case.Status.HasUnknownStatements = true;
        return Unexpected(line, brace);
    }

    public override void Close(bool properly)
    {
        if (!properly)
        {
            _case.Status.Unclosed = true;
            return;
        }
        if (_repeat.Turns.Count == 0 && !_repeat.Status.HasUnknownStatements && CloseBraceRange is { } close)
        {
            Parser.SyntaxError(close, "This repeat block has no turns; add the turns to repeat, such as reply and user \"Are you sure?\".");
            MarkCaseIncomplete();
        }
    }

    private void MarkCaseIncomplete()
    {
        _repeat.Status.HasUnknownStatements = true;
        _case.Status.HasUnknownStatements = true;
    }
}
