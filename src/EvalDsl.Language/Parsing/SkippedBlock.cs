using System;
using System.Collections.Generic;
using System.Linq;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

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
