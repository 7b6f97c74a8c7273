using System.Collections.Generic;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0203: the effective judge binding is the model under test. Points at the name after <c>judge</c>, or after <c>model</c> when only <c>model</c> is written.</summary>
internal sealed class SelfGradingAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.SelfGrading;

    public override void Analyze(AnalysisContext context)
    {
        var reported = new HashSet<NameSyntax>();
        // Per case: a suite's setting that every case overrides grades nothing.
        foreach (var bound in context.Compilation.AllCases)
        {
            if (bound.Model != bound.Judge) continue;
            var at = bound.JudgeSyntax ?? bound.ModelSyntax;
            if (at is null || !reported.Add(at)) continue;
            context.Report(bound.Syntax.Suite.Tree, at.Range,
                $"The judge '{bound.Judge}' is the model under test: a model grading its own replies tends to approve of them. Bind the judge to a different model.");
        }
    }
}
