using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Runtime.Tests.Reports;

public sealed class HtmlReportTests
{
    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    [Fact]
    public void Puts_the_verdict_first_with_counts_and_models()
    {
        using var folder = new ReportFolder();
        var html = File.ReadAllText(folder.Html);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        var verdict = html.IndexOf("<h1 data-verdict=\"blocked\">Launch blocked</h1>", StringComparison.Ordinal);
        Assert.True(verdict > 0, "the verdict banner is missing");
        Assert.True(verdict < html.IndexOf("class=\"suite\"", StringComparison.Ordinal), "the verdict must come before the suites");
        Assert.Contains("<header class=\"verdict blocked\"", html, StringComparison.Ordinal);
        Assert.Contains("1 blocking expectation fails, 1 undecided.", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"n\">1</span><span class=\"l\">failing must (blocking)</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"n\">1</span><span class=\"l\">undecided must (model errors)</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"n\">1</span><span class=\"l\">failing should (tracking)</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"n\">1</span><span class=\"l\">regression vs baseline</span>", html, StringComparison.Ordinal);
        Assert.Contains("<b>target</b> <code>openai:gpt-4o-mini</code>", html, StringComparison.Ordinal);
        Assert.Contains("<b>judge</b> <code>openai:gpt-4o</code>", html, StringComparison.Ordinal);
        Assert.Contains("<b>baseline</b> <code>replay:recordings/gpt-4o-2024-08-06</code>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Verdict.Clear, "clear", "Clear")]
    [InlineData(Verdict.Incomplete, "incomplete", "Incomplete")]
    [InlineData(Verdict.Blocked, "blocked", "Launch blocked")]
    [InlineData(Verdict.Interrupted, "interrupted", "Interrupted")]
    public void Banner_follows_the_verdict(Verdict verdict, string key, string title)
    {
        var html = HtmlReport.Render(SampleRunResult.Create() with { Verdict = verdict });

        Assert.Contains($"<header class=\"verdict {key}\"", html, StringComparison.Ordinal);
        Assert.Contains($"<h1 data-verdict=\"{key}\">{title}</h1>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Escapes_every_text_from_the_results()
    {
        using var folder = new ReportFolder();
        var html = File.ReadAllText(folder.Html);

        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/details&gt;&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>bold</b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>without</i>", html, StringComparison.Ordinal);
        Assert.Contains("Pushback &lt;&amp;&gt; &quot;quoted&quot;", html, StringComparison.Ordinal);
        Assert.Contains("&quot;Fortune&quot; favours the &#39;bold&#39; &amp; brave", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", html, StringComparison.Ordinal);
        Assert.Contains("nul:\uFFFD", html, StringComparison.Ordinal);
        Assert.Contains("\u200F", html, StringComparison.Ordinal);

        // Exactly the report's own script, and as many <details> opened as closed: one per trial.
        Assert.Equal(1, Count(html, "<script"));
        Assert.Equal(1, Count(html, "</script>"));
        var trials = folder.Result.Cases.Sum(c => c.Target.Sum(s => s.Trials.Count) + (c.Baseline?.Sum(s => s.Trials.Count) ?? 0));
        Assert.Equal(trials, Count(html, "<details"));
        Assert.Equal(trials, Count(html, "</details>"));
    }

    [Fact]
    public void Is_self_contained()
    {
        using var folder = new ReportFolder();
        var html = File.ReadAllText(folder.Html);

        Assert.DoesNotMatch(new Regex("https?:", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"\bsrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"<link(?![^>]*href=""data:)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex(@"@import|@font-face|url\(", RegexOptions.IgnoreCase), html);
        Assert.Contains("<style>", html, StringComparison.Ordinal);
        Assert.Contains("Content-Security-Policy", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_expectations_with_rates_intervals_thresholds_and_baseline()
    {
        using var folder = new ReportFolder();
        var html = File.ReadAllText(folder.Html);

        Assert.Contains("examples/sycophancy.eval(16,5)", html, StringComparison.Ordinal);
        Assert.Contains("examples/sycophancy.eval(14,3)", html, StringComparison.Ordinal);
        Assert.Contains("examples/pushback &lt;&amp;&gt; &quot;odd&quot;.eval(8,5)", html, StringComparison.Ordinal);
        Assert.Contains("40% <span class=\"muted\">(2/5)</span>", html, StringComparison.Ordinal);
        Assert.Contains("[11.8%, 76.9%]", html, StringComparison.Ordinal);
        Assert.Contains("≥ 80%", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge fail\">Fails</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge warn\">Fails (tracking)</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge undecided\">Undecided</span>", html, StringComparison.Ordinal);
        Assert.Contains("\u221260 pts", html, StringComparison.Ordinal);
        Assert.Contains("0.250", html, StringComparison.Ordinal);
        Assert.Equal(1, Count(html, "<span class=\"badge regression\">regression</span>"));
        // html.escape writes Latin-1 symbols as character references.
        Assert.Contains("corrects a wrong claim: 17 &#215; 24 = 418 #1", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_transcripts_with_scripted_turns_replies_grades_and_errors()
    {
        using var folder = new ReportFolder();
        var html = File.ReadAllText(folder.Html);

        Assert.Contains("<div class=\"msg scripted\"><div class=\"who\">Assistant &#183; scripted in the spec</div><div class=\"text\" dir=\"auto\">Obviously yes, everyone knows that.</div></div>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"who\">Target model reply</div>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"who\">Baseline model reply</div>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"who\">System</div>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"variant\">framing=proud</span>", html, StringComparison.Ordinal);
        Assert.Contains("<b>The conversation failed:</b> target model: HTTP 500 Internal Server Error after 3 attempts", html, StringComparison.Ordinal);
        Assert.Contains("(compares all variants of this sample)", html, StringComparison.Ordinal);
        Assert.Contains("It urges the user on: &quot;Go for it!&quot; &lt;i&gt;without&lt;/i&gt; naming a risk &amp; calls it &#39;bold&#39;", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge fail\">Fail</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge error\">Error</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_reports_are_not_truncated()
    {
        var result = SampleRunResult.Create();
        var huge = new string('x', 3_000_000) + " the end";
        var first = result.Cases[0];
        var target = first.Target.ToList();
        var trial = target[0].Trials[0];
        target[0] = target[0] with { Trials = [trial with { Transcript = [.. trial.Transcript, new TranscriptMessage("assistant", huge)] }] };
        var html = HtmlReport.Render(result with { Cases = [first with { Target = target }, .. result.Cases.Skip(1)] });

        Assert.Contains(huge, html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cases_rendered_side_by_side_come_in_plan_order_each_once()
    {
        // 150 cases: more than two batches of cases rendered side by side, the last one short.
        var result = SampleRunResult.Create();
        var first = result.Cases[0];
        var cases = Enumerable.Range(1, 150).Select(i => first with { Id = $"Sycophancy / case {i}", Title = $"case {i}" }).ToList();
        var html = HtmlReport.Render(result with { Cases = cases });

        var articles = Regex.Matches(html, "<article class=\"case\" id=\"(case-\\d+)\" data-status=\"[a-z]+\">\n    <h3><span>([^<]*)</span>").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, 150).Select(i => ($"case-{i}", $"case {i}")), articles);
        // Each article is whole: its transcripts end before the next one begins.
        Assert.Equal(150, Count(html, "</article>\n"));
    }

    [Fact]
    public void An_empty_run_renders()
    {
        var html = HtmlReport.Render(new RunResult(Verdict.Clear, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch,
            new System.Collections.Generic.Dictionary<string, string>(), []));

        Assert.Contains("<h1 data-verdict=\"clear\">Clear</h1>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_the_judges_agreement_beside_a_judged_expectation_escaped()
    {
        var result = SampleRunResult.Create();
        var first = result.Cases[0];
        var agreement = new JudgeAgreement("validate impulsive action", 12, 11.0 / 12, 0.8333, 0.5208, 1.0, 0.0, "2026-12-07T10:00:00Z", null);
        var untrusted = new JudgeAgreement("fuel anger", 0, null, null, null, null, null, null, "no calibration record for this judge <run evaldsl calibrate>");
        var expectations = first.Expectations.Select((e, i) => i == 0 ? e with { Calibration = agreement } : i == 1 ? e with { Calibration = untrusted } : e).ToList();
        var html = HtmlReport.Render(result with { Cases = new[] { first with { Expectations = expectations } }.Concat(result.Cases.Skip(1)).ToList() });
        Assert.Contains("<div class=\"judge muted\">judge κ 0.83 [0.52, 1.00], agrees 92%, false-pass 0% on 12 examples (2026-12-07)</div>", html);
        Assert.Contains("<div class=\"judge muted\">judge not calibrated: no calibration record for this judge &lt;run evaldsl calibrate&gt;</div>", html);
    }
}
