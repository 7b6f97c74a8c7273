using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>A persona's body: system and memory lines.</summary>
internal sealed class PersonaBlock : Block
{
    private readonly PersonaSyntax _persona;

    public PersonaBlock(Parser parser, Token<EvalToken> brace, string indent, PersonaSyntax persona) : base(parser, brace, indent, persona.Status)
    {
        _persona = persona;
        persona.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "persona";

    protected override IReadOnlyCollection<string> Keywords => KeywordTable.Persona;

    public override void Statement(LogicalLine line)
    {
        switch (line.Keyword)
        {
            case "system":
                if (ReadText(line) is { } system) _persona.System.Add(system);
                return;
            case "memory":
                if (ReadText(line) is { } memory) _persona.Memory.Add(memory);
                return;
            default:
                Unexpected(line, null);
                return;
        }
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace) => Unexpected(line, brace);
}
