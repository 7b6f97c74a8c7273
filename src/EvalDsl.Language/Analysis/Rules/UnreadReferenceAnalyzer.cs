using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0220: a case's <c>reference</c> goes only to the judge, but every expectation of the case is deterministic
/// (contain, match, choose, any of / all of; answer correctly and hold its answer when the answer is an option letter),
/// so no judge is asked and nobody reads it.
/// </summary>
internal sealed class UnreadReferenceAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnreadReference;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Reference is not { } reference || syntax.ReferenceKeyword is not { } keyword || syntax.Status.MayBeIncomplete) continue;
            if (syntax.Expectations.Count == 0 || syntax.Expectations.Any(e => e.IsMissing || e.HasErrors)) continue;
            if (syntax.Expectations.Any(e => e.Kind is ExpectationKind.Behavior or ExpectationKind.ConsistentAcross or ExpectationKind.MoreUnder)) continue;
            // answer correctly and hold its answer ask the judge unless the answer is one option letter (read without one).
            var letter = syntax.Answer is { } answer && !answer.Placeholders.Any() && Lowering.Lowerer.OptionLetter(answer.Template) is not null;
            if (syntax.Expectations.Any(e => e.Kind == ExpectationKind.HoldsAnswer && !letter)) continue;
            if (syntax.Expectations.Any(e => e.Kind == ExpectationKind.AnswerCorrectly && !letter)) continue;
            context.Report(syntax.Suite.Tree, keyword,
                "This reference is given only to the judge, but no expectation of this case asks the judge (contain, match, choose and any of / all of are checked without one); add a judged expectation or remove the reference.");
        }
    }
}
