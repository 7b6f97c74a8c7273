using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>The <c>judge a, b, c</c> lines of every suite and case, with the tree each stands in.</summary>
internal static class JuryLines
{
    public static IEnumerable<(SyntaxTree Tree, List<NameSyntax> Jury)> All(AnalysisContext context)
    {
        foreach (var suite in context.Compilation.AllSuites)
        {
            if (suite.Settings.Jury.Count > 1) yield return (suite.Tree, suite.Settings.Jury);
            foreach (var @case in suite.Cases)
            {
                if (@case.Settings.Jury.Count > 1) yield return (suite.Tree, @case.Settings.Jury);
            }
        }
    }
}

/// <summary>EVAL0140: a jury names one binding twice; reported at the second name (each repeat once).</summary>
internal sealed class JurorTwiceAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.JurorTwice;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var (tree, jury) in JuryLines.All(context))
        {
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var name in jury)
            {
                if (name.IsMissing() || seen.Add(name.Text)) continue;
                context.Report(tree, name.Range,
                    $"'{name.Text}' is already a judge of this jury; a jury takes each judge once (a judge named twice would vote twice). Remove it, or name another judge.");
            }
        }
    }
}

/// <summary>EVAL0240: a jury of two distinct judges, which ties whenever they disagree; reported from the first name to the last.</summary>
internal sealed class JuryOfTwoAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.JuryOfTwo;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var (tree, jury) in JuryLines.All(context))
        {
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var name in jury) if (!name.IsMissing()) names.Add(name.Text);
            // A jury that names a judge twice is EVAL0140 already.
            if (names.Count != 2 || jury.Count != 2) continue;
            context.Report(tree, jury[0].Range.Union(jury[jury.Count - 1].Range),
                "A jury of two judges ties whenever they disagree, and a tie decides nothing: the question is undecided, never a pass. Add a third judge (an odd jury cannot tie), or name one judge.");
        }
    }
}
