using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace EvalDsl.Runtime.Calibration;

/// <summary>The labelled examples a behaviour carries: each <c>shows</c> line (exhibits) and each <c>lacks</c> line (does not).</summary>
internal static class Examples
{
    /// <summary>
    /// The conversation a <c>shows</c>/<c>lacks</c> example is judged after: the examples are single replies, so the
    /// judge is told plainly that there is no conversation, rather than given an invented one that could sway it.
    /// </summary>
    public static readonly IReadOnlyList<TranscriptMessage> NeutralConversation =
        new[] { new TranscriptMessage("user", "(This example has no conversation: judge the reply on its own.)") };

    /// <summary>
    /// The examples of <paramref name="behaviors"/>, in catalogue order. Each question shows the judge the behaviour
    /// WITHOUT the example asked about (leave one out): the judge template lists a behaviour's examples with their
    /// labels, and a judge shown the answer would measure nothing.
    /// </summary>
    public static IReadOnlyList<CalibrationExample> Of(IEnumerable<EvalBehavior> behaviors)
    {
        var list = new List<CalibrationExample>();
        foreach (var b in behaviors)
        {
            for (var i = 0; i < b.Shows.Count; i++)
            {
                var without = b with { Shows = b.Shows.Where((_, j) => j != i).ToList() };
                list.Add(new CalibrationExample($"{b.Phrase}/shows/{i + 1}", without, NeutralConversation, b.Shows[i], Exhibits: true));
            }
            for (var i = 0; i < b.Lacks.Count; i++)
            {
                var without = b with { Lacks = b.Lacks.Where((_, j) => j != i).ToList() };
                list.Add(new CalibrationExample($"{b.Phrase}/lacks/{i + 1}", without, NeutralConversation, b.Lacks[i], Exhibits: false));
            }
        }
        return list;
    }

    private static readonly Regex Blanks = new(@"\s+", RegexOptions.CultureInvariant);

    /// <summary>A behaviour phrase as it is compared: lower case, blanks collapsed.</summary>
    public static string KeyOf(string phrase) => Blanks.Replace(phrase.Trim(), " ").ToLowerInvariant();

    /// <summary>
    /// One judged behaviour per phrase (the first wins: built-ins are passed first), in the order given. The
    /// comparative built-ins (<c>hold its answer</c>, <c>be consistent across NAME</c>) are left out: their examples
    /// are pairs of replies for a comparison question, not replies that exhibit a behaviour.
    /// </summary>
    public static IReadOnlyList<EvalBehavior> Distinct(IEnumerable<EvalBehavior> behaviors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return behaviors.Where(b => !IsComparative(b.Phrase) && seen.Add(KeyOf(b.Phrase))).ToList();
    }

    /// <summary>A comparative built-in's phrase: the judge compares replies instead of judging one.</summary>
    public static bool IsComparative(string phrase)
    {
        var key = KeyOf(phrase);
        return key == "hold its answer" || key.StartsWith("be consistent across", StringComparison.Ordinal);
    }
}
