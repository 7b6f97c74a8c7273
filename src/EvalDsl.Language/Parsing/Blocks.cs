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

    protected StatementCursor Cursor(LogicalLine line, int skip = 1) => new(Parser, line.Tokens, skip);

    protected StatementCursor Cursor(Token<EvalToken>[] tokens, int skip = 1) => new(Parser, tokens, skip);

    /// <summary>Reads <c>keyword TEXT</c>; null when the text did not parse.</summary>
    protected StringSyntax? ReadText(LogicalLine line)
    {
        var cursor = Cursor(line);
        if (!cursor.Next(StatementGrammar.Text, out var token)) return null;
        var text = Parser.StringOf(token, line);
        cursor.End();
        return text;
    }

    /// <summary>Reads the end of a header line: when the line itself holds no separate '{', one is required.</summary>
    protected static bool EndHeader(StatementCursor cursor, bool braceSeparate)
    {
        if (!braceSeparate && !cursor.Next(StatementGrammar.OpenBrace, out _)) return false;
        return cursor.End(braceSeparate ? null : "a block's body starts on the next line");
    }
}

/// <summary>Where keywords may stand, for messages about misplaced lines.</summary>
internal static class Placement
{
    private static readonly Dictionary<string, string> Where = new()
    {
        ["suite"] = "stands at the top level of a file",
        ["behavior"] = "stands at the top level of a file",
        ["case"] = "belongs inside a suite",
        ["persona"] = "is declared at the top level or inside a suite",
        ["data"] = "is declared at the top level or inside a suite",
        ["about"] = "belongs in a suite or a case",
        ["tags"] = "belongs in a suite or a case",
        ["samples"] = "belongs in a suite or a case",
        ["pass"] = "belongs in a suite or a case",
        ["temperature"] = "belongs in a suite or a case",
        ["model"] = "belongs in a suite or a case",
        ["judge"] = "belongs in a suite or a case",
        ["with"] = "belongs inside a case",
        ["user"] = "belongs inside a case",
        ["assistant"] = "belongs inside a case",
        ["reply"] = "belongs inside a case",
        ["vary"] = "belongs inside a case",
        ["must"] = "belongs inside a case",
        ["should"] = "belongs inside a case",
        ["system"] = "belongs in a persona or a case",
        ["memory"] = "belongs in a persona or a case",
        ["means"] = "belongs inside a behavior block",
        ["cite"] = "belongs inside a behavior block",
        ["shows"] = "belongs inside a behavior block",
        ["lacks"] = "belongs inside a behavior block",
    };

    public static string Explain(Token<EvalToken> first, string blockName, IReadOnlyCollection<string> keywords)
    {
        var expected = StatementCursor.Join(keywords.Select(k => "'" + k + "'").ToArray());
        if (first.Kind != EvalToken.Word)
        {
            return $"Unexpected {StatementCursor.Describe(first)}; in a {blockName} a line starts with {expected}.";
        }
        var word = first.Span.ToStringValue();
        if (Where.TryGetValue(word, out var where))
        {
            return $"'{word}' cannot stand in a {blockName}: it {where}.";
        }
        var lower = word.ToLowerInvariant();
        if (lower != word && Where.ContainsKey(lower))
        {
            return $"Keywords are lower case: write '{lower}', not '{word}'.";
        }
        var suggestion = NameSuggester.Suggest(word, keywords, ignoreCase: true);
        return $"Unexpected {StatementCursor.Describe(first)}; in a {blockName} a line starts with {expected}." +
               (suggestion is null ? "" : $" Did you mean '{suggestion}'?");
    }
}

/// <summary>The body of a block that is already reported as wrong: skipped, only braces are tracked.</summary>
internal sealed class SkippedBlock : Block
{
    public SkippedBlock(Parser parser, Token<EvalToken> brace, string indent) : base(parser, brace, indent, new BlockStatus()) { }

    public override string Describe => "block";

    protected override IReadOnlyCollection<string> Keywords => Array.Empty<string>();

    public override bool Fits(LogicalLine line, Token<EvalToken>[] header) => false;

    public override void Statement(LogicalLine line) { }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace) =>
        new SkippedBlock(Parser, brace, line.Indent);
}

/// <summary>The top level of a file: suites, behaviors, personas and data sets.</summary>
internal sealed class FileBlock : Block
{
    private static readonly string[] Words = { "suite", "behavior", "persona", "data" };

    public FileBlock(Parser parser) : base(parser, default, "", new BlockStatus()) { }

    public override string Describe => "file";

    protected override IReadOnlyCollection<string> Keywords => Words;

    public override void Statement(LogicalLine line) => Dispatch(line, line.Tokens, null);

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace) =>
        Dispatch(line, header, brace) ?? Skip(line, brace);

    private Block? Dispatch(LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace)
    {
        var tree = Parser.Tree;
        switch (line.Keyword)
        {
            case "suite":
                return Declarations.Suite(Parser, line, tokens, brace);
            case "behavior":
                return Declarations.Behavior(Parser, line, tokens, brace);
            case "persona":
                return Declarations.Persona(Parser, line, tokens, brace, tree.Personas);
            case "data":
                return Declarations.Data(Parser, line, tokens, brace, tree.DataSets);
            default:
                return Unexpected(line, brace);
        }
    }
}
