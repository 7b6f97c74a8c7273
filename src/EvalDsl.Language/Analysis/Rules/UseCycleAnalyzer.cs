using EvalDsl.Diagnostics;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0115: a <c>use</c> leads back to its own file (at the path string of the use that closes the cycle, naming the chain).</summary>
internal sealed class UseCycleAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UseCycle;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var problem in context.Compilation.UseProblems)
        {
            if (problem.IsCycle) context.Report(problem.Tree, problem.Use.Path.Range, problem.Message);
        }
    }
}
