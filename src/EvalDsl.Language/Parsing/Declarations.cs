using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>Headers of declarations. Each returns the block to push, or null when the line opened none.</summary>
internal static class Declarations
{
    public static Block? Suite(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace)
    {
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        var title = cursor.Next(StatementGrammar.SuiteHeader, out var t) ? parser.StringOf(t, line) : null;
        var headerOk = EndHeader(cursor, brace);
        var suite = new SuiteSyntax(parser.Tree, StatementCursor.Range(tokens[0]), title ?? MissingSyntax.String(StatementCursor.Range(tokens[0])));
        suite.Status.HeaderHasErrors = !headerOk;
        parser.Tree.Suites.Add(suite);
        return brace is { } b ? new SuiteBlock(parser, b, line.Indent, suite) : null;
    }

    public static Block? Behavior(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace)
    {
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        var phrase = cursor.Next(StatementGrammar.BehaviorHeader, out var t) ? parser.StringOf(t, line) : null;
        var headerOk = EndHeader(cursor, brace);
        var behavior = new BehaviorSyntax(parser.Tree, StatementCursor.Range(tokens[0]), phrase ?? MissingSyntax.String(StatementCursor.Range(tokens[0])));
        behavior.Status.HeaderHasErrors = !headerOk;
        parser.Tree.Behaviors.Add(behavior);
        return brace is { } b ? new BehaviorBlock(parser, b, line.Indent, behavior) : null;
    }

    public static Block? Persona(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace, List<PersonaSyntax> into)
    {
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        var name = cursor.Next(StatementGrammar.PersonaHeader, out var n) ? Parser.NameOf(n) : null;
        var headerOk = EndHeader(cursor, brace);
        var persona = new PersonaSyntax(parser.Tree, StatementCursor.Range(tokens[0]), name ?? MissingSyntax.Name(StatementCursor.Range(tokens[0])));
        persona.Status.HeaderHasErrors = !headerOk;
        into.Add(persona);
        return brace is { } b ? new PersonaBlock(parser, b, line.Indent, persona) : null;
    }

    public static Block? Data(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace, List<DataSyntax> into)
    {
        // Hand code after the name: the name is kept while 'from "file"' or the '{' fails, and a file's data set
        // takes no block, which is not a parse failure but its own message.
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        var name = cursor.Next(StatementGrammar.DataHeader, out var n) ? Parser.NameOf(n) : null;
        var data = new DataSyntax(parser.Tree, StatementCursor.Range(tokens[0]), name ?? MissingSyntax.Name(StatementCursor.Range(tokens[0])));
        into.Add(data);
        if (cursor.Optional(StatementGrammar.From, out _))
        {
            data.FromPath = cursor.Next(StatementGrammar.Text, out var p) ? parser.StringOf(p, line) : null;
            if (data.FromPath is not null && cursor.Optional(StatementGrammar.Where, out _))
            {
                do
                {
                    if (!cursor.Next(StatementGrammar.RowCondition, out var condition)) break;
                    var value = parser.StringOf(condition.Value, line);
                    var range = TextRange.FromBounds(StatementCursor.Range(condition.Column).Start, value.Range.End);
                    data.Filters.Add(new RowFilterSyntax(Parser.NameOf(condition.Column), condition.Negated, value, range));
                }
                while (cursor.Optional(StatementGrammar.And, out _));
                data.FilterHasErrors = cursor.Failed;
            }
            var ok = cursor.End(data.FromPath is null ? null
                : data.Filters.Count > 0 ? "join conditions with 'and'"
                : "a row filter is 'where COLUMN is \"value\"'");
            if (!ok) data.FilterHasErrors |= data.Filters.Count > 0;
            if (ok && brace is { } extra)
            {
                parser.SyntaxError(StatementCursor.Range(extra), "A data set read from a file has no block; remove the '{'.");
                ok = false;
            }
            data.Status.HeaderHasErrors = !ok || data.FromPath is null;
            return brace is { } skipped ? new SkippedBlock(parser, skipped, line.Indent) : null;
        }

        if (brace is null && !cursor.Failed && cursor.AtEnd)
        {
            var last = LineTokenizer.End(tokens[tokens.Length - 1]);
            parser.SyntaxError(new TextRange(last, 0), "The line ends too early; expected 'from \"file\"' or '{' at the end of the line.");
            data.Status.HeaderHasErrors = true;
            return null;
        }
        var headerOk = EndHeader(cursor, brace);
        data.Status.HeaderHasErrors = !headerOk;
        return brace is { } b ? new DataBlock(parser, b, line.Indent, data) : null;
    }

    public static Block? Case(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace, SuiteSyntax suite)
    {
        // Hand code after the title: the title is kept while 'for each NAME' fails, and 'for each' without a name
        // still marks the case as one per row (a missing name), so that it is not also checked as a plain case.
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        var title = cursor.Next(StatementGrammar.CaseHeader, out var t) ? parser.StringOf(t, line) : null;
        var @case = new CaseSyntax(suite, StatementCursor.Range(tokens[0]), title ?? MissingSyntax.String(StatementCursor.Range(tokens[0])));
        if (cursor.Peek is { Kind: EvalToken.Word } word && word.Span.EqualsValue("for") && cursor.Next(StatementGrammar.ForEach, out _))
        {
            if (cursor.Next(StatementGrammar.Name, out var d)) @case.ForEach = Parser.NameOf(d);
            else @case.ForEach = MissingSyntax.Name(StatementCursor.Range(tokens[0]));
        }
        @case.Status.HeaderHasErrors = !EndHeader(cursor, brace);
        suite.Cases.Add(@case);
        return brace is { } b ? new CaseBlock(parser, b, line.Indent, @case) : null;
    }

    public static Block? Vary(Parser parser, LogicalLine line, Token<EvalToken>[] tokens, Token<EvalToken>? brace, CaseSyntax @case)
    {
        var cursor = new StatementCursor(parser, tokens, 0, brace);
        NameSyntax? name = cursor.Next(StatementGrammar.VaryHeader, out var n) ? Parser.NameOf(n) : null;
        var headerOk = EndHeader(cursor, brace);
        var vary = new VarySyntax(StatementCursor.Range(tokens[0]), name ?? MissingSyntax.Name(StatementCursor.Range(tokens[0])));
        vary.Status.HeaderHasErrors = !headerOk;
        if (name is null) @case.HasBrokenVary = true;
        @case.Turns.Add(vary);
        return brace is { } b ? new VaryBlock(parser, b, line.Indent, vary, @case) : null;
    }

    private static bool EndHeader(StatementCursor cursor, Token<EvalToken>? brace)
    {
        if (brace is null && !cursor.Next(StatementGrammar.OpenBrace, out _)) return false;
        return cursor.End(brace is null ? "a block's body starts on the next line" : null);
    }
}
