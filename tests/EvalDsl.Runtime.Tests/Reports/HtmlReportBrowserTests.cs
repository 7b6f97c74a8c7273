using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Runtime.Tests.Reports;

/// <summary>Opens report.html in a real headless Chromium and proves it renders, filters and logs no error.</summary>
public sealed class HtmlReportBrowserTests
{
    private const string Probe = """
        (() => {
          const visible = el => el.offsetParent !== null;
          const cases = Array.from(document.querySelectorAll('.case'));
          const before = cases.filter(visible).length;
          document.querySelector('input[data-filter-control="failing"]').click();
          const failing = cases.filter(visible).length;
          const filter = document.documentElement.getAttribute('data-filter');
          document.getElementById('expand-all').click();
          const opened = Array.from(document.querySelectorAll('details.run')).filter(d => d.open).length;
          document.getElementById('collapse-all').click();
          document.querySelector('input[data-filter-control="all"]').click();
          const after = cases.filter(visible).length;
          return JSON.stringify({
            verdict: document.querySelector('[data-verdict]').textContent,
            before, failing, filter, opened, after,
            scripts: document.scripts.length,
          });
        })()
        """;

    [Fact]
    public async Task Report_renders_in_headless_chromium_without_errors()
    {
        var executable = HeadlessChromium.ExecutablePath;
        Assert.True(File.Exists(executable),
            $"Chromium is required for this test and was not found at {executable}. "
            + "Install it with `apt-get install -y chromium` (.ci/setup does), or set EVALDSL_CHROMIUM to a Chromium/Chrome binary.");

        using var folder = new ReportFolder();
        // A guard against a hung browser, not a timing assertion.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;

        await using var browser = await HeadlessChromium.StartAsync(executable, ct);
        await using var page = await browser.ConnectToPageAsync(ct);

        await page.SendAsync("Runtime.enable", null, ct);
        await page.SendAsync("Log.enable", null, ct);
        await page.SendAsync("Page.enable", null, ct);
        var loaded = page.NextEventAsync("Page.loadEventFired", ct);
        var navigation = await page.SendAsync("Page.navigate", new { url = new Uri(folder.Html).AbsoluteUri }, ct);
        Assert.False(navigation.TryGetProperty("errorText", out var navigationError), "navigation failed: " + navigationError);
        await loaded;

        var evaluation = await page.SendAsync("Runtime.evaluate", new { expression = Probe, returnByValue = true }, ct);
        Assert.False(evaluation.TryGetProperty("exceptionDetails", out var exception), "the probe threw: " + exception);
        using var probe = JsonDocument.Parse(evaluation.GetProperty("result").GetProperty("value").GetString()!);
        var p = probe.RootElement;

        // A round trip after the clicks, so every event they caused has arrived.
        await page.SendAsync("Runtime.evaluate", new { expression = "1" }, ct);

        var problems = Problems(page.Events);
        Assert.True(problems.Count == 0, "the page reported errors:\n" + string.Join("\n", problems));

        Assert.Equal("Launch blocked", p.GetProperty("verdict").GetString());
        Assert.Equal(1, p.GetProperty("scripts").GetInt32());
        Assert.Equal(6, p.GetProperty("before").GetInt32());
        Assert.Equal("failing", p.GetProperty("filter").GetString());
        Assert.Equal(2, p.GetProperty("failing").GetInt32()); // the blocked case and the undecided one
        Assert.True(p.GetProperty("opened").GetInt32() > 0, "expand-all opened no transcript");
        Assert.Equal(6, p.GetProperty("after").GetInt32());
    }

    /// <summary>Uncaught exceptions, console errors, error log entries (CSP violations land here) and dialogs (an injected alert).</summary>
    private static List<string> Problems(IReadOnlyList<CdpEvent> events)
    {
        var problems = new List<string>();
        foreach (var e in events)
        {
            switch (e.Method)
            {
                case "Runtime.exceptionThrown":
                case "Page.javascriptDialogOpening":
                    problems.Add(e.ToString());
                    break;
                case "Runtime.consoleAPICalled" when e.Params.GetProperty("type").GetString() is "error" or "assert":
                    problems.Add(e.ToString());
                    break;
                case "Log.entryAdded" when e.Params.GetProperty("entry").GetProperty("level").GetString() == "error":
                    problems.Add(e.ToString());
                    break;
            }
        }

        return problems;
    }
}
