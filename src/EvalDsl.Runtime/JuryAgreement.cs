using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace EvalDsl.Runtime;

/// <summary>One judge's answer to one question put to a jury (<c>judge a, b, c</c>).</summary>
/// <param name="Judge">The judge's binding name.</param>
/// <param name="Answer"><c>yes</c> or <c>no</c> (for a comparison of two replies: <c>A</c>, <c>B</c> or <c>neither</c>); null when the judge could not be asked or never gave a readable answer.</param>
/// <param name="Reason">The judge's reason, or why it has no answer.</param>
public sealed record JudgeVote(string Judge, string? Answer, string Reason);

/// <summary>One judge of a jury over the questions of one expectation.</summary>
/// <param name="Judge">The judge's binding name.</param>
/// <param name="Questions">Questions put to it.</param>
/// <param name="Answered">Questions it answered.</param>
/// <param name="Yes">Answers <c>yes</c> (the reply exhibits the behaviour, gives the answer, holds, is consistent).</param>
/// <param name="YesRate">Yes over its yes/no answers (its exhibit rate), or null without any.</param>
public sealed record JurorFigures(string Judge, int Questions, int Answered, int Yes, double? YesRate);

/// <summary>How far two judges of a jury agree over the questions both answered.</summary>
/// <param name="First">A judge.</param>
/// <param name="Second">Another judge.</param>
/// <param name="Both">Questions both answered.</param>
/// <param name="Agreement">The share of those they answered alike, or null without any.</param>
/// <param name="Kappa">Cohen's κ over those questions, or null when undefined (none, or both always gave one and the same answer).</param>
public sealed record JurorPair(string First, string Second, int Both, double? Agreement, double? Kappa);

/// <summary>
/// A jury's answers on one expectation: each judge's answers (its exhibit rate) and the agreement of every pair of judges
/// (raw agreement and Cohen's κ). Null on expectations no jury judged.
/// </summary>
/// <param name="Judges">Each judge, in the jury's order.</param>
/// <param name="Pairs">Every pair of judges, in the jury's order.</param>
public sealed record JuryAgreement(IReadOnlyList<JurorFigures> Judges, IReadOnlyList<JurorPair> Pairs)
{
    /// <summary>The figures of a jury's ballots: each ballot is one question, one vote per judge.</summary>
    public static JuryAgreement? Of(IEnumerable<IReadOnlyList<JudgeVote>> ballots)
    {
        ArgumentNullException.ThrowIfNull(ballots);
        var list = ballots.ToList();
        if (list.Count == 0) return null;
        var judges = list.SelectMany(b => b.Select(v => v.Judge)).Distinct(StringComparer.Ordinal).ToList();
        string? AnswerOf(IReadOnlyList<JudgeVote> ballot, string judge) => ballot.FirstOrDefault(v => v.Judge == judge)?.Answer;
        var figures = judges.Select(j =>
        {
            var answers = list.Select(b => AnswerOf(b, j)).ToList();
            var yesNo = answers.Count(a => a is "yes" or "no");
            var yes = answers.Count(a => a == "yes");
            return new JurorFigures(j, list.Count(b => b.Any(v => v.Judge == j)), answers.Count(a => a is not null), yes, yesNo == 0 ? null : (double)yes / yesNo);
        }).ToList();
        var pairs = new List<JurorPair>();
        for (var i = 0; i < judges.Count; i++)
        for (var k = i + 1; k < judges.Count; k++)
        {
            var both = list.Select(b => (A: AnswerOf(b, judges[i]), B: AnswerOf(b, judges[k]))).Where(p => p.A is not null && p.B is not null).Select(p => (p.A!, p.B!)).ToList();
            pairs.Add(new JurorPair(judges[i], judges[k], both.Count, both.Count == 0 ? null : (double)both.Count(p => p.Item1 == p.Item2) / both.Count, Kappa(both)));
        }
        return new JuryAgreement(figures, pairs);
    }

    /// <summary>Cohen's κ = (pₒ − pₑ) / (1 − pₑ) of two raters over any answers; null when undefined.</summary>
    internal static double? Kappa(IReadOnlyList<(string A, string B)> answers)
    {
        if (answers.Count == 0) return null;
        double n = answers.Count;
        var po = answers.Count(p => p.A == p.B) / n;
        var pe = answers.Select(p => p.A).Concat(answers.Select(p => p.B)).Distinct(StringComparer.Ordinal)
            .Sum(c => answers.Count(p => p.A == c) / n * (answers.Count(p => p.B == c) / n));
        if (1 - pe < 1e-12) return null;
        return (po - pe) / (1 - pe);
    }

    /// <summary>
    /// As the reports show it: <c>jury: strict yes 40% of 5, lenient yes 60% of 5; strict–lenient agree 80%, κ 0.62 on 5</c>.
    /// </summary>
    public string Describe()
    {
        static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "n/a";
        var judges = Judges.Select(j => j.YesRate is not null
            ? $"{j.Judge} yes {Percent(j.YesRate)} of {j.Answered}{(j.Answered < j.Questions ? $" ({j.Questions - j.Answered} unanswered)" : "")}"
            : $"{j.Judge} answered {j.Answered} of {j.Questions}");
        var pairs = Pairs.Select(p => $"{p.First}–{p.Second} agree {Percent(p.Agreement)}, κ {(p.Kappa is { } k ? k.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} on {p.Both}");
        return $"jury: {string.Join(", ", judges)}; {string.Join("; ", pairs)}";
    }
}
