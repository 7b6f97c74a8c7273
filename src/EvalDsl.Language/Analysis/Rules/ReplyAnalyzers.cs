using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>The named replies of a case, and how many replies its conversation has.</summary>
internal static class CaseReplies
{
    /// <summary>The names of <c>reply as NAME</c> turns, in order.</summary>
    public static List<NameSyntax> Names(CaseSyntax syntax) =>
        RepeatSyntax.Expand(syntax.Turns, once: true).Where(t => t.Kind == TurnKind.Reply && t.ReplyName is not null).Select(t => t.ReplyName!).ToList();

    /// <summary>The replies of the conversation, counting the reply implied after a last user or assistant turn (as lowering adds it).</summary>
    public static int Count(CaseSyntax syntax)
    {
        var turns = RepeatSyntax.Expand(syntax.Turns).Where(t => t.Kind is TurnKind.User or TurnKind.Assistant or TurnKind.Reply).ToList();
        var replies = turns.Count(t => t.Kind == TurnKind.Reply);
        return turns.Count == 0 || turns[turns.Count - 1].Kind != TurnKind.Reply ? replies + 1 : replies;
    }

    /// <summary>A reply line that did not parse may have named the reply an expectation names.</summary>
    public static bool MayHideNames(CaseSyntax syntax) => syntax.Status.MayBeIncomplete || RepeatSyntax.Expand(syntax.Turns, once: true).Any(t => t.Kind == TurnKind.Reply && t.HasErrors);
}

/// <summary>
/// EVAL0121: <c>in NAME</c> or <c>when NAME</c> names no reply of the case; also a behavior phrase that is unknown only
/// because of a trailing <c>in NAME</c> (<c>flatter the user in fisrt</c>), which is reported at the name.
/// </summary>
internal sealed class UnknownReplyAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnknownReply;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            // Only expectations that name a reply are checked: most cases have none, and need no list of names.
            if (!syntax.Expectations.Exists(e => !e.IsMissing && (e.Reply is not null || e.Guard is not null || bound.IsUnknownReply(e)))) continue;
            if (CaseReplies.MayHideNames(syntax)) continue;
            var names = CaseReplies.Names(syntax).Select(n => n.Text).Distinct().ToList();
            foreach (var e in syntax.Expectations)
            {
                if (e.IsMissing) continue;
                if (e.Reply is { } reply && !names.Contains(reply.Text)) Report(context, bound, reply, names);
                if (bound.IsUnknownReply(e)) Report(context, bound, e.TrailingIn!, names);
                if (e.Guard?.Reply is { } guarded && !names.Contains(guarded.Text)) Report(context, bound, guarded, names);
            }
        }
    }

    private static void Report(AnalysisContext context, BoundCase bound, NameSyntax name, IReadOnlyList<string> names)
    {
        var suggestion = NameSuggester.Suggest(name.Text, names, ignoreCase: false);
        var message = suggestion is not null ? $"Unknown reply '{name.Text}'. Did you mean '{suggestion}'?"
            : names.Count == 0 ? $"Unknown reply '{name.Text}'. This case names no reply; name one with reply as {name.Text}."
            : $"Unknown reply '{name.Text}'. This case names the {(names.Count == 1 ? "reply" : "replies")} {string.Join(", ", names.Select(n => "'" + n + "'"))}.";
        context.Report(bound.Syntax.Suite.Tree, name.Range, message);
    }
}

/// <summary>
/// EVAL0122: <c>in every reply</c> on <c>be consistent across</c> (which compares the variants' replies, not a
/// conversation's), and <c>hold its answer in NAME</c> where NAME is the first reply (compared with itself).
/// </summary>
internal sealed class ReplySuffixAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ReplySuffixMisuse;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            var first = RepeatSyntax.Expand(syntax.Turns).FirstOrDefault(t => t.Kind == TurnKind.Reply)?.ReplyName?.Text;
            foreach (var e in syntax.Expectations)
            {
                if (e.IsMissing) continue;
                if (e.Kind == ExpectationKind.MoreUnder && (e.EveryReply is not null || e.Reply is not null || e.Guard is not null))
                {
                    // The comparison reads the variants' final replies; a suffix would be silently ignored.
                    var range = e.Reply?.Range ?? e.EveryReply ?? e.Guard!.Keyword;
                    context.Report(syntax.Suite.Tree, range,
                        "'be more … under … than under …' compares the final replies of two variants; 'in NAME', 'in every reply' and 'when' do not apply to it yet.");
                }
                else if (e.Kind == ExpectationKind.ConsistentAcross && e.EveryReply is { } every)
                {
                    context.Report(syntax.Suite.Tree, every,
                        $"'in every reply' does not apply to 'be consistent across {e.VaryName?.Text}', which compares the variants' final replies with each other; to compare another reply, name it with in NAME.");
                }
                else if (e.Kind == ExpectationKind.HoldsAnswer && e.Reply is { } reply && reply.Text == first)
                {
                    context.Report(syntax.Suite.Tree, reply.Range,
                        $"'hold its answer in {reply.Text}' would compare the first reply with itself: '{reply.Text}' is this case's first reply; name a later reply.");
                }
            }
        }
    }
}

/// <summary>EVAL0221: <c>in every reply</c> in a case with one reply (for <c>hold its answer</c>, with no reply after the first).</summary>
internal sealed class EveryReplyOfOneAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.EveryReplyOfOne;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Status.MayBeIncomplete || CaseReplies.Count(syntax) > 1) continue;
            foreach (var e in syntax.Expectations)
            {
                // hold its answer without a later reply is EVAL0108 already.
                if (e.IsMissing || e.EveryReply is not { } every || e.Kind is ExpectationKind.HoldsAnswer or ExpectationKind.ConsistentAcross) continue;
                context.Report(syntax.Suite.Tree, every,
                    "'in every reply' checks each reply of the conversation, but this case has one reply, so it checks what the expectation checks without it; add the later turns (reply, then the user's pushback) or drop 'in every reply'.");
            }
        }
    }
}
