using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// <c>junit.xml</c>: one <c>testsuite</c> per suite, one <c>testcase</c> per case (per data row).
/// A failing <c>must</c> is a <c>failure</c>; an undecided <c>must</c> (model errors) is an <c>error</c>;
/// failing <c>should</c>s and baseline regressions are reported in <c>system-out</c> and never fail the case.
/// A <c>pass N% of rows</c> case adds one <c>testcase</c> for the whole dataset (named with its row count and threshold),
/// which fails on a <c>must</c> that fails over the rows and lists every row's rate in <c>system-out</c>; its row
/// testcases stay, but their expectations are tracking only and never fail.
/// </summary>
public static class JUnitReport
{
    /// <summary>The file name <c>evaldsl run --report DIR</c> writes.</summary>
    public const string FileName = "junit.xml";

    /// <summary>The <c>type</c> of the failure of a failing <c>must</c>.</summary>
    internal const string FailureType = "EVAL-must";

    /// <summary>The <c>type</c> of the error of an undecided <c>must</c>.</summary>
    internal const string ErrorType = "EVAL-undecided";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Writes the JUnit XML of <paramref name="result"/> to <paramref name="path"/> (UTF-8), replacing the file.</summary>
    public static void Write(RunResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportText.WriteAtomically(path, stream =>
        {
            var settings = new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
                Indent = true,
                IndentChars = "  ",
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Entitize,
                CheckCharacters = true,
            };
            using var writer = XmlWriter.Create(stream, settings);
            WriteDocument(writer, result);
        });
    }

    /// <summary>The failure message of a case's failing <c>must</c>s, or null when none fails.</summary>
    internal static string? FailureMessage(CaseResult c)
    {
        var failing = c.Expectations.Where(e => e.IsFailingMust).ToList();
        return failing.Count == 0 ? null : string.Join("; ", failing.Select(e => Summary(e, c.Pass)));
    }

    /// <summary>The error message of a case's undecided <c>must</c>s, or null when none is undecided.</summary>
    internal static string? ErrorMessage(CaseResult c)
    {
        var undecided = c.Expectations.Where(e => e.IsUndecidedMust).ToList();
        return undecided.Count == 0 ? null : string.Join("; ", undecided.Select(e => Summary(e, c.Pass)));
    }

    private static string Summary(ExpectationResult e, double pass) =>
        e.Location + ": " + e.Display + ": " + ReportText.Verb(e.Stats.Status) + ", " + ReportText.StatsLine(e.Stats, pass);

    private static void WriteDocument(XmlWriter w, RunResult result)
    {
        // Each suite's datasets come after its cases, as testcases of their own.
        var suites = ReportText.SuitesWithDatasets(result);
        var datasets = result.Datasets.ToDictionary(d => d.Id);
        var duration = Math.Max(0, (result.Finished - result.Started).TotalSeconds);
        var totals = new Counts();
        var perSuite = suites.Select(s => Count(s.Value)).ToList();
        foreach (var c in perSuite)
        {
            totals.Add(c);
        }

        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        Attr(w, "name", "evaldsl run");
        Attr(w, "tests", totals.Tests);
        Attr(w, "failures", totals.Failures);
        Attr(w, "errors", totals.Errors);
        Attr(w, "skipped", totals.Skipped);
        Attr(w, "time", Seconds(duration));
        Attr(w, "timestamp", Timestamp(result.Started));

        for (var i = 0; i < suites.Count; i++)
        {
            var (title, cases) = (suites[i].Key, suites[i].Value);
            var counts = perSuite[i];
            w.WriteStartElement("testsuite");
            Attr(w, "name", title);
            Attr(w, "tests", counts.Tests);
            Attr(w, "failures", counts.Failures);
            Attr(w, "errors", counts.Errors);
            Attr(w, "skipped", counts.Skipped);
            // Cases run interleaved: a case's time is the summed wall time of its samples, a suite's the sum of its cases'.
            // The run's wall time is on testsuites.
            Attr(w, "time", Seconds(cases.Sum(CaseSeconds)));
            Attr(w, "timestamp", Timestamp(result.Started));
            Attr(w, "id", i);

            w.WriteStartElement("properties");
            Property(w, "verdict", result.Verdict.ToString());
            foreach (var model in result.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                Property(w, "model." + model.Key, model.Value);
            }

            w.WriteEndElement();

            foreach (var c in cases)
            {
                WriteCase(w, c, c.Row is null && datasets.TryGetValue(c.Id, out var d)
                    ? string.Join("\n", d.Expectations.Select((e, k) => "per-row rates of " + e.Display + ": " + ReportText.RowRates(result, d, k)))
                    : null);
            }

            w.WriteEndElement();
        }

        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteCase(XmlWriter w, CaseResult c, string? rows = null)
    {
        w.WriteStartElement("testcase");
        Attr(w, "classname", c.Suite);
        Attr(w, "name", c.DisplayTitle);
        Attr(w, "file", c.Location.File);
        Attr(w, "line", c.Location.Line);
        Attr(w, "time", Seconds(CaseSeconds(c)));

        var failure = FailureMessage(c);
        var error = ErrorMessage(c);
        if (failure is not null)
        {
            w.WriteStartElement("failure");
            Attr(w, "message", failure);
            Attr(w, "type", FailureType);
            var body = new StringBuilder();
            foreach (var e in c.Expectations.Where(e => e.IsFailingMust))
            {
                AppendEvidence(body, c, e, Outcome.Fail);
            }

            // An undecided must beside a failing one: the failure decides the case, but say so.
            foreach (var e in c.Expectations.Where(e => e.IsUndecidedMust))
            {
                AppendEvidence(body, c, e, Outcome.Error);
            }

            Text(w, body.ToString().TrimEnd('\n'));
            w.WriteEndElement();
        }
        else if (error is not null)
        {
            w.WriteStartElement("error");
            Attr(w, "message", error);
            Attr(w, "type", ErrorType);
            var body = new StringBuilder();
            foreach (var e in c.Expectations.Where(e => e.IsUndecidedMust))
            {
                AppendEvidence(body, c, e, Outcome.Error);
            }

            Text(w, body.ToString().TrimEnd('\n'));
            w.WriteEndElement();
        }
        else if (c.Expectations.Count == 0)
        {
            w.WriteStartElement("skipped");
            Attr(w, "message", "the case has no expectations");
            w.WriteEndElement();
        }

        var output = rows is null ? SystemOut(c) : (rows + "\n" + SystemOut(c)).TrimEnd('\n');
        if (output.Length > 0)
        {
            w.WriteStartElement("system-out");
            Text(w, output);
            w.WriteEndElement();
        }

        w.WriteEndElement();
    }

    /// <summary>The tracking news of a case: failing or undecided shoulds, and baseline regressions.</summary>
    private static string SystemOut(CaseResult c)
    {
        var sb = new StringBuilder();
        foreach (var e in c.Expectations.Where(e => e.IsMissedShould))
        {
            sb.Append("tracking (should, does not block): ").Append(Summary(e, c.Pass)).Append('\n');
            AppendEvidence(sb, c, e, e.Stats.Status == ExpectationStatus.Fails ? Outcome.Fail : Outcome.Error, header: false);
        }

        foreach (var e in c.Expectations.Where(e => e.Flip is not null))
        {
            sb.Append("turn of flip: ").Append(e.Location).Append(": ").Append(e.Display).Append(": ").Append(ReportText.FlipLine(e.Flip!)).Append('\n');
        }

        foreach (var e in c.Expectations.Where(e => e.Jury is not null))
        {
            sb.Append("jury: ").Append(e.Location).Append(": ").Append(e.Display).Append(": ").Append(e.Jury!.Describe()).Append('\n');
        }

        foreach (var e in c.Expectations.Where(e => e.Stats.NotApplicable > 0))
        {
            sb.Append(e.RegressiveFlips is null ? "not applicable (its guard did not hold): " : "not applicable (first reply incorrect): ").Append(e.Location).Append(": ").Append(e.Display).Append(": ")
              .Append(ReportText.NotApplicableLine(e.Stats)).Append('\n');
        }

        foreach (var e in c.Expectations)
        {
            if (e.RegressiveFlips is null || ReportText.Answers(e) is not { } answers) continue;
            sb.Append("answers: ").Append(e.Location).Append(": ").Append(e.Display).Append(": ").Append(answers).Append('\n');
        }

        foreach (var e in c.Expectations.Where(e => e.IsRegression))
        {
            var cmp = e.Comparison!;
            sb.Append("regression against the baseline: ").Append(e.Location).Append(": ").Append(e.Display)
              .Append(": target ").Append(ReportText.Rate(e.Stats)).Append(" (").Append(ReportText.Counts(e.Stats)).Append(')')
              .Append(", baseline ").Append(ReportText.Rate(cmp.Baseline)).Append(" (").Append(ReportText.Counts(cmp.Baseline)).Append(')')
              .Append(", delta ").Append(ReportText.Delta(cmp.Delta))
              .Append(", McNemar p = ").Append(ReportText.PValue(cmp.PValue)).Append('\n');
        }

        return sb.ToString().TrimEnd('\n');
    }

    /// <summary>One sample where <paramref name="e"/> got <paramref name="outcome"/>: its final reply and the grade's reason.</summary>
    private static void AppendEvidence(StringBuilder sb, CaseResult c, ExpectationResult e, Outcome outcome, bool header = true)
    {
        if (header)
        {
            sb.Append(e.Location).Append(": ").Append(e.Display).Append('\n');
            sb.Append("  ").Append(ReportText.StatsLine(e.Stats, c.Pass)).Append('\n');
        }

        foreach (var sample in c.Target)
        {
            var grade = sample.Grades.FirstOrDefault(g => g.Expectation == e.Index && g.Outcome == outcome);
            if (grade is null)
            {
                continue;
            }

            var sampleName = "sample " + (sample.Sample + 1).ToString(Invariant);
            var owner = ReportText.TrialOf(sample, grade);
            // A grade that compares variants belongs to the whole sample: show every variant's final reply.
            var trials = owner is not null ? new[] { owner } : sample.Trials;
            foreach (var trial in trials)
            {
                var where = sampleName + (trial.Variant.Length > 0 ? " (" + trial.Variant + ")" : "");
                if (trial.Error is { } trialError)
                {
                    sb.Append("  ").Append(where).Append(": the conversation failed: ").Append(trialError).Append('\n');
                }
                else
                {
                    sb.Append("  ").Append(where).Append(", final reply:\n");
                    sb.Append(Indent(ReportText.FinalReply(trial) ?? "(no reply)", "    ")).Append('\n');
                }
            }

            sb.Append("  ").Append(outcome == Outcome.Error ? "error: " : "reason: ").Append(grade.Reason).Append('\n');
            return;
        }
    }

    private static string Indent(string text, string indent) =>
        indent + text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\n" + indent, StringComparison.Ordinal);

    private static Counts Count(IEnumerable<CaseResult> cases)
    {
        var counts = new Counts();
        foreach (var c in cases)
        {
            counts.Tests++;
            if (c.Expectations.Any(e => e.IsFailingMust))
            {
                counts.Failures++;
            }
            else if (c.Expectations.Any(e => e.IsUndecidedMust))
            {
                counts.Errors++;
            }
            else if (c.Expectations.Count == 0)
            {
                counts.Skipped++;
            }
        }

        return counts;
    }

    private static void Property(XmlWriter w, string name, string value)
    {
        w.WriteStartElement("property");
        Attr(w, "name", name);
        Attr(w, "value", value);
        w.WriteEndElement();
    }

    private static void Attr(XmlWriter w, string name, string value) => w.WriteAttributeString(name, ReportText.Clean(value));

    private static void Attr(XmlWriter w, string name, int value) => w.WriteAttributeString(name, value.ToString(Invariant));

    private static void Text(XmlWriter w, string text) => w.WriteString(ReportText.Clean(text));

    private static double CaseSeconds(CaseResult c) => c.Target.Sum(s => s.Seconds) + (c.Baseline?.Sum(s => s.Seconds) ?? 0);

    private static string Seconds(double seconds) => seconds.ToString("0.###", Invariant);

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", Invariant);

    private sealed class Counts
    {
        public int Tests;
        public int Failures;
        public int Errors;
        public int Skipped;

        public void Add(Counts other)
        {
            Tests += other.Tests;
            Failures += other.Failures;
            Errors += other.Errors;
            Skipped += other.Skipped;
        }
    }
}
