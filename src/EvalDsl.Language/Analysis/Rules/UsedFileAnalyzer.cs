using EvalDsl.Diagnostics;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0114: a <c>use</c> names a file that is missing, unreadable, not allowed or not a spec (at the path string).</summary>
internal sealed class UsedFileAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UsedFileProblem;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var problem in context.Compilation.UseProblems)
        {
            if (!problem.IsCycle) context.Report(problem.Tree, problem.Use.Path.Range, problem.Message);
        }
    }
}
