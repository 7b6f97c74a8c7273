using System;
using System.Collections.Generic;
using System.Linq;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>The top level of a file: suites, behaviors, personas and data sets.</summary>
internal sealed class FileBlock : Block
{
    public FileBlock(Parser parser) : base(parser, default, "", new BlockStatus()) { }

    public override string Describe => "file";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.File;

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
