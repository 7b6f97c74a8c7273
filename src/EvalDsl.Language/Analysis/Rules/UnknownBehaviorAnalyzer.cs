using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0101: an expectation names a behavior that is neither built in nor declared.</summary>
internal sealed class UnknownBehaviorAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnknownBehavior;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            foreach (var expectation in bound.Syntax.Expectations)
            {
                if (expectation.IsMissing || expectation.Kind != ExpectationKind.Behavior || bound.Behaviors.ContainsKey(expectation)) continue;
                var phrase = expectation.Phrase;
                var words = phrase.Split(' ');
                // "be consistent across NAME" is suggested with the name typed, and only when one was.
                var candidates = context.Compilation.Catalogue
                    .Where(b => b.Phrase != BehaviorCatalog.ConsistentAcross || words.Length == 4)
                    .Select(b => b.Phrase == BehaviorCatalog.ConsistentAcross ? "be consistent across " + words[words.Length - 1] : b.Phrase);
                var suggestion = NameSuggester.Suggest(phrase, candidates, ignoreCase: true);
                var hint = Hint(words);
                var message = suggestion is not null
                    ? $"Unknown behavior '{phrase}'.{hint} Did you mean '{suggestion}'?"
                    : $"Unknown behavior '{phrase}'.{hint} Use a built-in behavior or declare it with behavior \"{phrase}\" and a means line.";
                context.Report(bound.Syntax.Suite.Tree, expectation.PhraseRange, message);
            }
        }
    }

    private static string Hint(IReadOnlyList<string> words) => words[0] switch
    {
        "contain" => " To check for text, write contain followed by a quoted string.",
        "match" => " To check a pattern, write match followed by /pattern/.",
        _ => "",
    };
}
