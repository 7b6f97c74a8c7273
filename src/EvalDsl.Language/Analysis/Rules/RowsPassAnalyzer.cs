using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0116: <c>pass N% of rows</c> where there are no rows to count: on a case without <c>for each</c>, or on a suite
/// none of whose cases has a <c>for each</c>. Reported at the percentage. (A suite's setting applies only to its
/// <c>for each</c> cases; its other cases keep the per-case verdict.)
/// </summary>
internal sealed class RowsPassAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.RowsPassWithoutRows;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var suite in context.Compilation.AllSuites)
        {
            if (suite.Settings.RowsPass is { } suitePass && !suite.Cases.Any(c => c.ForEach is not null))
            {
                context.Report(suite.Tree, suitePass.Range,
                    $"pass {suitePass.Text} of rows counts the data rows of for each cases, but no case of suite '{suite.Title.Template}' has a for each; write pass {suitePass.Text} to count samples.");
            }
            foreach (var @case in suite.Cases)
            {
                if (@case.Settings.RowsPass is { } casePass && @case.ForEach is null)
                {
                    context.Report(suite.Tree, casePass.Range,
                        $"pass {casePass.Text} of rows counts data rows, but case '{@case.Title.Template}' has no for each; add 'for each DATA' to its title line, or write pass {casePass.Text} to count samples.");
                }
            }
        }
    }
}
