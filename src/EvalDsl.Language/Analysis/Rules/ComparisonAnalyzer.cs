using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0108: <c>hold its answer</c> needs a <c>reply</c> followed later by a <c>user</c> turn (a fixed
/// <c>assistant</c> turn does not count); <c>be consistent across X</c> needs a <c>vary X</c> with two labels or more.
/// </summary>
internal sealed class ComparisonAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ComparisonWithoutSubject;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.Status.MayBeIncomplete) continue;
            foreach (var expectation in syntax.Expectations)
            {
                if (expectation.Kind == ExpectationKind.HoldsAnswer && !HasReplyThenUser(syntax))
                {
                    context.Report(syntax.Suite.Tree, expectation.PhraseRange,
                        "'hold its answer' compares the model's first reply with its final one, but this case has no 'reply' followed by a later user turn; add reply, then the user's pushback.");
                }
                else if (expectation.Kind == ExpectationKind.ConsistentAcross && expectation.VaryName is { } name && !syntax.HasBrokenVary)
                {
                    var vary = syntax.Turns.OfType<VarySyntax>().FirstOrDefault(v => v.Name.Text == name.Text);
                    if (vary is null)
                    {
                        var suggestion = NameSuggester.Suggest(name.Text, syntax.Turns.OfType<VarySyntax>().Select(v => v.Name.Text), ignoreCase: false);
                        context.Report(syntax.Suite.Tree, expectation.PhraseRange,
                            $"'be consistent across {name.Text}' compares the variants of a vary, but this case has no 'vary {name.Text}'." +
                            (suggestion is null ? "" : $" Did you mean '{suggestion}'?"));
                    }
                    else if (vary.Labels.Count < 2 && !vary.Status.MayBeIncomplete)
                    {
                        context.Report(syntax.Suite.Tree, expectation.PhraseRange,
                            $"'be consistent across {name.Text}' needs at least two labels in 'vary {name.Text}' to compare.");
                    }
                }
            }
        }
    }

    private static bool HasReplyThenUser(CaseSyntax syntax)
    {
        var sawReply = false;
        // Repeats written out: repeat 2 { user / reply } has a reply followed by a user turn.
        foreach (var turn in RepeatSyntax.Expand(syntax.Turns))
        {
            if (turn.Kind == TurnKind.Reply) sawReply = true;
            else if (turn.Kind == TurnKind.User && sawReply) return true;
        }
        return false;
    }
}
