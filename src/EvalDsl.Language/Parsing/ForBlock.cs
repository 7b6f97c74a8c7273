using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>
/// <c>for LABEL { … }</c> in a case: <c>must</c>/<c>should</c> lines that apply only to the variants with that vary
/// label. Its expectations join the case's (in <see cref="CaseSyntax.Expectations"/>, marked with their block), so every
/// rule about expectations sees them; anything else in the block is EVAL0001.
/// </summary>
internal sealed class ForBlock : Block
{
    private readonly ForSyntax _for;
    private readonly CaseSyntax _case;

    private ForBlock(Parser parser, Token<EvalToken> brace, string indent, ForSyntax @for, CaseSyntax @case) : base(parser, brace, indent, @for.Status)
    {
        _for = @for;
        _case = @case;
        @for.Status.OpenBrace = StatementCursor.Range(brace);
    }

    /// <summary>Reads the header <c>for LABEL {</c>; returns the block to push, or null when the line opened none.</summary>
    public static Block? Open(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace, CaseSyntax @case)
    {
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        NameSyntax? label = cursor.Next(StatementGrammar.ForHeader, out var n) ? Parser.NameOf(n) : null;
        var headerOk = (brace is not null || cursor.Next(StatementGrammar.OpenBrace, out _)) &&
                       cursor.End(brace is null ? "a block's body starts on the next line" : null);
        var @for = new ForSyntax(StatementCursor.Range(tokens[0]), label ?? MissingSyntax.Name(StatementCursor.Range(tokens[0])));
        @for.Status.HeaderHasErrors = !headerOk;
        @case.ForBlocks.Add(@for);
        if (!headerOk) @case.Status.HasUnknownStatements = true;
        return brace is { } b ? new ForBlock(parser, b, line.Indent, @for, @case) : null;
    }

    public override string Describe => "for block";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.For;

    public override void Statement(LogicalLine line)
    {
        if (line.Keyword is "must" or "should")
        {
            var expectation = Expectations.Parse(Parser, line, line.Keyword == "must" ? Modality.Must : Modality.Should, CaseBlock.ReplyNames(_case));
            expectation.For = _for;
            _for.Expectations.Add(expectation);
            _case.Expectations.Add(expectation);
            return;
        }
        MarkCaseIncomplete();
        Unexpected(line, null);
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        MarkCaseIncomplete();
        return Unexpected(line, brace);
    }

    public override void Close(bool properly)
    {
        if (!properly) _case.Status.Unclosed = true;
    }

    private void MarkCaseIncomplete()
    {
        _for.Status.HasUnknownStatements = true;
        _case.Status.HasUnknownStatements = true;
    }
}
