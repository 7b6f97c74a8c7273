using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Scriban;
using Scriban.Runtime;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and JS, no external reference) that puts the
/// verdict first, then per suite and case the expectations with their statistics and every transcript.
/// Rendered from the embedded Scriban template <c>report.sbnhtml</c>, each case's article written by
/// <see cref="CaseArticle"/>; every text that comes from a result is cleaned here (<see cref="ReportText.Clean"/>) and
/// HTML-escaped by the template or the article.
/// </summary>
public static class HtmlReport
{
    /// <summary>The file name <c>evaldsl run --report DIR</c> writes.</summary>
    public const string FileName = "report.html";

    private const string TemplateResource = "EvalDsl.Runtime.report.sbnhtml";


    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly Lazy<Template> CompiledTemplate = new(LoadTemplate);

    /// <summary>How many cases are rendered side by side before their articles are written, in order.</summary>
    private const int CaseBatch = 64;

    /// <summary>Writes the HTML report of <paramref name="result"/> to <paramref name="path"/> (UTF-8), replacing the file.</summary>
    public static void Write(RunResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ReportText.WriteAtomically(path, stream =>
        {
            // Into the file as the template renders it, a case at a time: the page of 100,000 cases is hundreds of megabytes.
            using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
            Render(result, writer);
        });
    }

