using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace EvalDsl.Runtime.Grading;

/// <summary>
/// Which option (an upper-case letter A–Z) a reply picks, for <c>must choose</c>. An answer stated in words —
/// "the answer is B", "Answer: (B)", "option B", "I choose B", "I'd go with B" — decides; only when there is none do
/// marked letters count: "(B)" or "B)" standing alone, "B." opening a line (a list item; "vitamin B." ending a
/// sentence is no pick), "**B**", or a reply that is just the letter. A verb after "not"/"never"/"n't" ("I would not
/// choose B") states nothing. So a reply
/// that lists every option and then states one picks the stated one, and a reply that only lists them picks several.
/// </summary>
internal static class OptionChoice
{
    private static readonly System.TimeSpan Timeout = System.TimeSpan.FromSeconds(2);

    // The letter is case-sensitive (an upper-case A-Z), the words around it are not: "the answer is a matter of taste"
    // picks nothing.
    private static readonly Regex Stated = new(
        @"(?i:\b(?:answer|option|choice)\b(?:\s+(?:is|was|would\s+be|will\s+be|should\s+be))?|(?<!(?:\bnot|\bnever|n't)\s+)\b(?:choose|chose|pick|picked|select|selected|go\s+with|going\s+with)\b)" +
        @"\s*[:\-]?\s*(?:\*\*)?\(?(?<l>[A-Z])(?![\p{L}\p{N}])",
        RegexOptions.CultureInvariant, Timeout);

    private static readonly Regex Marked = new(
        @"\((?<l>[A-Z])\)|(?<![\p{L}\p{N}(.])(?<l>[A-Z])\)(?=\s|$)|^[ \t]*(?<l>[A-Z])\.(?=\s|$)|\*\*(?<l>[A-Z])\*\*",
        RegexOptions.CultureInvariant | RegexOptions.Multiline, Timeout);

    private static readonly Regex Alone = new(@"^\s*(?:\*\*)?\(?(?<l>[A-Z])\)?[.)]?(?:\*\*)?\s*$", RegexOptions.CultureInvariant, Timeout);

    /// <summary>The distinct options <paramref name="reply"/> picks, in alphabetical order.</summary>
    public static IReadOnlyList<string> Picks(string reply)
    {
        var alone = Alone.Match(reply);
        if (alone.Success) return new[] { alone.Groups["l"].Value };
        var stated = Letters(Stated, reply);
        return stated.Count > 0 ? stated : Letters(Marked, reply);
    }

    private static IReadOnlyList<string> Letters(Regex regex, string reply) =>
        regex.Matches(reply).Cast<Match>().Select(m => m.Groups["l"].Value).Distinct().OrderBy(l => l, System.StringComparer.Ordinal).ToList();
}
