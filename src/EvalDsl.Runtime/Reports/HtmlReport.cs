using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Scriban;
using Scriban.Runtime;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// <c>report.html</c>: one self-contained page (inline CSS and JS, no external reference) that puts the
/// verdict first, then per suite and case the expectations with their statistics and every transcript.
/// Rendered from the embedded Scriban template <c>report.sbnhtml</c>; every text that comes from a result is
/// cleaned here (<see cref="ReportText.Clean"/>) and HTML-escaped by the template.
/// </summary>
internal static class HtmlReport
{
    /// <summary>The file name <c>evaldsl run --report DIR</c> writes.</summary>
    public const string FileName = "report.html";

    private const string TemplateResource = "EvalDsl.Runtime.report.sbnhtml";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly Lazy<Template> CompiledTemplate = new(LoadTemplate);

    /// <summary>Writes the HTML report of <paramref name="result"/> to <paramref name="path"/> (UTF-8), replacing the file.</summary>
    public static void Write(RunResult result, string path)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var html = Render(result);
        ReportText.WriteAtomically(path, stream =>
        {
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html);
            stream.Write(bytes, 0, bytes.Length);
        });
    }

    /// <summary>Renders the HTML report of <paramref name="result"/>.</summary>
    public static string Render(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var globals = BuildModel(result);
        globals.Import("csp_hash", new Func<string, string>(CspHash));

        var context = new TemplateContext
        {
            StrictVariables = true,
            LoopLimit = 0,
            RecursiveLimit = 0,
            LimitToString = 0,
            OutputLimit = 0,
            NewLine = "\n",
            MemberRenamer = m => m.Name,
        };
        context.PushCulture(Invariant);
        context.PushGlobal(globals);
        return CompiledTemplate.Value.Render(context);
    }

    /// <summary>The Content-Security-Policy source that allows exactly this inline script.</summary>
    private static string CspHash(string script) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

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

    private static ScriptObject BuildModel(RunResult result)
    {
        var expectations = result.Cases.SelectMany(c => c.Expectations).ToList();
        var failingMusts = expectations.Count(e => e.Blocking && e.Stats.Status == ExpectationStatus.Fails);
        var undecidedMusts = expectations.Count(e => e.Blocking && e.Stats.Status == ExpectationStatus.Undecided);
        var failingShoulds = expectations.Count(e => !e.Blocking && e.Stats.Status == ExpectationStatus.Fails);
        var undecidedShoulds = expectations.Count(e => !e.Blocking && e.Stats.Status == ExpectationStatus.Undecided);
        var regressions = expectations.Count(e => e.Comparison is { Regression: true });

        var root = new ScriptObject
        {
            ["verdict"] = VerdictModel(result.Verdict, failingMusts, undecidedMusts),
            ["failing_musts"] = failingMusts,
            ["undecided_musts"] = undecidedMusts,
            ["failing_shoulds"] = failingShoulds,
            ["undecided_shoulds"] = undecidedShoulds,
            ["regressions"] = regressions,
            ["has_baseline"] = result.Cases.Any(c => c.Baseline is not null || c.Expectations.Any(e => e.Comparison is not null)),
            ["case_count"] = result.Cases.Count,
            ["models"] = Models(result.Models),
            ["started"] = Time(result.Started),
            ["finished"] = Time(result.Finished),
            ["duration"] = Duration(result.Finished - result.Started),
        };

        var suites = new ScriptArray();
        var blockers = new ScriptArray();
        var caseNumber = 0;
        var suiteNumber = 0;
        foreach (var (title, cases) in ReportText.Suites(result))
        {
            suiteNumber++;
            var caseModels = new ScriptArray();
            var failingCases = 0;
            var undecidedCases = 0;
            var warningCases = 0;
            foreach (var c in cases)
            {
                caseNumber++;
                var anchor = "case-" + caseNumber.ToString(Invariant);
                var model = Case(c, anchor);
                caseModels.Add(model);
                switch (CaseStatus(c))
                {
                    case "fail": failingCases++; break;
                    case "undecided": undecidedCases++; break;
                    case "warn": warningCases++; break;
                }

                foreach (var e in c.Expectations.Where(e => e.Blocking && e.Stats.Status != ExpectationStatus.Holds))
                {
                    blockers.Add(new ScriptObject
                    {
                        ["anchor"] = anchor,
                        ["suite"] = ReportText.Clean(c.Suite),
                        ["case_name"] = ReportText.Clean(ReportText.CaseName(c)),
                        ["display"] = ReportText.Clean(e.Display),
                        ["location"] = ReportText.Clean(e.Location.ToString()),
                        ["status"] = e.Stats.Status == ExpectationStatus.Fails ? "fail" : "undecided",
                        ["status_label"] = e.Stats.Status == ExpectationStatus.Fails ? "Fails" : "Undecided",
                        ["rate"] = ReportText.Rate(e.Stats),
                        ["threshold"] = ReportText.Threshold(c.Pass),
                    });
                }
            }

            var status = failingCases > 0 ? "fail" : undecidedCases > 0 ? "undecided" : warningCases > 0 ? "warn" : "pass";
            suites.Add(new ScriptObject
            {
                ["anchor"] = "suite-" + suiteNumber.ToString(Invariant),
                ["title"] = ReportText.Clean(title),
                ["status"] = status,
                ["case_count"] = cases.Count,
                ["cases_label"] = ReportText.Plural(cases.Count, "case"),
                ["failing_cases"] = failingCases,
                ["undecided_cases"] = undecidedCases,
                ["warning_cases"] = warningCases,
                ["passing_cases"] = cases.Count - failingCases - undecidedCases - warningCases,
                ["cases"] = caseModels,
            });
        }

        root["suites"] = suites;
        root["blockers"] = blockers;
        return root;
    }

    private static ScriptObject VerdictModel(Verdict verdict, int failingMusts, int undecidedMusts)
    {
        var (key, title, summary) = verdict switch
        {
            Runtime.Verdict.Blocked => ("blocked", "Launch blocked",
                ReportText.Plural(failingMusts, "blocking expectation") + (failingMusts == 1 ? " fails" : " fail")
                + (undecidedMusts > 0 ? ", " + undecidedMusts.ToString(Invariant) + " undecided" : "") + "."),
            Runtime.Verdict.Incomplete => ("incomplete", "Incomplete",
                "Model errors left " + ReportText.Plural(undecidedMusts, "blocking expectation") + " undecided: no verdict."),
            Runtime.Verdict.Interrupted => ("interrupted", "Interrupted",
                "The run was stopped before its end: no verdict. Continue it with --resume."),
            _ => ("clear", "Clear", "Every blocking expectation holds."),
        };
        return new ScriptObject { ["key"] = key, ["title"] = title, ["summary"] = summary };
    }

    private static ScriptArray Models(IReadOnlyDictionary<string, string> models)
    {
        var array = new ScriptArray();
        foreach (var m in models.OrderBy(m => Rank(m.Key)).ThenBy(m => m.Key, StringComparer.Ordinal))
        {
            array.Add(new ScriptObject { ["name"] = ReportText.Clean(m.Key), ["reference"] = ReportText.Clean(m.Value) });
        }

        return array;

        static int Rank(string name) => name switch { "target" => 0, "baseline" => 1, "judge" => 2, _ => 3 };
    }

    private static ScriptObject Case(CaseResult c, string anchor)
    {
        var byIndex = new Dictionary<int, ExpectationResult>();
        foreach (var e in c.Expectations)
        {
            byIndex[e.Index] = e;
        }

        var expectations = new ScriptArray();
        foreach (var e in c.Expectations)
        {
            expectations.Add(Expectation(e, c.Pass));
        }

        var status = CaseStatus(c);
        var statusLabel = status switch
        {
            "fail" => "Blocks launch",
            "undecided" => "Undecided",
            "warn" => "Needs attention",
            _ => "Holds",
        };

        var runs = new ScriptArray();
        var runNumber = 0;
        AddRuns(runs, c.Target, "target", "Target", anchor, byIndex, ref runNumber);
        if (c.Baseline is not null)
        {
            AddRuns(runs, c.Baseline, "baseline", "Baseline", anchor, byIndex, ref runNumber);
        }

        return new ScriptObject
        {
            ["anchor"] = anchor,
            ["name"] = ReportText.Clean(ReportText.CaseName(c)),
            ["id"] = ReportText.Clean(c.Id),
            ["location"] = ReportText.Clean(c.Location.ToString()),
            ["samples"] = ReportText.Plural(c.Samples, "sample"),
            ["threshold"] = ReportText.Threshold(c.Pass),
            ["status"] = status,
            ["status_label"] = statusLabel,
            ["has_baseline"] = c.Baseline is not null || c.Expectations.Any(e => e.Comparison is not null),
            ["expectations"] = expectations,
            ["runs"] = runs,
        };
    }

    /// <summary>fail (a must fails), undecided (a must is undecided), warn (a should misses or a regression), or pass.</summary>
    private static string CaseStatus(CaseResult c) =>
        c.Expectations.Any(e => e.Blocking && e.Stats.Status == ExpectationStatus.Fails) ? "fail"
        : c.Expectations.Any(e => e.Blocking && e.Stats.Status == ExpectationStatus.Undecided) ? "undecided"
        : c.Expectations.Any(e => !e.Blocking && e.Stats.Status != ExpectationStatus.Holds)
          || c.Expectations.Any(e => e.Comparison is { Regression: true }) ? "warn"
        : "pass";

    private static ScriptObject Expectation(ExpectationResult e, double pass)
    {
        var s = e.Stats;
        var decided = s.Passes + s.Fails > 0;
        var status = s.Status switch
        {
            ExpectationStatus.Holds => e.Comparison is { Regression: true } ? "warn" : "pass",
            ExpectationStatus.Fails => e.Blocking ? "fail" : "warn",
            _ => e.Blocking ? "undecided" : "warn",
        };
        var statusLabel = s.Status switch
        {
            ExpectationStatus.Holds => "Holds",
            ExpectationStatus.Fails => e.Blocking ? "Fails" : "Fails (tracking)",
            _ => "Undecided",
        };
        var statusClass = s.Status switch
        {
            ExpectationStatus.Holds => "pass",
            ExpectationStatus.Fails => e.Blocking ? "fail" : "warn",
            _ => "undecided",
        };

        ScriptObject? baseline = null;
        if (e.Comparison is { } cmp)
        {
            baseline = new ScriptObject
            {
                ["rate"] = ReportText.Rate(cmp.Baseline),
                ["counts"] = ReportText.Counts(cmp.Baseline),
                ["interval"] = ReportText.Interval(cmp.Baseline),
                ["delta"] = ReportText.Delta(cmp.Delta),
                ["delta_sign"] = cmp.Delta is { } d ? (d < -0.0005 ? "down" : d > 0.0005 ? "up" : "flat") : "flat",
                ["p_value"] = ReportText.PValue(cmp.PValue),
                ["regression"] = cmp.Regression,
            };
        }

        return new ScriptObject
        {
            ["index"] = e.Index,
            ["display"] = ReportText.Clean(e.Display),
            ["location"] = ReportText.Clean(e.Location.ToString()),
            ["kind"] = e.Blocking ? "must" : "should",
            ["rate"] = ReportText.Rate(s),
            ["counts"] = ReportText.Counts(s),
            ["errors"] = s.Errors,
            ["errors_label"] = s.Errors > 0 ? ReportText.Plural(s.Errors, "error") : "",
            ["interval"] = ReportText.Interval(s),
            ["threshold"] = ReportText.Threshold(pass),
            ["decided"] = decided,
            ["bar_rate"] = Css(s.Rate ?? 0),
            ["bar_low"] = Css(s.Lower),
            ["bar_width"] = Css(Math.Max(0, Math.Min(1, s.Upper) - Math.Max(0, s.Lower))),
            ["bar_threshold"] = Css(pass / 100),
            ["status"] = status,
            ["status_label"] = statusLabel,
            ["status_class"] = statusClass,
            ["baseline"] = baseline,
        };
    }

    private static void AddRuns(
        ScriptArray runs, IReadOnlyList<SampleResult> samples, string role, string roleLabel, string caseAnchor,
        IReadOnlyDictionary<int, ExpectationResult> byIndex, ref int runNumber)
    {
        foreach (var sample in samples)
        {
            foreach (var trial in sample.Trials)
            {
                runNumber++;
                var grades = new ScriptArray();
                var fails = 0;
                var errors = 0;
                var passes = 0;
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
                        default: errors++; break;
                    }

                    byIndex.TryGetValue(grade.Expectation, out var e);
                    grades.Add(new ScriptObject
                    {
                        ["display"] = e is null ? "expectation #" + grade.Expectation.ToString(Invariant) : ReportText.Clean(e.Display),
                        ["location"] = e is null ? "" : ReportText.Clean(e.Location.ToString()),
                        ["kind"] = e is null ? "" : e.Blocking ? "must" : "should",
                        ["outcome"] = grade.Outcome switch { Outcome.Pass => "pass", Outcome.Fail => "fail", _ => "error" },
                        ["outcome_label"] = grade.Outcome switch { Outcome.Pass => "Pass", Outcome.Fail => "Fail", _ => "Error" },
                        ["reason"] = ReportText.Clean(grade.Reason),
                        ["across_variants"] = owner is null && sample.Trials.Count > 1,
                    });
                }

                if (trial.Error is not null)
                {
                    errors++;
                }

                var messages = new ScriptArray();
                foreach (var m in trial.Transcript)
                {
                    var kind = m.Role.ToLowerInvariant() switch
                    {
                        "system" => "system",
                        "user" => "user",
                        "assistant" => m.Scripted ? "scripted" : "reply",
                        _ => "other",
                    };
                    messages.Add(new ScriptObject
                    {
                        ["kind"] = kind,
                        ["label"] = kind switch
                        {
                            "system" => "System",
                            "user" => "User",
                            "scripted" => "Assistant \u00B7 scripted in the spec",
                            "reply" => roleLabel + " model reply",
                            _ => ReportText.Clean(m.Role),
                        },
                        ["text"] = ReportText.Clean(m.Text),
                    });
                }

                var parts = new List<string>();
                if (fails > 0)
                {
                    parts.Add(fails.ToString(Invariant) + " failed");
                }

                if (errors > 0)
                {
                    parts.Add(ReportText.Plural(errors, "error"));
                }

                if (parts.Count == 0)
                {
                    parts.Add(passes > 0 ? "all passed" : "no grades");
                }

                runs.Add(new ScriptObject
                {
                    ["anchor"] = caseAnchor + "-run-" + runNumber.ToString(Invariant),
                    ["role"] = role,
                    ["role_label"] = roleLabel,
                    ["sample"] = (sample.Sample + 1).ToString(Invariant),
                    ["variant"] = ReportText.Clean(trial.Variant),
                    ["status"] = fails > 0 ? "fail" : errors > 0 ? "undecided" : "pass",
                    ["outcome_summary"] = string.Join(", ", parts),
                    ["error"] = trial.Error is null ? null : ReportText.Clean(trial.Error),
                    ["messages"] = messages,
                    ["grades"] = grades,
                });
            }
        }
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
