using System.Collections.Generic;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0203: the effective judge binding (or a member of the jury) is the model under test. Points at the name after <c>judge</c>, or after <c>model</c> when only <c>model</c> is written.</summary>
internal sealed class SelfGradingAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.SelfGrading;

    public override void Analyze(AnalysisContext context)
    {
        var reported = new HashSet<NameSyntax>();
        // Per case: a suite's setting that every case overrides grades nothing.
        foreach (var bound in context.Compilation.AllCases)
        {
            // A jury: each member that is the model under test, at its own name.
            if (bound.Jury.Count > 1)
            {
                foreach (var member in bound.Jury)
                {
                    if (member.Text != bound.Model || !reported.Add(member)) continue;
                    context.Report(bound.Syntax.Suite.Tree, member.Range,
                        $"The judge '{member.Text}' of this jury is the model under test: a model grading its own replies tends to approve of them, and its vote counts in the majority. Bind it to a different model.");
                }
                continue;
            }
            if (bound.Model != bound.Judge) continue;
            var at = bound.JudgeSyntax ?? bound.ModelSyntax;
            if (at is null || !reported.Add(at)) continue;
            context.Report(bound.Syntax.Suite.Tree, at.Range,
                $"The judge '{bound.Judge}' is the model under test: a model grading its own replies tends to approve of them. Bind the judge to a different model.");
        }
    }
}
