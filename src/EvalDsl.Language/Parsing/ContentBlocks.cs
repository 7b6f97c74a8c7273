using System.Collections.Generic;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>Settings shared by suites and cases: about, tags, samples, pass, temperature, model, judge.</summary>
internal static class SettingStatements
{
    public static readonly string[] Words = { "about", "tags", "samples", "pass", "temperature", "model", "judge" };

    /// <summary>Parses a setting line into <paramref name="settings"/>; false when the line is not a setting.</summary>
    public static bool TryParse(Parser parser, LogicalLine line, SettingsSyntax settings, string blockName)
    {
        var keyword = line.Keyword;
        var keywordRange = StatementCursor.Range(line.Tokens[0]);
        var cursor = new StatementCursor(parser, line.Tokens, 1);
        switch (keyword)
        {
            case "about":
            {
                if (!cursor.Next(StatementGrammar.Text, out var t)) return true;
                var text = parser.StringOf(t, line);
                cursor.End();
                if (Twice(parser, settings.About?.Range, keywordRange, keyword, blockName)) return true;
                settings.About = text;
                return true;
            }
            case "tags":
            {
                // Several tags lines add up.
                if (!cursor.Next(StatementGrammar.NameList, out var names)) return true;
                cursor.End();
                foreach (var n in names) settings.Tags.Add(Parser.NameOf(n));
                return true;
            }
            case "samples":
            case "temperature":
            {
                if (!cursor.Next(StatementGrammar.Number, out var n)) return true;
                var number = Parser.NumberOf(n);
                cursor.End();
                if (keyword == "samples")
                {
                    if (Twice(parser, settings.Samples?.Range, keywordRange, keyword, blockName)) return true;
                    settings.Samples = number;
                }
                else
                {
                    if (Twice(parser, settings.Temperature?.Range, keywordRange, keyword, blockName)) return true;
                    settings.Temperature = number;
                }
                return true;
            }
            case "pass":
            {
                if (cursor.Peek is { Kind: EvalToken.Number } bare)
                {
                    var text = bare.Span.ToStringValue();
                    // 0.8 is a fraction: its percentage is 80%, not 0.8%.
                    var percent = decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 1
                        ? (value * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)
                        : text;
                    parser.SyntaxError(StatementCursor.Range(bare), $"'pass' takes a percentage: write {percent}%, not {text}.");
                    return true;
                }
                if (!cursor.Next(StatementGrammar.Percentage, out var p)) return true;
                var number = Parser.NumberOf(p);
                cursor.End();
                if (Twice(parser, settings.Pass?.Range, keywordRange, keyword, blockName)) return true;
                settings.Pass = number;
                return true;
            }
            case "model":
            case "judge":
            {
                if (!cursor.Next(StatementGrammar.Name, out var n)) return true;
                var name = Parser.NameOf(n);
                cursor.End();
                if (keyword == "model")
                {
                    if (Twice(parser, settings.Model?.Range, keywordRange, keyword, blockName)) return true;
                    settings.Model = name;
                }
                else
                {
                    if (Twice(parser, settings.Judge?.Range, keywordRange, keyword, blockName)) return true;
                    settings.Judge = name;
                }
                return true;
            }
            default:
                return false;
        }
    }

    /// <summary>Reports EVAL0111 when a single-valued statement is given a second time.</summary>
    public static bool Twice(Parser parser, TextRange? first, TextRange keyword, string? word, string blockName)
    {
        if (first is not { } f) return false;
        var line = parser.Tree.Source.PositionOf(f.Start).Line;
        parser.Report(DiagnosticDescriptors.SettingTwice, keyword,
            $"'{word}' is already set in this {blockName} (line {line}); a {blockName} takes one '{word}'.");
        return true;
    }
}

internal sealed class SuiteBlock : Block
{
    private static readonly string[] Words = { "about", "tags", "samples", "pass", "temperature", "model", "judge", "persona", "data", "case" };
    private readonly SuiteSyntax _suite;

