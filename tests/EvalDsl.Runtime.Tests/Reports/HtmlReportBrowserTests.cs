using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using EvalDsl.Testing;
using PuppeteerSharp;

namespace EvalDsl.Runtime.Tests.Reports;

/// <summary>Opens report.html in a real headless Chromium (driven by PuppeteerSharp) and proves it renders, filters and logs no error.</summary>
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

    /// <summary>A guard against a hung browser, not a timing assertion: every step of the test has this long.</summary>
    private static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Report_renders_in_headless_chromium_without_errors()
    {
        var executable = FindChromium(out var looked);
        Assert.True(executable is not null,
            $"Chromium is required for this test and was not found ({looked}). "
            + "Install it with `apt-get install -y chromium` (.ci/setup does), or set EVALDSL_CHROMIUM to a Chromium/Chrome binary.");

        using var folder = new ReportFolder();
        using var profile = new TempFolder();
        var deadline = (int)StepDeadline.TotalMilliseconds;
        await using var browser = await Deadline.WithinAsync(Puppeteer.LaunchAsync(new LaunchOptions
        {
            // The system's browser, never a downloaded one.
            ExecutablePath = executable,
            Headless = true,
            UserDataDir = profile.Path,
            // No sandbox: CI runs as root, where Chromium refuses to start with one.
            Args = new[] { "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic" },
            Timeout = deadline,
            ProtocolTimeout = deadline,
        }), StepDeadline, "Chromium to start");
        await using var page = await Deadline.WithinAsync(browser.NewPageAsync(), StepDeadline, "a new page");
        page.DefaultTimeout = deadline;

        var problems = new List<string>();
        void Problem(string text)
        {
            lock (problems) problems.Add(text);
        }

        page.PageError += (_, e) => Problem("uncaught exception: " + e.Message);
        // Console errors and asserts, and error log entries (CSP violations land here): Puppeteer reports both as console messages.
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Assert) Problem($"console {e.Message.Type}: {e.Message.Text} ({e.Message.Location?.URL}:{e.Message.Location?.LineNumber})");
        };
        // A dialog (an injected alert) is a problem; it is dismissed so that the page goes on.
        page.Dialog += (_, e) =>
        {
            Problem($"dialog {e.Dialog.DialogType}: {e.Dialog.Message}");
            _ = e.Dialog.Dismiss();
        };

        var response = await Deadline.WithinAsync(
            page.GoToAsync(new Uri(folder.Html).AbsoluteUri, new NavigationOptions { Timeout = deadline, WaitUntil = new[] { WaitUntilNavigation.Load } }),
            StepDeadline, "report.html to load");
        Assert.True(response is null || response.Ok, $"navigation failed: {response?.Status}");

        var json = await Deadline.WithinAsync(page.EvaluateExpressionAsync<string>(Probe), StepDeadline, "the probe");
        using var probe = JsonDocument.Parse(json);
        var p = probe.RootElement;

        // A round trip after the clicks, so every event they caused has arrived.
        await Deadline.WithinAsync(page.EvaluateExpressionAsync<int>("1"), StepDeadline, "a round trip to the page");

        lock (problems) Assert.True(problems.Count == 0, "the page reported errors:\n" + string.Join("\n", problems));

        Assert.Equal("Launch blocked", p.GetProperty("verdict").GetString());
        Assert.Equal(1, p.GetProperty("scripts").GetInt32());
        Assert.Equal(6, p.GetProperty("before").GetInt32());
        Assert.Equal("failing", p.GetProperty("filter").GetString());
        Assert.Equal(2, p.GetProperty("failing").GetInt32()); // the blocked case and the undecided one
        Assert.True(p.GetProperty("opened").GetInt32() > 0, "expand-all opened no transcript");
        Assert.Equal(6, p.GetProperty("after").GetInt32());
    }

    /// <summary>The browser: <c>EVALDSL_CHROMIUM</c> when set, else <c>chromium</c> on PATH (Debian's package), else null.</summary>
    private static string? FindChromium(out string looked)
    {
        if (Environment.GetEnvironmentVariable("EVALDSL_CHROMIUM") is { Length: > 0 } configured)
        {
            looked = "EVALDSL_CHROMIUM names " + configured;
            return File.Exists(configured) ? configured : null;
        }

        looked = "no chromium on PATH";
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "chromium"))
            .FirstOrDefault(File.Exists);
    }
}
