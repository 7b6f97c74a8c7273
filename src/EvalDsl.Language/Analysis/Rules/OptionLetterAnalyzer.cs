using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Lowering;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0120: <c>must choose "…"</c> names something that is not one option letter: a literal such as <c>"Paris"</c>, or a
/// placeholder whose value in some row is not a letter (the first such row is named).
/// </summary>
internal sealed class OptionLetterAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.NotAnOption;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            foreach (var e in bound.Syntax.Expectations)
            {
                if (e.Kind != ExpectationKind.Choose || e.Text is not { HasErrors: false } text) continue;
                if (!text.Placeholders.Any())
                {
                    if (Lowerer.OptionLetter(text.Template) is null)
                    {
                        context.Report(bound.Syntax.Suite.Tree, text.Range,
                            $"choose takes one option letter, such as \"B\" (or \"(B)\", \"B)\", \"B.\"); \"{text.Template}\" is not one. To check for text, write contain \"{text.Template}\".");
                    }
                    continue;
                }
                // Unknown columns are EVAL0104; a row with no value for a nested path is EVAL0113.
                if (bound.Syntax.ForEach is null || bound.Data is not { Columns: { } columns } data) continue;
                if (text.Placeholders.Any(p => !columns.Contains(p.Root))) continue;
                for (var r = 0; r < data.Rows.Count; r++)
                {
                    var values = new Dictionary<string, string>(System.StringComparer.Ordinal);
                    for (var c = 0; c < columns.Count && c < data.Rows[r].Count; c++) values[columns[c]] = data.Rows[r][c];
                    foreach (var p in text.Placeholders)
                    {
                        if (PlaceholderPath.IsNested(p.Name) && DataPaths.Resolve(data, r, p.Name, out _) is { } v) values[p.Name] = v;
                    }
                    if (text.Placeholders.Any(p => !values.ContainsKey(p.Name))) continue;
                    var value = Lowerer.Substitute(text, values);
                    if (Lowerer.OptionLetter(value) is not null) continue;
                    context.Report(bound.Syntax.Suite.Tree, text.Range,
                        $"choose takes one option letter, such as \"B\"; in row {data.RowNumbers[r].ToString(CultureInfo.InvariantCulture)} of '{data.Name}', \"{text.Template}\" is \"{value}\".");
                    break;
                }
            }
        }
    }
}
