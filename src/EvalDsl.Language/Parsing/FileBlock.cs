using System;
using System.Collections.Generic;
using System.Linq;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>The top level of a file: <c>use</c> lines, then suites, behaviors, personas and data sets.</summary>
internal sealed class FileBlock : Block
{
    private bool _declared;

    public FileBlock(Parser parser) : base(parser, default, "", new BlockStatus()) { }

    public override string Describe => "file";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.File;

    public override void Statement(LogicalLine line) => Dispatch(line, line.Tokens, null);

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace) =>
        Dispatch(line, header, brace) ?? Skip(line, brace);

    private Block? Dispatch(LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace)
    {
        var tree = Parser.Tree;
        if (line.Keyword == "use") return Use(line, tokens, brace);
        if (line.Keyword is "suite" or "behavior" or "persona" or "data") _declared = true;
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

    // Misplaced (after a declaration) is reported and the line still takes effect: the names it brings into scope
    // do not cascade into unknown-name errors.
    private Block? Use(LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace)
    {
        var keyword = StatementCursor.Range(tokens[0]);
        if (_declared)
        {
            Parser.SyntaxError(keyword, "'use' stands at the top of the file, before any declaration: move this line above the first suite, behavior, persona or data.");
        }
        var cursor = new StatementCursor(Parser, tokens, 0, brace);
        if (cursor.Next(StatementGrammar.Use, out var path))
        {
            Parser.Tree.Uses.Add(new UseSyntax(keyword, Parser.StringOf(path, line), _declared));
            if (cursor.End() && brace is { } extra)
            {
                Parser.SyntaxError(StatementCursor.Range(extra), "A use line has no block; remove the '{'.");
            }
        }
        return brace is { } b ? Skip(line, b) : null;
    }
}
