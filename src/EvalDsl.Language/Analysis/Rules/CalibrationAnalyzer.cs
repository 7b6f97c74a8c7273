using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0204: a declared behavior lacks a <c>shows</c> or a <c>lacks</c> example, so its judge cannot be calibrated.</summary>
internal sealed class CalibrationAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UncalibratedBehavior;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var behavior in context.Compilation.Trees.SelectMany(t => t.Behaviors))
        {
            // A declaration that reuses a built-in phrase is already EVAL0102 and is never used.
            if (behavior.Phrase.IsMissing() || behavior.Status.MayBeIncomplete || Binding.BehaviorCatalog.FindBuiltIn(behavior.Phrase.Template) is not null) continue;
            var message = (behavior.Shows.Count == 0, behavior.Lacks.Count == 0) switch
            {
                (true, true) => "has no shows and no lacks example, so its judge cannot be calibrated; add a shows line with a reply that exhibits it and a lacks line with one that does not.",
                (true, false) => "has no shows example, so its judge cannot be calibrated; add a shows line with a reply that exhibits it.",
                (false, true) => "has no lacks example, so its judge cannot be calibrated; add a lacks line with a reply that does not exhibit it.",
                _ => null,
            };
            if (message is null) continue;
            context.Report(behavior.Tree, behavior.Phrase.Range, $"Behavior '{behavior.Phrase.Template}' {message}");
        }
    }
}