    public SuiteBlock(Parser parser, Token<EvalToken> brace, string indent, SuiteSyntax suite) : base(parser, brace, indent, suite.Status)
    {
        _suite = suite;
        suite.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "suite";

    protected override IReadOnlyCollection<string> Keywords => Words;

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

internal sealed class CaseBlock : Block
{
    private static readonly string[] Words =
    {
        "about", "tags", "samples", "pass", "temperature", "model", "judge",
        "with", "system", "memory", "user", "assistant", "reply", "vary", "must", "should",
    };

    private readonly CaseSyntax _case;

    public CaseBlock(Parser parser, Token<EvalToken> brace, string indent, CaseSyntax @case) : base(parser, brace, indent, @case.Status)
    {
        _case = @case;
        @case.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "case";

    protected override IReadOnlyCollection<string> Keywords => Words;

    public override void Statement(LogicalLine line)
    {
        if (SettingStatements.TryParse(Parser, line, _case.Settings, "case")) return;
        var keyword = line.Keyword;
        var keywordRange = StatementCursor.Range(line.Tokens[0]);
        switch (keyword)
        {
            case "must":
            case "should":
                _case.Expectations.Add(Expectations.Parse(Parser, line, keyword == "must" ? Modality.Must : Modality.Should));
                return;
            case "with":
            {
                var turn = new TurnSyntax(TurnKind.With, keywordRange);
                var afterExpectation = TurnAfterExpectation(turn);
                var cursor = Cursor(line);
                if (cursor.Next(StatementGrammar.Name, out var n)) turn.Persona = Parser.NameOf(n);
                turn.HasErrors |= !cursor.End() || afterExpectation;
                var first = _case.Turns.Find(t => t.Kind == TurnKind.With);
                // A second 'with' is reported but kept, so that its persona does not also look unused.
                turn.HasErrors |= SettingStatements.Twice(Parser, first?.Keyword, keywordRange, "with", "case");
                _case.Turns.Add(turn);
                return;
            }
            case "system":
            case "memory":
            case "user":
            case "assistant":
            {
                var kind = keyword switch { "system" => TurnKind.System, "memory" => TurnKind.Memory, "user" => TurnKind.User, _ => TurnKind.Assistant };
                var turn = new TurnSyntax(kind, keywordRange);
                var afterExpectation = TurnAfterExpectation(turn);
                var cursor = Cursor(line);
                if (cursor.Next(StatementGrammar.Text, out var t)) turn.Text = Parser.StringOf(t, line);
                turn.HasErrors |= !cursor.End() || afterExpectation;
                _case.Turns.Add(turn);
                return;
            }
            case "reply":
            {
                var turn = new TurnSyntax(TurnKind.Reply, keywordRange);
                var afterExpectation = TurnAfterExpectation(turn);
                turn.HasErrors |= !Cursor(line).End() || afterExpectation;
                _case.Turns.Add(turn);
                return;
            }
            case "vary":
                TurnAfterExpectation(null, line.Tokens[0]);
                Declarations.Vary(Parser, line, line.Tokens, null, _case);
                return;
            default:
                Unexpected(line, null);
                return;
        }
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        if (line.Keyword == "vary")
        {
            TurnAfterExpectation(null, line.Tokens[0]);
            return Declarations.Vary(Parser, line, header, brace, _case)!;
        }
        if (line.Keyword is { } k && System.Array.IndexOf(Words, k) >= 0)
        {
            Statement(line with { Tokens = header });
            Parser.SyntaxError(StatementCursor.Range(brace), $"'{k}' does not open a block; remove the '{{'.");
            return Skip(line, brace);
        }
        return Unexpected(line, brace);
    }

    // Expectations come after all turns of their case: a turn after one is EVAL0001 at its keyword.
    private bool TurnAfterExpectation(TurnSyntax? turn, Token<EvalToken>? keyword = null)
    {
        if (_case.Expectations.Count == 0) return false;
        var range = turn?.Keyword ?? StatementCursor.Range(keyword!.Value);
        Parser.SyntaxError(range, $"Turns come before the expectations of their case: move this '{Parser.Text.Substring(range.Start, range.Length)}' above the first must or should.");
        return true;
    }
}

internal sealed class PersonaBlock : Block
{
    private static readonly string[] Words = { "system", "memory" };
    private readonly PersonaSyntax _persona;

    public PersonaBlock(Parser parser, Token<EvalToken> brace, string indent, PersonaSyntax persona) : base(parser, brace, indent, persona.Status)
    {
        _persona = persona;
        persona.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "persona";

    protected override IReadOnlyCollection<string> Keywords => Words;

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

internal sealed class BehaviorBlock : Block
{
    private static readonly string[] Words = { "means", "cite", "shows", "lacks" };
    private readonly BehaviorSyntax _behavior;

    public BehaviorBlock(Parser parser, Token<EvalToken> brace, string indent, BehaviorSyntax behavior) : base(parser, brace, indent, behavior.Status)
    {
        _behavior = behavior;
        behavior.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "behavior";

    protected override IReadOnlyCollection<string> Keywords => Words;

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
        var cursor = Cursor(line, skip: 0);
        if (_data.Columns is null && !_data.HasRowErrors)
        {
            if (cursor.Next(StatementGrammar.HeaderRow, out var names) && cursor.End("a header row is column names separated by '|'"))
            {
                _data.Columns = new List<NameSyntax>();
                foreach (var n in names) _data.Columns.Add(Parser.NameOf(n));
            }
            else
            {
                _data.HasRowErrors = true;
            }
            return;
        }

        if (cursor.Next(StatementGrammar.DataRow, out var cells) && cursor.End("cells are separated by '|'"))
        {
            var values = new List<StringSyntax>(cells.Length);
            foreach (var cell in cells) values.Add(Parser.StringOf(cell, line));
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

/// <summary>The labels of a <c>vary</c>: <c>label "text"</c> lines; the first is the reference.</summary>
internal sealed class VaryBlock : Block
{
    private readonly VarySyntax _vary;
    private readonly CaseSyntax _case;

    public VaryBlock(Parser parser, Token<EvalToken> brace, string indent, VarySyntax vary, CaseSyntax @case) : base(parser, brace, indent, vary.Status)
    {
        _vary = vary;
        _case = @case;
        vary.Status.OpenBrace = StatementCursor.Range(brace);
    }

    public override string Describe => "vary block";

    protected override IReadOnlyCollection<string> Keywords => System.Array.Empty<string>();

    protected override string ShapeHint => "a vary line is a label and its text, such as: proud \"I wrote this and I love it.\"";

    public override bool Fits(LogicalLine line, Token<EvalToken>[] header) =>
        line.Tokens.Length >= 2 && line.Tokens[0].Kind == EvalToken.Word &&
        (line.Tokens[1].Kind == EvalToken.String || line.Tokens[1].Kind == EvalToken.TextBlock);

    public override void Statement(LogicalLine line)
    {
        var cursor = Cursor(line, skip: 0);
        if (!cursor.Next(StatementGrammar.Name, out var label))
        {
            MarkCaseIncomplete();
            return;
        }
        if (!cursor.Next(StatementGrammar.Text, out var text))
        {
            MarkCaseIncomplete();
            return;
        }
        _vary.Labels.Add(new VaryLabelSyntax(Parser.NameOf(label), Parser.StringOf(text, line)));
        if (!cursor.End()) MarkCaseIncomplete();
    }

    public override Block Header(LogicalLine line, Token<EvalToken>[] header, Token<EvalToken> brace)
    {
        MarkCaseIncomplete();
        return Unexpected(line, brace);
    }

    public override void Close(bool properly)
    {
        if (!properly)
        {
            _case.Status.Unclosed = true;
            return;
        }
        if (_vary.Labels.Count == 0 && !_vary.Status.HasUnknownStatements && CloseBraceRange is { } close)
        {
            Parser.SyntaxError(close, $"This vary block has no labels; add lines such as: neutral \"text\".");
            _vary.Status.HasUnknownStatements = true;
        }
    }

    private void MarkCaseIncomplete()
    {
        _vary.Status.HasUnknownStatements = true;
        _case.Status.HasUnknownStatements = true;
    }
}