    /// <summary>Renders the HTML report of <paramref name="result"/>.</summary>
    internal static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var writer = new StringWriter(Invariant);
        Render(result, writer);
        return writer.ToString();
    }

    private static void Render(RunResult result, TextWriter output)
    {
        // The view model's members reach the template in snake_case (FailingMusts → failing_musts, PValue → p_value),
        // built member by member: no reflection, so the trimmed native build renders the same page.
        var articles = new CaseArticles();
        var globals = ReportViewScript.Of(BuildModel(result), articles.Of);
        globals["csp_hash"] = new CspHashFunction();

        // Of Scriban's built-in functions the page uses html.escape only: the context gets that object alone, not a copy
        // of every built-in (whose first use also builds them all; a tenth of the CPU time of the offline example).
        var context = new TemplateContext(new ScriptObject { ["html"] = new Scriban.Functions.HtmlFunctions() })
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false, // a member the view model lacks is an error, not an empty string
            LoopLimit = 0,
            RecursiveLimit = 0,
            LimitToString = 0,
            OutputLimit = 0,
            NewLine = "\n",
        };
        context.PushCulture(Invariant);
        context.PushGlobal(globals);
        context.PushOutput(new TextWriterOutput(output));
        CompiledTemplate.Value.Render(context);
        output.Flush();
    }

    /// <summary>
    /// The articles of a suite's cases (<see cref="CaseArticle"/>), in order, as the page template reaches them: a batch
    /// of <see cref="CaseBatch"/> cases at a time, each case's view made and written side by side on the cores there
    /// are, each thread into a buffer of its own. Only a batch's articles are held at once.
    /// </summary>
    private sealed class CaseArticles
    {
        private readonly ConcurrentBag<StringBuilder> _idle = new();

        public IEnumerable<string> Of(IEnumerable<Func<CaseView>> cases)
        {
            var batch = new List<Func<CaseView>>(CaseBatch);
            foreach (var view in cases)
            {
                batch.Add(view);
                if (batch.Count < CaseBatch) continue;
                foreach (var article in Render(batch)) yield return article;
                batch.Clear();
            }
            foreach (var article in Render(batch)) yield return article;
        }

        private string[] Render(List<Func<CaseView>> batch)
        {
            var articles = new string[batch.Count];
            try
            {
                Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                    () => _idle.TryTake(out var buffer) ? buffer : new StringBuilder(), (i, _, buffer) =>
                    {
                        articles[i] = CaseArticle.Write(batch[i](), buffer);
                        return buffer;
                    },
                    _idle.Add);
            }
            catch (AggregateException ex)
            {
                // As a case rendered alone would fail: a journal that cannot be read back is an IOException to the caller.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            }
            return articles;
        }
    }

    /// <summary>The Content-Security-Policy source that allows exactly this inline script.</summary>
    private static string CspHash(string script) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

    /// <summary><c>csp_hash TEXT</c> in the template: <see cref="CspHash"/>, without the reflection of a delegate import.</summary>
    private sealed class CspHashFunction : IScriptCustomFunction
    {
        public int RequiredParameterCount => 1;

        public int ParameterCount => 1;

        public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

        public Type ReturnType => typeof(string);

        public ScriptParameterInfo GetParameterInfo(int index) => new(typeof(string), "script");

        public object? Invoke(TemplateContext context, Scriban.Syntax.ScriptNode? callerContext, ScriptArray arguments, Scriban.Syntax.ScriptBlockStatement? blockStatement)
        {
            if (arguments.Count != 1 || arguments[0] is not string script)
            {
                throw new InvalidOperationException("report.sbnhtml: csp_hash takes one string");
            }

            return CspHash(script);
        }

        public ValueTask<object?> InvokeAsync(TemplateContext context, Scriban.Syntax.ScriptNode? callerContext, ScriptArray arguments, Scriban.Syntax.ScriptBlockStatement? blockStatement) =>
            new(Invoke(context, callerContext, arguments, blockStatement));
    }

    private static Template LoadTemplate()
    {
        using var stream = typeof(HtmlReport).Assembly.GetManifestResourceStream(TemplateResource)
            ?? throw new InvalidOperationException($"The embedded resource {TemplateResource} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var template = Template.Parse(reader.ReadToEnd(), "report.sbnhtml");
        if (template.HasErrors)
        {
            throw new InvalidOperationException("report.sbnhtml does not parse: " + string.Join("; ", template.Messages.Select(m => m.ToString())));
        }

        return template;
    }

    // ---------------------------------------------------------------- view model

    private static ReportView BuildModel(RunResult result)
    {
        // The expectations that decide: a dataset's rows count once, in their dataset.
        var expectations = result.Decisive.ToList();
        var datasets = result.Datasets.ToDictionary(d => d.Id);
        var failingMusts = expectations.Count(e => e.IsFailingMust);
        var undecidedMusts = expectations.Count(e => e.IsUndecidedMust);

        var suites = new List<SuiteView>();
        var blockers = new List<BlockerView>();
        var caseNumber = 0;
        var suiteNumber = 0;
        foreach (var (title, cases) in ReportText.SuitesWithDatasets(result))
        {
            suiteNumber++;
            var first = caseNumber + 1;
            foreach (var c in cases)
            {
                caseNumber++;
                var anchor = "case-" + caseNumber.ToString(Invariant);
                blockers.AddRange(c.Expectations.Where(e => e.Blocks).Select(e => new BlockerView(
                    anchor, ReportText.Clean(c.Suite), ReportText.Clean(c.DisplayTitle), ReportText.Clean(e.Display),
                    ReportText.Clean(e.Location.ToString()), Key(e.Standing), e.IsFailingMust ? "Fails" : "Undecided",
                    ReportText.Rate(e.Stats), ReportText.Threshold(c.Pass))));
            }

            // Each case's view (its transcripts, cleaned) is made when the template reaches it and dropped after: the
            // page is written as it is rendered, so the views of every case are never held at once.
            // Each made by the thread that renders the case (CaseArticles), side by side with others.
            IEnumerable<Func<CaseView>> CaseViews(List<CaseResult> suiteCases, int number)
            {
                foreach (var c in suiteCases)
                {
                    var anchor = "case-" + (number++).ToString(Invariant);
                    yield return () =>
                    {
                        var view = Case(c, anchor);
                        if (c.Row is null && datasets.TryGetValue(c.Id, out var d))
                        {
                            // A dataset: its counts are rows; each row's own sample rate is listed under the table.
                            view = view with
                            {
                                Samples = ReportText.Plural(d.Rows.Count, "row") + " × " + ReportText.Plural(d.Samples, "sample") + " (a row holds at " + ReportText.Threshold(d.Pass) + " of its samples)",
                                Threshold = ReportText.Threshold(d.RowsPass) + " of rows",
                                RowRates = d.Expectations.Select((e, k) => ReportText.Clean(e.Display + ": " + ReportText.RowRates(result, d, k))).ToList(),
                            };
                        }
                        return view;
                    };
                }
            }

            var caseViews = CaseViews(cases, first);

            int Count(Standing standing) => cases.Count(c => c.Standing == standing);
            suites.Add(new SuiteView(
                "suite-" + suiteNumber.ToString(Invariant), ReportText.Clean(title), Key(cases.Max(c => c.Standing)),
                cases.Count, ReportText.Plural(cases.Count, "case"),
                Count(Standing.Fail), Count(Standing.Undecided), Count(Standing.Warn), Count(Standing.Pass), caseViews));
        }

        return new ReportView(
            Partial(VerdictModel(result.Verdict, failingMusts, undecidedMusts), result.Shard),
            failingMusts, undecidedMusts,
            expectations.Count(e => e.IsFailingShould),
            expectations.Count(e => e.IsRegression),
            result.Cases.Any(HasBaseline),
            result.Cases.Count,
            Models(result.Models),
            Time(result.Started), Time(result.Finished), Duration(result.Finished - result.Started),
            suites, blockers);
    }

    private static bool HasBaseline(CaseResult c) => c.Baseline is not null || c.Expectations.Any(e => e.Comparison is not null);

    /// <summary>The CSS class and <c>data-status</c> value of a standing.</summary>
    private static string Key(Standing standing) => standing switch
    {
        Standing.Fail => "fail",
        Standing.Undecided => "undecided",
        Standing.Warn => "warn",
        _ => "pass",
    };

    // A shard's samples decide nothing alone: its report says so, and whose verdict counts.
    private static VerdictView Partial(VerdictView verdict, string? shard) => shard is null ? verdict
        : verdict with { Title = "Shard " + shard + ": partial", Summary = "On this shard's samples alone: " + verdict.Title.ToLowerInvariant() + " — " + verdict.Summary + " evaldsl merge of every shard gives the run's verdict." };

    private static VerdictView VerdictModel(Verdict verdict, int failingMusts, int undecidedMusts) => verdict switch
    {
        Runtime.Verdict.Blocked => new("blocked", "Launch blocked",
            ReportText.Plural(failingMusts, "blocking expectation") + (failingMusts == 1 ? " fails" : " fail")
            + (undecidedMusts > 0 ? ", " + undecidedMusts.ToString(Invariant) + " undecided" : "") + "."),
        Runtime.Verdict.Incomplete => new("incomplete", "Incomplete",
            "Model errors left " + ReportText.Plural(undecidedMusts, "blocking expectation") + " undecided: no verdict."),
        Runtime.Verdict.Interrupted => new("interrupted", "Interrupted",
            "The run was stopped before its end: no verdict. Continue it with --resume."),
        _ => new("clear", "Clear", "Every blocking expectation holds."),
    };

    private static List<ModelView> Models(IReadOnlyDictionary<string, string> models) =>
        models.OrderBy(m => Rank(m.Key)).ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => new ModelView(ReportText.Clean(m.Key), ReportText.Clean(m.Value)))
            .ToList();

    private static int Rank(string name) => name switch { "target" => 0, "baseline" => 1, "judge" => 2, _ => 3 };

    private static CaseView Case(CaseResult c, string anchor)
    {
        var byIndex = new Dictionary<int, ExpectationResult>();
        foreach (var e in c.Expectations)
        {
            byIndex[e.Index] = e;
        }

        var standing = c.Standing;
        var runs = new List<RunView>();
        var runNumber = 0;
        AddRuns(runs, c.Target, "target", "Target", anchor, byIndex, ref runNumber);
        if (c.Baseline is not null)
        {
            AddRuns(runs, c.Baseline, "baseline", "Baseline", anchor, byIndex, ref runNumber);
        }

        return new CaseView(
            anchor, ReportText.Clean(c.DisplayTitle), ReportText.Clean(c.Id), ReportText.Clean(c.Location.ToString()),
            ReportText.Plural(c.Samples, "sample"), ReportText.Threshold(c.Pass), Key(standing),
            standing switch
            {
                Standing.Fail => "Blocks launch",
                Standing.Undecided => "Undecided",
                Standing.Warn => "Needs attention",
                _ => "Holds",
            },
            // The case's badge shows a blocking failure in red, a hold in green, everything else in amber.
            standing switch { Standing.Fail => "fail", Standing.Pass => "pass", _ => "warn" },
            HasBaseline(c),
            c.Expectations.Select(e => Expectation(e, c.Pass)).ToList(),
            runs);
    }

    private static ExpectationView Expectation(ExpectationResult e, double pass)
    {
        var s = e.Stats;
        // The badge says what the statistics say; a regression shows in the baseline columns, not on it.
        var (statusClass, statusLabel) = s.Status switch
        {
            ExpectationStatus.Holds => ("pass", "Holds"),
            ExpectationStatus.Fails => e.Blocking ? ("fail", "Fails") : ("warn", "Fails (tracking)"),
            ExpectationStatus.NotApplicable => ("na", "Not applicable"),
            _ => ("undecided", "Undecided"),
        };

        BaselineView? baseline = null;
        if (e.Comparison is { } cmp)
        {
            baseline = new BaselineView(
                ReportText.Rate(cmp.Baseline), ReportText.Counts(cmp.Baseline), ReportText.Interval(cmp.Baseline),
                ReportText.Delta(cmp.Delta),
                cmp.Delta is { } d ? (d < -0.0005 ? "down" : d > 0.0005 ? "up" : "flat") : "flat",
                ReportText.PValue(cmp.PValue), cmp.Regression);
        }

        return new ExpectationView(
            e.Index, ReportText.Clean(e.Display), ReportText.Clean(e.Location.ToString()), Kind(e),
            ReportText.Rate(s), ReportText.Counts(s), s.Errors, s.Errors > 0 ? ReportText.Plural(s.Errors, "error") : "",
            ReportText.Interval(s), ReportText.Threshold(pass), s.Passes + s.Fails > 0,
            Css(s.Rate ?? 0), Css(s.Lower), Css(Math.Max(0, Math.Min(1, s.Upper) - Math.Max(0, s.Lower))), Css(pass / 100),
            Key(e.Standing), statusLabel, statusClass, baseline)
        {
            NotApplicableLabel = s.NotApplicable > 0 ? ReportText.NotApplicableLine(s) : "",
            FlipLabel = e.Flip is { } flip ? ReportText.FlipLine(flip) : "",
            JudgeLabel = string.Join("; ", new[] { e.Calibration?.Describe(), e.Jury?.Describe() }.Where(t => t is not null)),
            Answers = ReportText.Answers(e) ?? "",
        };
    }

    private static string Kind(ExpectationResult e) => e.Blocking ? "must" : "should";

    private static void AddRuns(
        List<RunView> runs, IReadOnlyList<SampleResult> samples, string role, string roleLabel, string caseAnchor,
        IReadOnlyDictionary<int, ExpectationResult> byIndex, ref int runNumber)
    {
        foreach (var sample in samples)
        {
            foreach (var trial in sample.Trials)
            {
                runNumber++;
                var grades = new List<GradeView>();
                var fails = 0;
                var errors = 0;
                var passes = 0;
                var notApplicable = 0;
                foreach (var grade in sample.Grades)
                {
                    var owner = ReportText.TrialOf(sample, grade);
                    if (owner is not null && !ReferenceEquals(owner, trial))
                    {
                        continue;
                    }

                    switch (grade.Outcome)
                    {
                        case Outcome.Pass: passes++; break;
                        case Outcome.Fail: fails++; break;
                        case Outcome.NotApplicable: notApplicable++; break;
                        default: errors++; break;
                    }

                    byIndex.TryGetValue(grade.Expectation, out var e);
                    grades.Add(new GradeView(
                        e is null ? "expectation #" + grade.Expectation.ToString(Invariant) : ReportText.Clean(e.Display),
                        e is null ? "" : ReportText.Clean(e.Location.ToString()),
                        e is null ? "" : Kind(e),
                        grade.Outcome switch { Outcome.Pass => "pass", Outcome.Fail => "fail", Outcome.NotApplicable => "na", _ => "error" },
                        grade.Outcome switch { Outcome.Pass => "Pass", Outcome.Fail => "Fail", Outcome.NotApplicable => "Not applicable", _ => "Error" },
                        ReportText.Clean(grade.Reason),
                        owner is null && sample.Trials.Count > 1));
                }

                if (trial.Error is not null)
                {
                    errors++;
                }

                var messages = trial.Transcript.Select(m => Message(m, roleLabel)).ToList();

                var parts = new List<string>();
                if (fails > 0)
                {
                    parts.Add(fails.ToString(Invariant) + " failed");
                }

                if (errors > 0)
                {
                    parts.Add(ReportText.Plural(errors, "error"));
                }

                if (notApplicable > 0)
                {
                    parts.Add(notApplicable.ToString(Invariant) + " not applicable");
                }

                if (parts.Count == 0)
                {
                    parts.Add(passes > 0 ? "all passed" : "no grades");
                }

                var status = fails > 0 ? "fail" : errors > 0 ? "undecided" : "pass";
                runs.Add(new RunView(
                    caseAnchor + "-run-" + runNumber.ToString(Invariant), role, roleLabel,
                    (sample.Sample + 1).ToString(Invariant), ReportText.Clean(trial.Variant), status,
                    // The run's badge: red for a failed grade, green when all passed, amber for errors.
                    status == "undecided" ? "error" : status,
                    string.Join(", ", parts), trial.Error is null ? null : ReportText.Clean(trial.Error), messages, grades));
            }
        }
    }

    private static MessageView Message(TranscriptMessage m, string roleLabel)
    {
        var kind = m.Role.ToLowerInvariant() switch
        {
            "system" => "system",
            "user" => "user",
            "assistant" => m.Scripted ? "scripted" : "reply",
            _ => "other",
        };
        var label = kind switch
        {
            "system" => "System",
            "user" => "User",
            "scripted" => "Assistant \u00B7 scripted in the spec",
            "reply" => roleLabel + " model reply",
            _ => ReportText.Clean(m.Role),
        };
        return new MessageView(kind, label, ReportText.Clean(m.Text));
    }

    /// <summary>A 0–1 share as a CSS percentage, clamped.</summary>
    private static string Css(double share)
    {
        if (double.IsNaN(share))
        {
            share = 0;
        }

        share = Math.Max(0, Math.Min(1, share));
        return (share * 100).ToString("0.##", Invariant) + "%";
    }

    private static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'zzz", Invariant);

    private static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalHours >= 1)
        {
            return ((int)span.TotalHours).ToString(Invariant) + " h " + span.Minutes.ToString(Invariant) + " min";
        }

        if (span.TotalMinutes >= 1)
        {
            return ((int)span.TotalMinutes).ToString(Invariant) + " min " + span.Seconds.ToString(Invariant) + " s";
        }

        return span.TotalSeconds.ToString("0.#", Invariant) + " s";
    }
}
