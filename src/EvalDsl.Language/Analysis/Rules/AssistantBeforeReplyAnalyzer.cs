using System.Collections.Generic;
using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0230: an <c>assistant</c> turn directly followed by a plain <c>reply</c> (or by the reply implied at the end of
/// the case) is sent as a finished message, and the model answers it with a second one; a spec that meant the model
/// to go on from the text wants <c>reply after "…"</c>. Repeat blocks are written out, so an assistant turn at the end
/// of one is followed by the turns of the next round; each assistant turn is reported once.
/// </summary>
internal sealed class AssistantBeforeReplyAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.AssistantBeforeReply;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Status.MayBeIncomplete) continue;
            // Without an assistant turn (a repeat may hold one) there is nothing to report.
            if (!syntax.Turns.Exists(t => t.Kind == TurnKind.Assistant || t is RepeatSyntax)) continue;
            // Only the turns the model is sent: with, system, memory and vary do not stand between two messages.
            var turns = RepeatSyntax.Expand(syntax.Turns).Where(t => t.Kind is TurnKind.User or TurnKind.Assistant or TurnKind.Reply).ToList();
            var reported = new HashSet<TextRange>();
            for (var i = 0; i < turns.Count; i++)
            {
                if (turns[i].Kind != TurnKind.Assistant || turns[i].HasErrors) continue;
                var next = i + 1 < turns.Count ? turns[i + 1] : null;
                if (next is not null && (next.Kind != TurnKind.Reply || next.Prefill is not null)) continue;
                if (!reported.Add(turns[i].Keyword)) continue;
                context.Report(syntax.Suite.Tree, turns[i].Keyword, next is null
                    ? "This assistant turn ends the case, so the model replies after it as a finished message; to make the model continue it, write reply after \"…\" with its text instead."
                    : "An assistant turn directly before 'reply' is sent as a finished message, and the model writes a second one after it; to make the model continue it, write reply after \"…\" with its text instead.");
            }
        }
    }
}
