using System.Collections.Generic;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0201: one case expects something and its negation (<c>must X</c> and <c>must not X</c>), so no reply can pass.</summary>
internal sealed class ContradictionAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.Contradiction;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var seen = new Dictionary<(string Key, bool Negated), ExpectationSyntax>();
            foreach (var expectation in bound.Syntax.Expectations)
            {
                if (expectation.IsMissing || Key(expectation) is not { } key) continue;
                if (seen.TryGetValue((key, !expectation.Negated), out var earlier))
                {
                    var line = bound.Syntax.Suite.Tree.Source.PositionOf(earlier.Keyword.Start).Line;
                    context.Report(bound.Syntax.Suite.Tree, expectation.PhraseRange,
                        $"'{Describe(expectation)}' contradicts '{Describe(earlier)}' on line {line}: no reply can pass both.");
                }
                if (!seen.ContainsKey((key, expectation.Negated))) seen[(key, expectation.Negated)] = expectation;
            }
        }
    }

    internal static string? Key(ExpectationSyntax e) => e.Kind switch
    {
        ExpectationKind.Behavior => "b:" + BehaviorCatalog.KeyOf(e.Phrase),
        ExpectationKind.Contain => e.Text is null ? null : "c:" + e.Text.Template.ToLowerInvariant(),
        ExpectationKind.Match => e.Regex is null ? null : "m:" + e.Regex.Flags + "/" + e.Regex.Pattern,
        ExpectationKind.HoldsAnswer => "h",
        ExpectationKind.ConsistentAcross => "v:" + e.VaryName?.Text,
        _ => null,
    };

    internal static string Describe(ExpectationSyntax e) =>
        (e.Modality == Modality.Must ? "must" : "should") + (e.Negated ? " not " : " ") + e.Phrase;
}
