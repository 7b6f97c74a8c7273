using EvalDsl.Diagnostics;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0206: one case states the same expectation twice (same check, same <c>not</c>; <c>must</c> or <c>should</c>),
/// at the later one. It is judged and reported twice, and a copy that was meant to be edited often was not.
/// </summary>
internal sealed class RepeatedExpectationAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.RepeatedExpectation;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var keyed in ExpectationKeys.Walk(context.Compilation, skipErrors: true))
        {
            if (keyed.Same is not { } earlier) continue;
            var expectation = keyed.Expectation;
            context.Report(keyed.Case.Syntax.Suite.Tree, expectation.PhraseRange,
                $"'{ExpectationKeys.Describe(expectation)}' repeats '{ExpectationKeys.Describe(earlier)}' on line {keyed.LineOf(earlier)}; remove one of them.",
                keyed.Case.Syntax.Suite.Tree, earlier.PhraseRange, $"The expectation it repeats: '{ExpectationKeys.Describe(earlier)}'.");
        }
    }
}
