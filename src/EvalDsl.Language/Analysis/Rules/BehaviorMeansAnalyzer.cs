using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0110: a behavior declaration without <c>means</c> cannot be judged.</summary>
internal sealed class BehaviorMeansAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.BehaviorWithoutMeans;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var behavior in context.Compilation.Trees.SelectMany(t => t.Behaviors))
        {
            if (behavior.HasMeansStatement || behavior.Phrase.IsMissing() || behavior.Status.MayBeIncomplete) continue;
            context.Report(behavior.Tree, behavior.Phrase.Range,
                $"Behavior '{behavior.Phrase.Template}' does not say what it means; add a line such as means \"…\" so the judge knows what to look for.");
        }
    }
}
