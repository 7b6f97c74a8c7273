using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0225: a case's <c>answer</c> is read only by <c>answer correctly</c> and <c>hold its answer</c>, and the case has
/// neither, so the answer changes nothing.
/// </summary>
internal sealed class UnreadAnswerAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnreadAnswer;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Answer is null || syntax.AnswerKeyword is not { } keyword || syntax.Status.MayBeIncomplete) continue;
            // A phrase that names no behaviour may be a misspelt answer correctly (EVAL0101 suggests it).
            if (syntax.Expectations.Any(e => e.IsMissing || e.HasErrors || (e.Kind == ExpectationKind.Behavior && !bound.Behaviors.ContainsKey(e)))) continue;
            if (syntax.Expectations.Any(e => e.Kind is ExpectationKind.AnswerCorrectly or ExpectationKind.HoldsAnswer)) continue;
            context.Report(syntax.Suite.Tree, keyword,
                "This answer is read only by must answer correctly and must hold its answer, and this case has neither; add must answer correctly, or remove the answer.");
        }
    }
}
