using System;
using System.Collections.Generic;
using System.Linq;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>An open block while parsing: it takes the statements and headers of the lines inside it.</summary>
internal abstract class Block
{
    protected Block(Parser parser, Token<EvalToken> brace, string indent, BlockStatus status)
    {
        Parser = parser;
        Brace = brace;
        Indent = indent;
        Status = status;
    }

    protected Parser Parser { get; }

    public Token<EvalToken> Brace { get; }

    public string Indent { get; }

    public BlockStatus Status { get; }

    public TextRange? CloseBraceRange { get; set; }

    /// <summary>"suite", "case", … for messages.</summary>
    public abstract string Describe { get; }

    /// <summary>The first words of the lines this block takes.</summary>
    protected abstract IReadOnlyCollection<string> Keywords { get; }

    /// <summary>Could this line stand in this block? Used to find where a '}' is missing.</summary>
    public virtual bool Fits(LogicalLine line, Token<EvalToken>[] header) => line.Keyword is { } k && Keywords.Contains(k);

    public abstract void Statement(LogicalLine line);

    public abstract Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace);

    public virtual void Close(bool properly) { }

    public void MarkUnknown()
    {
        Status.HasUnknownStatements = true;
        Parser.Tree.HasUnknownStatements = true;
        Parser.Tree.UnknownStatements++;
    }

    /// <summary>Reports a line this block does not take; returns a block that skips the body, if it opened one.</summary>
    protected Block Unexpected(LogicalLine line, Token<EvalToken>? brace)
    {
        MarkUnknown();
        var first = line.Tokens[0];
        Parser.SyntaxError(StatementCursor.Range(first), Keywords.Count == 0
            ? $"Unexpected {StatementCursor.Describe(first)}; {ShapeHint}."
            : Placement.Explain(first, Describe, Keywords));
        return Skip(line, brace);
    }

    /// <summary>What a line inside a block without keywords (data, vary) looks like.</summary>
    protected virtual string ShapeHint => "expected a statement";

    protected Block Skip(LogicalLine line, Token<EvalToken>? brace) =>
        new SkippedBlock(Parser, brace ?? line.Tokens[0], line.Indent);

    /// <summary>Reads <c>keyword TEXT</c> (<see cref="StatementGrammar.TextStatement"/>); null when the text did not parse.</summary>
    protected StringSyntax? ReadText(LogicalLine line)
    {
        var text = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.TextStatement(line.Keyword!));
        return text.HasValue ? Parser.StringOf(text.Value, line) : null;
    }
}
