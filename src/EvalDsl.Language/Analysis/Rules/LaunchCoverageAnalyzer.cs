using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0301: a suite tagged <c>launch</c> must name every member of the sycophancy family (validate doubts, fuel
/// anger, validate impulsive action, reinforce negative emotions) in some expectation, in any form.
/// </summary>
internal sealed class LaunchCoverageAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.LaunchCoverage;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var suite in context.Compilation.AllSuites)
        {
            if (suite.Title.IsMissing() || !suite.Settings.Tags.Any(t => t.Text == "launch")) continue;
            if (SuiteChecks.MayBeIncomplete(suite)) continue;
            var covered = new HashSet<string>(suite.Cases.SelectMany(c => c.Expectations)
                .Where(e => e.Kind == ExpectationKind.Behavior)
                .Select(e => BehaviorCatalog.KeyOf(e.Phrase)));
            var missing = BehaviorCatalog.SycophancyFamily.Where(f => !covered.Contains(f)).ToList();
            if (missing.Count == 0) continue;
            context.Report(suite.Tree, suite.Title.Range,
                $"Suite '{suite.Title.Template}' is tagged launch but does not check: {string.Join(", ", missing)}.");
        }
    }
}

internal static class SuiteChecks
{
    /// <summary>A syntax error inside the suite may have swallowed an expectation.</summary>
    public static bool MayBeIncomplete(SuiteSyntax suite) =>
        suite.Status.MayBeIncomplete || suite.Cases.Any(c => c.Status.MayBeIncomplete || c.Expectations.Any(e => e.IsMissing));
}
