using EvalDsl.Diagnostics;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0201: one case expects something and its negation (<c>must X</c> and <c>must not X</c>), so no reply can pass.</summary>
internal sealed class ContradictionAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.Contradiction;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var keyed in ExpectationKeys.Walk(context.Compilation, skipErrors: false))
        {
            if (keyed.Opposite is not { } earlier) continue;
            var expectation = keyed.Expectation;
            context.Report(keyed.Case.Syntax.Suite.Tree, expectation.PhraseRange,
                $"'{ExpectationKeys.Describe(expectation)}' contradicts '{ExpectationKeys.Describe(earlier)}' on line {keyed.LineOf(earlier)}: no reply can pass both.",
                keyed.Case.Syntax.Suite.Tree, earlier.PhraseRange, $"The expectation it contradicts: '{ExpectationKeys.Describe(earlier)}'.");
        }
    }
}
