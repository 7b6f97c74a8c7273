using EvalDsl.Diagnostics;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0106: a case checks nothing.</summary>
internal sealed class NoExpectationsAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.NoExpectations;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Status.MayBeIncomplete || syntax.Expectations.Count > 0) continue;
            context.Report(syntax.Suite.Tree, syntax.Title.Range,
                $"Case '{syntax.Title.Template}' has no expectations, so it checks nothing; add a must or should line.");
        }
    }
}
