using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>A behavior's body: means, cite, shows and lacks lines.</summary>
internal sealed class BehaviorBlock : Block
{
    private readonly BehaviorSyntax _behavior;

    public BehaviorBlock(Parser parser, Token<EvalToken> brace, string indent, BehaviorSyntax behavior) : base(parser, brace, indent, behavior.Status)
    {
        _behavior = behavior;
        behavior.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "behavior";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.Behavior;

    public override void Statement(LogicalLine line)
    {
        switch (line.Keyword)
        {
            case "means":
            {
                var first = _behavior.HasMeansStatement;
                var firstRange = _behavior.Means?.Range;
                _behavior.HasMeansStatement = true;
                var text = ReadText(line);
                if (first)
                {
                    SettingStatements.Twice(Parser, firstRange ?? StatementCursor.Range(line.Tokens[0]), StatementCursor.Range(line.Tokens[0]), "means", "behavior");
                    return;
                }
                _behavior.Means = text;
                return;
            }
            case "cite":
                if (ReadText(line) is { } cite) _behavior.Cites.Add(cite);
                return;
            case "shows":
                if (ReadText(line) is { } shows) _behavior.Shows.Add(shows);
                return;
            case "lacks":
                if (ReadText(line) is { } lacks) _behavior.Lacks.Add(lacks);
                return;
            default:
                Unexpected(line, null);
                return;
        }
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace) => Unexpected(line, brace);
}
