using System;
using System.Collections.Generic;

namespace EvalDsl.Text;

/// <summary>
/// "Did you mean …": the closest candidate within a Damerau–Levenshtein distance of a third of the typed length
/// (rounded up). The work is bounded per name: names longer than <see cref="MaxLength"/> get no suggestion, and the
/// search stops after <see cref="MaxCells"/> cells of distance tables, so it stays linear in the spec's size.
/// </summary>
internal static class NameSuggester
{
    /// <summary>The longest name (typed or candidate) compared, in characters.</summary>
    public const int MaxLength = 80;

    /// <summary>The most distance-table cells computed for one typed name.</summary>
    public const int MaxCells = 200_000;

    public static string? Suggest(string typed, IEnumerable<string> candidates, bool ignoreCase)
    {
        if (typed.Length == 0 || typed.Length > MaxLength) return null;
        var budget = MaxCells;
        var limit = (typed.Length + 2) / 3;
        var a = ignoreCase ? typed.ToLowerInvariant() : typed;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (candidate.Length > MaxLength || Math.Abs(typed.Length - candidate.Length) > limit) continue;
            budget -= (typed.Length + 2) * (candidate.Length + 2);
            if (budget < 0) break;
            var b = ignoreCase ? candidate.ToLowerInvariant() : candidate;
            var d = Distance(a, b);
            if (d <= limit && d < bestDistance && d > 0)
            {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /// <summary>The (unrestricted) Damerau–Levenshtein distance: insertions, deletions, substitutions and transpositions of adjacent characters.</summary>
    public static int Distance(string a, string b)
    {
        var inf = a.Length + b.Length;
        var lastRow = new Dictionary<char, int>();
        var d = new int[a.Length + 2, b.Length + 2];
        d[0, 0] = inf;
        for (var i = 0; i <= a.Length; i++) { d[i + 1, 0] = inf; d[i + 1, 1] = i; }
        for (var j = 0; j <= b.Length; j++) { d[0, j + 1] = inf; d[1, j + 1] = j; }

        for (var i = 1; i <= a.Length; i++)
        {
            var lastMatchColumn = 0;
            for (var j = 1; j <= b.Length; j++)
            {
                var i1 = lastRow.TryGetValue(b[j - 1], out var r) ? r : 0;
                var j1 = lastMatchColumn;
                var cost = 1;
                if (a[i - 1] == b[j - 1])
                {
                    cost = 0;
                    lastMatchColumn = j;
                }
                d[i + 1, j + 1] = Math.Min(
                    Math.Min(d[i, j] + cost, d[i + 1, j] + 1),
                    Math.Min(d[i, j + 1] + 1, d[i1, j1] + (i - i1 - 1) + 1 + (j - j1 - 1)));
            }
            lastRow[a[i - 1]] = i;
        }
        return d[a.Length + 1, b.Length + 1];
    }
}
