using Superpower;
using Superpower.Model;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>Settings shared by suites and cases: about, tags, samples, pass, temperature, model, judge.</summary>
internal static class SettingStatements
{
    /// <summary>Parses a setting line into <paramref name="settings"/>; false when the line is not a setting.</summary>
    public static bool TryParse(Parser parser, LogicalLine line, SettingsSyntax settings, string blockName)
    {
        var keyword = line.Keyword;
        var keywordRange = StatementCursor.Range(line.Tokens[0]);
        switch (keyword)
        {
            case "about":
            {
                var about = Statement(parser, line, StatementGrammar.TextStatement("about"));
                if (!about.HasValue) return true;
                var text = parser.StringOf(about.Value, line);
                if (Twice(parser, settings.About?.Range, keywordRange, keyword, blockName)) return true;
                settings.About = text;
                return true;
            }
            case "tags":
            {
                // Several tags lines add up.
                var tags = Statement(parser, line, StatementGrammar.Tags);
                if (!tags.HasValue) return true;
                foreach (var item in tags.Value)
                {
                    // The message a failed list gives at that comma; the list goes on after it.
                    if (item.IsEmpty) parser.SyntaxError(StatementCursor.Range(item.Token), $"Unexpected {StatementCursor.Describe(item.Token)}; expected a name.");
                    else settings.Tags.Add(Parser.NameOf(item.Token));
                }
                return true;
            }
            case "samples":
            {
                var samples = Statement(parser, line, StatementGrammar.Samples);
                if (!samples.HasValue) return true;
                if (Twice(parser, settings.Samples?.Range, keywordRange, keyword, blockName)) return true;
                settings.Samples = Parser.NumberOf(samples.Value);
                return true;
            }
            case "temperature":
            {
                var temperature = Statement(parser, line, StatementGrammar.Temperature);
                if (!temperature.HasValue) return true;
                if (Twice(parser, settings.Temperature?.Range, keywordRange, keyword, blockName)) return true;
                settings.Temperature = Parser.NumberOf(temperature.Value);
                return true;
            }
            case "pass":
            {
                // Not StatementCursor.Statement: a bare number is reported alone, without the tokens after it.
                var cursor = new StatementCursor(parser, line.Tokens, 0);
                if (!cursor.Next(StatementGrammar.Pass, out var pass)) return true;
                if (pass.IsBare)
                {
                    var text = pass.Token.Span.ToStringValue();
                    // 0.8 is a fraction: its percentage is 80%, not 0.8%.
                    var percent = decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0 && value <= 1
                        ? (value * 100).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)
                        : text;
                    parser.SyntaxError(StatementCursor.Range(pass.Token), $"'pass' takes a percentage: write {percent}%, not {text}.");
                    return true;
                }
                // pass P% of rows: the share of a for each case's rows, a setting of its own beside pass P%.
                var ofRows = cursor.Peek is { Kind: EvalToken.Word } next && next.Span.ToStringValue() == "of";
                if (ofRows && !cursor.Next(StatementGrammar.OfRows, out _)) return true;
                cursor.End();
                if (ofRows)
                {
                    if (Twice(parser, settings.RowsPass?.Range, keywordRange, "pass … of rows", blockName)) return true;
                    settings.RowsPass = Parser.NumberOf(pass.Token);
                    return true;
                }
                if (Twice(parser, settings.Pass?.Range, keywordRange, keyword, blockName)) return true;
                settings.Pass = Parser.NumberOf(pass.Token);
                return true;
            }
            case "model":
            {
                var model = Statement(parser, line, StatementGrammar.Model);
                if (!model.HasValue) return true;
                if (Twice(parser, settings.Model?.Range, keywordRange, keyword, blockName)) return true;
                settings.Model = Parser.NameOf(model.Value);
                return true;
            }
            case "judge":
            {
                var judge = Statement(parser, line, StatementGrammar.Judge);
                if (!judge.HasValue) return true;
                if (Twice(parser, settings.Judge?.Range, keywordRange, keyword, blockName)) return true;
                settings.Judge = Parser.NameOf(judge.Value[0]);
                settings.Jury.Clear();
                foreach (var name in judge.Value) settings.Jury.Add(Parser.NameOf(name));
                return true;
            }
            default:
                return false;
        }
    }

    private static Parsed<T> Statement<T>(Parser parser, LogicalLine line, TokenListParser<EvalToken, T> statement) =>
        StatementCursor.Statement(parser, line.Tokens, statement);

    /// <summary>Reports EVAL0111 when a single-valued statement is given a second time.</summary>
    public static bool Twice(Parser parser, TextRange? first, TextRange keyword, string? word, string blockName)
    {
        if (first is not { } f) return false;
        var line = parser.Tree.Source.PositionOf(f.Start).Line;
        parser.Report(DiagnosticDescriptors.SettingTwice, keyword,
            $"'{word}' is already set in this {blockName} (line {line}); a {blockName} takes one '{word}'.",
            f, $"The first '{word}' of this {blockName}.");
        return true;
    }
}
