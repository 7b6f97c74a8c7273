using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>The labels of a <c>vary</c>: <c>label "text"</c> lines; the first is the reference.</summary>
internal sealed class VaryBlock : Block
{
    private readonly VarySyntax _vary;
    private readonly CaseSyntax _case;

    public VaryBlock(Parser parser, Token<EvalToken> brace, string indent, VarySyntax vary, CaseSyntax @case) : base(parser, brace, indent, vary.Status)
    {
        _vary = vary;
        _case = @case;
        vary.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "vary block";

    protected override IReadOnlyCollection<string> Keywords => System.Array.Empty<string>();

    protected override string ShapeHint => "a vary line is a label and its text, such as: proud \"I wrote this and I love it.\"";

    public override bool Fits(LogicalLine line, Token<EvalToken>[] header) =>
        line.Tokens.Length >= 2 && line.Tokens[0].Kind == EvalToken.Word &&
        (line.Tokens[1].Kind == EvalToken.String || line.Tokens[1].Kind == EvalToken.TextBlock);

    public override void Statement(LogicalLine line)
    {
        var label = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.VaryLabel);
        if (label.HasValue) _vary.Labels.Add(new VaryLabelSyntax(Parser.NameOf(label.Value.Label), Parser.StringOf(label.Value.Text, line)));
        if (!label.Complete) MarkCaseIncomplete();
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        MarkCaseIncomplete();
        return Unexpected(line, brace);
    }

    public override void Close(bool properly)
    {
        if (!properly)
        {
            _case.Status.Unclosed = true;
            return;
        }
        if (_vary.Labels.Count == 0 && !_vary.Status.HasUnknownStatements && CloseBraceRange is { } close)
        {
            Parser.SyntaxError(close, $"This vary block has no labels; add lines such as: neutral \"text\".");
            _vary.Status.HasUnknownStatements = true;
        }
    }

    private void MarkCaseIncomplete()
    {
        _vary.Status.HasUnknownStatements = true;
        _case.Status.HasUnknownStatements = true;
    }
}
