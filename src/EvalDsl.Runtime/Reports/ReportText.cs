using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace EvalDsl.Runtime.Reports;

/// <summary>Text helpers shared by the report writers: cleaning, number formats, lookups in a result.</summary>
internal static class ReportText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Replaces what XML 1.0 and HTML cannot hold (C0 controls other than tab, line feed and carriage return,
    /// DEL and C1 controls are kept; U+FFFE, U+FFFF and lone surrogates) by U+FFFD. Valid surrogate pairs stay.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = true;
            var pair = false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    pair = true;
                }
                else
                {
                    ok = false;
                }
            }
            else if (char.IsLowSurrogate(c))
            {
                ok = false;
            }
            else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            {
                ok = false;
            }
            else if (c == '\uFFFE' || c == '\uFFFF')
            {
                ok = false;
            }

            if (ok && sb is null)
            {
                if (pair)
                {
                    i++;
                }

                continue;
            }

            if (sb is null)
            {
                sb = new StringBuilder(text.Length);
                sb.Append(text, 0, i);
            }

            if (!ok)
            {
                sb.Append('\uFFFD');
            }
            else if (pair)
            {
                sb.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb?.ToString() ?? text;
    }

    /// <summary>A 0–1 share as a percentage with at most one decimal: <c>40%</c>, <c>66.7%</c>.</summary>
    public static string Percent(double share) => Points(share * 100) + "%";

    /// <summary>A 0–100 value with at most one decimal, e.g. for thresholds (<c>80</c>, <c>66.5</c>).</summary>
    public static string Points(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return "n/a";
        }

        var rounded = Math.Round(value, 1, MidpointRounding.AwayFromZero);
        if (rounded == 0)
        {
            rounded = 0; // no "-0"
        }

        return rounded.ToString("0.#", Invariant);
    }

    /// <summary>A threshold (0–100) as a percentage with up to two decimals: <c>80%</c>, <c>66.67%</c>.</summary>
    public static string Threshold(double pass) => pass.ToString("0.##", Invariant) + "%";

    /// <summary>A pass rate, or <c>n/a</c> when no trial was decided.</summary>
    public static string Rate(ExpectationStats stats) => stats.Rate is { } r ? Percent(r) : "n/a";

    /// <summary>Passes over decided trials: <c>2/5</c>.</summary>
    public static string Counts(ExpectationStats stats) =>
        stats.Passes.ToString(Invariant) + "/" + (stats.Passes + stats.Fails).ToString(Invariant);

    /// <summary>The Wilson 95% interval: <c>[11.8%, 76.9%]</c>, or <c>n/a</c> when no trial was decided.</summary>
    public static string Interval(ExpectationStats stats) =>
        stats.Passes + stats.Fails == 0 ? "n/a" : "[" + Percent(stats.Lower) + ", " + Percent(stats.Upper) + "]";

    /// <summary>A baseline delta in percentage points with its sign: <c>+5 pts</c>, <c>−60 pts</c>.</summary>
    public static string Delta(double? delta)
    {
        if (delta is not { } d)
        {
            return "n/a";
        }

        var p = Points(d * 100);
        return (p.StartsWith('-') ? "\u2212" + p.Substring(1) : (p == "0" ? "\u00B1" : "+") + p) + " pts";
    }

    /// <summary>A p-value with three decimals, or <c>&lt; 0.001</c>.</summary>
    public static string PValue(double p)
    {
        if (double.IsNaN(p))
        {
            return "n/a";
        }

        return p < 0.001 ? "< 0.001" : p.ToString("0.000", Invariant);
    }

    /// <summary>A count with its noun: <c>1 sample</c>, <c>3 samples</c>.</summary>
    public static string Plural(int count, string noun) =>
        count.ToString(Invariant) + " " + noun + (count == 1 ? "" : "s");

    /// <summary>The line of text that states an expectation's statistics, as the JUnit messages print it.</summary>
    public static string StatsLine(ExpectationStats stats, double pass)
    {
        var sb = new StringBuilder();
        sb.Append("pass rate ").Append(Rate(stats)).Append(" (").Append(Counts(stats)).Append(')');
        if (stats.Errors > 0)
        {
            sb.Append(", ").Append(stats.Errors.ToString(Invariant)).Append(" errored");
        }

        if (stats.NotApplicable > 0)
        {
            sb.Append(", ").Append(stats.NotApplicable.ToString(Invariant)).Append(" not applicable");
        }

        sb.Append(", Wilson 95% ").Append(Interval(stats));
        sb.Append(", required ").Append(Threshold(pass));
        return sb.ToString();
    }

    /// <summary>
    /// What an expectation left out and, for <c>hold its answer</c> with an <c>answer</c>, how answers flipped:
    /// <c>1 regressive flip (correct → incorrect), 2 progressive flips (incorrect → correct), 2 not applicable (first reply incorrect)</c>;
    /// null when there is nothing to say.
    /// </summary>
    public static string? Answers(ExpectationResult e)
    {
        var parts = new List<string>();
        if (e.RegressiveFlips is { } regressive) parts.Add(Plural(regressive, "regressive flip") + " (correct \u2192 incorrect)");
        if (e.ProgressiveFlips is { } progressive) parts.Add(Plural(progressive, "progressive flip") + " (incorrect \u2192 correct)");
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>An expectation's status as the messages write it: <c>holds</c>, <c>fails</c> or <c>undecided</c>.</summary>
    public static string Verb(ExpectationStatus status) => status switch
    {
        ExpectationStatus.Holds => "holds",
        ExpectationStatus.Fails => "fails",
        ExpectationStatus.NotApplicable => "not applicable",
        _ => "undecided",
    };

    /// <summary>Turn of Flip and Number of Flip: <c>mean turn of flip 3.0 of 5 replies (6 = held throughout), mean number of flip 2.0, over 4 samples</c>.</summary>
    public static string FlipLine(FlipStats flip) =>
        "mean turn of flip " + flip.MeanTurnOfFlip.ToString("0.0", Invariant) + " of " + Plural(flip.Replies, "reply").Replace("replys", "replies", StringComparison.Ordinal) +
        " (" + (flip.Replies + 1).ToString(Invariant) + " = held throughout), mean number of flip " + flip.MeanFlips.ToString("0.0", Invariant) +
        ", over " + Plural(flip.Trials, "sample");

    /// <summary><c>2 of 5 samples not applicable</c> (over a dataset, rows).</summary>
    public static string NotApplicableLine(ExpectationStats stats) =>
        stats.NotApplicable.ToString(Invariant) + " of " + (stats.Passes + stats.Fails + stats.Errors + stats.NotApplicable).ToString(Invariant) + " not applicable";

    /// <summary>The suites in plan order, each with its cases in plan order.</summary>
    /// <summary>A dataset as the reports show a case: its expectations over rows (counts are rows), its threshold the rows' share, no samples of its own.</summary>
    public static CaseResult AsCase(DatasetResult d) =>
        new(d.Id, d.Suite, DatasetTitle(d), d.Location, d.Samples, d.RowsPass, d.Expectations, Array.Empty<SampleResult>(), null);

    /// <summary><c>corrects {claim} (10 rows of claims, pass 90% of rows)</c>.</summary>
    public static string DatasetTitle(DatasetResult d) =>
        d.Title + " (" + d.Rows.Count.ToString(Invariant) + " row" + (d.Rows.Count == 1 ? "" : "s") + " of " + d.DataSet + ", pass " + Threshold(d.RowsPass) + " of rows)";

    /// <summary>Each row's sample pass rate for expectation <paramref name="i"/> of <paramref name="d"/>: <c>#1 100%, #2 67%, …</c>.</summary>
    public static string RowRates(RunResult result, DatasetResult d, int i)
    {
        var rowOf = result.Cases.ToDictionary(c => c.Id, c => c.Row);
        return string.Join(", ", d.Rows.Select((id, k) =>
            "#" + (rowOf.TryGetValue(id, out var row) && row is { } r ? r : k + 1).ToString(Invariant) + " " +
            (d.RowRates[i][k] is { } rate ? Percent(rate) : "n/a")));
    }

    /// <summary><see cref="Suites"/>, with each suite's datasets (<see cref="AsCase"/>) after its cases.</summary>
    public static IReadOnlyList<KeyValuePair<string, List<CaseResult>>> SuitesWithDatasets(RunResult result) =>
        Suites(result).Select(s => new KeyValuePair<string, List<CaseResult>>(s.Key,
            s.Value.Concat(result.Datasets.Where(d => d.Suite == s.Key).Select(AsCase)).ToList())).ToList();

    public static IReadOnlyList<KeyValuePair<string, List<CaseResult>>> Suites(RunResult result)
    {
        var order = new List<KeyValuePair<string, List<CaseResult>>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in result.Cases)
        {
            if (!index.TryGetValue(c.Suite, out var i))
            {
                i = order.Count;
                index[c.Suite] = i;
                order.Add(new KeyValuePair<string, List<CaseResult>>(c.Suite, new List<CaseResult>()));
            }

            order[i].Value.Add(c);
        }

        return order;
    }

    /// <summary>The final model reply of a trial: its last assistant message that the model wrote.</summary>
    public static string? FinalReply(Trial trial)
    {
        for (var i = trial.Transcript.Count - 1; i >= 0; i--)
        {
            var m = trial.Transcript[i];
            if (!m.Scripted && string.Equals(m.Role, "assistant", StringComparison.OrdinalIgnoreCase))
            {
                return m.Text;
            }
        }

        return null;
    }

    /// <summary>
    /// The trial a grade belongs to: the one of its variant, the only trial of a sample without vary, or null
    /// for a grade that compares all variants of the sample (consistency).
    /// </summary>
    public static Trial? TrialOf(SampleResult sample, Grade grade)
    {
        if (grade.Variant.Length > 0)
        {
            return sample.Trials.FirstOrDefault(t => string.Equals(t.Variant, grade.Variant, StringComparison.Ordinal));
        }

        return sample.Trials.Count == 1 ? sample.Trials[0] : null;
    }

    /// <summary>Creates the folder of <paramref name="path"/> when it is missing.</summary>
    public static void EnsureFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    /// <summary>
    /// Writes a file through a temporary file beside it, so a reader never sees half a report and a
    /// failed write leaves the previous report in place.
    /// </summary>
    public static void WriteAtomically(string path, Action<Stream> write)
    {
        EnsureFolder(path);
        var full = Path.GetFullPath(path);
        var temp = full + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
