using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0105: a case never says anything to the model.</summary>
internal sealed class NoUserTurnAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.NoUserTurn;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Status.MayBeIncomplete || RepeatSyntax.Expand(syntax.Turns, once: true).Any(t => t.Kind == TurnKind.User)) continue;
            context.Report(syntax.Suite.Tree, syntax.Title.Range,
                $"Case '{syntax.Title.Template}' has no user turn, so the model is never asked anything; add a line such as user \"…\".");
        }
    }
}
