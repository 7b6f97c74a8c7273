using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0101: an expectation names a behavior that is neither built in nor declared.</summary>
internal sealed class UnknownBehaviorAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnknownBehavior;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            // The file a failed use names may declare it (EVAL0114 is reported there).
            if (context.Compilation.MayLackDeclarations.Contains(bound.Syntax.Suite.Tree)) continue;
            foreach (var expectation in bound.Syntax.Expectations)
            {
                if (expectation.IsMissing || expectation.Kind != ExpectationKind.Behavior || bound.Behaviors.ContainsKey(expectation)) continue;
                // Known but for a trailing 'in NAME' whose name is no reply: EVAL0121 says so at the name.
                if (bound.IsUnknownReply(expectation)) continue;
                var phrase = expectation.Phrase;
                var words = phrase.Split(' ');
                // "be consistent across NAME" is suggested with the name typed, and only when one was.
                var candidates = context.Compilation.Catalogue
                    .Where(b => b.Phrase != BehaviorCatalog.ConsistentAcross || words.Length == 4)
                    .Select(b => b.Phrase == BehaviorCatalog.ConsistentAcross ? "be consistent across " + words[words.Length - 1] : b.Phrase)
                    // Not a behaviour, but a phrase of its own (graded against the case's answer): a misspelling of it is suggested too.
                    .Append("answer correctly");
                // "contains \"x\"", "matches /x/": a misspelt deterministic check, not a behavior.
                var check = Check(words[0]);
                if (check is not null && words.Length > 1 && (words[1].StartsWith("\"", System.StringComparison.Ordinal) || words[1].StartsWith("/", System.StringComparison.Ordinal)))
                {
                    var rest = phrase.Substring(words[0].Length + 1);
                    context.Report(bound.Syntax.Suite.Tree, expectation.PhraseRange, $"Unknown behavior '{phrase}'. Did you mean '{check} {rest}'?");
                    continue;
                }
                var suggestion = NameSuggester.Suggest(phrase, candidates, ignoreCase: true);
                var hint = Hint(words);
                var message = suggestion is not null
                    ? $"Unknown behavior '{phrase}'.{hint} Did you mean '{suggestion}'?"
                    : $"Unknown behavior '{phrase}'.{hint} Use a built-in behavior or declare it with behavior \"{phrase}\" and a means line.";
                context.Report(bound.Syntax.Suite.Tree, expectation.PhraseRange, message);
            }
        }
    }

    private static string? Check(string word)
    {
        var lower = word.ToLowerInvariant();
        if (lower is "contain" or "match") return null;
        if (lower.StartsWith("contain", System.StringComparison.Ordinal) || NameSuggester.Suggest(lower, new[] { "contain" }, ignoreCase: false) is not null) return "contain";
        if (lower.StartsWith("match", System.StringComparison.Ordinal) || NameSuggester.Suggest(lower, new[] { "match" }, ignoreCase: false) is not null) return "match";
        return null;
    }

    private static string Hint(IReadOnlyList<string> words) => words[0] switch
    {
        "contain" => " To check for text, write contain followed by a quoted string.",
        "match" => " To check a pattern, write match followed by /pattern/.",
        _ => "",
    };
}
