using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>A suite's body: settings, personas, data sets and cases.</summary>
internal sealed class SuiteBlock : Block
{
    private readonly SuiteSyntax _suite;

    public SuiteBlock(Parser parser, Token<EvalToken> brace, string indent, SuiteSyntax suite) : base(parser, brace, indent, suite.Status)
    {
        _suite = suite;
        suite.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "suite";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.Suite;

    public override void Statement(LogicalLine line)
    {
        if (SettingStatements.TryParse(Parser, line, _suite.Settings, "suite")) return;
        switch (line.Keyword)
        {
            case "persona": Declarations.Persona(Parser, line, line.Tokens, null, _suite.Personas); break;
            case "data": Declarations.Data(Parser, line, line.Tokens, null, _suite.DataSets); break;
            case "case": Declarations.Case(Parser, line, line.Tokens, null, _suite); break;
            default: Unexpected(line, null); break;
        }
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace) => line.Keyword switch
    {
        "persona" => Declarations.Persona(Parser, line, header, brace, _suite.Personas)!,
        "data" => Declarations.Data(Parser, line, header, brace, _suite.DataSets)!,
        "case" => Declarations.Case(Parser, line, header, brace, _suite)!,
        _ => Unexpected(line, brace),
    };
}
