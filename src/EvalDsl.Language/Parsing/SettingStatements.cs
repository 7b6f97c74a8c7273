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
