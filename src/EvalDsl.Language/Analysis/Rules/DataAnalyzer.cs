using System.Collections.Generic;
using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0109: an inline row with the wrong number of cells (at its first cell), a repeated or empty header, a table
/// without rows, a data file that is missing, unreadable or malformed (at the path string), or a <c>where</c> condition
/// that names no column of its file (at the column) or keeps no row (at its value).
/// </summary>
internal sealed class DataAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.DataProblem;

    public override void Analyze(AnalysisContext context)
    {
        var compilation = context.Compilation;
        foreach (var (data, range, message) in compilation.FilterProblems) context.Report(data.Tree, range, message);
        var all = compilation.Trees.SelectMany(t => t.DataSets.Concat(t.Suites.SelectMany(s => s.DataSets)));
        foreach (var data in all)
        {
            if (data.FromPath is { } path)
            {
                if (compilation.DataProblems.TryGetValue(data, out var problem)) context.Report(data.Tree, path.Range, problem);
                continue;
            }
            if (data.Name.IsMissing() || data.Status.HeaderHasErrors) continue;

            if (data.Columns is { } columns)
            {
                var seen = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var column in columns)
                {
                    if (!seen.Add(column.Text))
                    {
                        context.Report(data.Tree, column.Range, $"Column '{column.Text}' appears twice in the header of '{data.Name.Text}'.");
                    }
                }
                foreach (var row in data.Rows)
                {
                    if (row.Cells.Count == columns.Count) continue;
                    context.Report(data.Tree, row.Cells[0].Range,
                        $"This row has {row.Cells.Count} cell{(row.Cells.Count == 1 ? "" : "s")} but '{data.Name.Text}' has {columns.Count} column{(columns.Count == 1 ? "" : "s")}; write \"\" for an empty cell.");
                }
                if (data.Rows.Count == 0 && !data.HasRowErrors && !data.Status.MayBeIncomplete)
                {
                    context.Report(data.Tree, data.Name.Range, $"Data set '{data.Name.Text}' has a header but no rows, so a for each over it runs no test.");
                }
            }
            else if (!data.HasRowErrors && !data.Status.MayBeIncomplete)
            {
                context.Report(data.Tree, data.Name.Range, $"Data set '{data.Name.Text}' is empty; write a header row of column names, then rows of quoted cells.");
            }
        }
    }
}
