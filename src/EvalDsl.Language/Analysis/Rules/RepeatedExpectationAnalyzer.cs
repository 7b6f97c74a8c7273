using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

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
        foreach (var bound in context.Compilation.AllCases)
        {
            var seen = new Dictionary<(string Key, bool Negated), ExpectationSyntax>();
            foreach (var expectation in bound.Syntax.Expectations)
            {
                if (expectation.IsMissing || expectation.HasErrors || ContradictionAnalyzer.Key(expectation) is not { } key) continue;
                if (seen.TryGetValue((key, expectation.Negated), out var earlier))
                {
                    var line = bound.Syntax.Suite.Tree.Source.PositionOf(earlier.Keyword.Start).Line;
                    context.Report(bound.Syntax.Suite.Tree, expectation.PhraseRange,
                        $"'{ContradictionAnalyzer.Describe(expectation)}' repeats '{ContradictionAnalyzer.Describe(earlier)}' on line {line}; remove one of them.");
                    continue;
                }
                seen[(key, expectation.Negated)] = expectation;
            }
        }
    }
}
