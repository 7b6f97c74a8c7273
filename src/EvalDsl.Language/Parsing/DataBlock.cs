using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>An inline table: a header row of names, then rows of strings, cells separated by '|'.</summary>
internal sealed class DataBlock : Block
{
    private readonly DataSyntax _data;

    public DataBlock(Parser parser, Token<EvalToken> brace, string indent, DataSyntax data) : base(parser, brace, indent, data.Status)
    {
        _data = data;
        data.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "data table";

    protected override IReadOnlyCollection<string> Keywords => System.Array.Empty<string>();

    protected override string ShapeHint => _data.Columns is null && !_data.HasRowErrors
        ? "a data table starts with a header row of column names separated by '|'"
        : "a data row is quoted cells separated by '|'";

    public override bool Fits(LogicalLine line, Token<EvalToken>[] header)
    {
        var first = line.Tokens[0].Kind;
        if (first == EvalToken.String || first == EvalToken.Pipe) return true;
        return first == EvalToken.Word && _data.Columns is null && !_data.HasRowErrors &&
               (line.Tokens.Length == 1 || line.Tokens[1].Kind == EvalToken.Pipe);
    }

    public override void Statement(LogicalLine line)
    {
        if (_data.Columns is null && !_data.HasRowErrors)
        {
            var header = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.HeaderRow, "a header row is column names separated by '|'");
            if (header.Complete)
            {
                _data.Columns = new List<NameSyntax>();
                foreach (var n in header.Value) _data.Columns.Add(Parser.NameOf(n));
            }
            else
            {
                _data.HasRowErrors = true;
            }
            return;
        }

        var row = StatementCursor.Statement(Parser, line.Tokens, StatementGrammar.DataRow, "cells are separated by '|'");
        if (row.Complete)
        {
            var values = new List<StringSyntax>(row.Value.Length);
            foreach (var cell in row.Value) values.Add(Parser.StringOf(cell, line));
            var range = TextRange.FromBounds(LineTokenizer.Start(line.Tokens[0]), LineTokenizer.End(line.Tokens[line.Tokens.Length - 1]));
            _data.Rows.Add(new DataRowSyntax(values, range));
        }
        else
        {
            _data.HasRowErrors = true;
        }
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        _data.HasRowErrors = true;
        return Unexpected(line, brace);
    }
}
