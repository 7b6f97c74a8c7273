using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime;
using Spectre.Console;
using Spectre.Console.Rendering;
using SpectreText = Spectre.Console.Text;

namespace EvalDsl.Cli.Output;

/// <summary>What <c>evaldsl run</c> shows: the plan, a progress bar on an interactive terminal, then a table and the verdict.</summary>
internal sealed class RunConsole
{
    private readonly IAnsiConsole _out;
    private readonly TextWriter _error;
    private readonly bool _interactive;

    public RunConsole(TextWriter output, TextWriter error)
    {
        _error = error;
        _interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        _out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = _interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = _interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!_interactive) _out.Profile.Width = 140;
    }

    public void Start(EvalPlan plan, ModelBindings bindings, bool withBaseline, string? configNote)
    {
        var cases = plan.Cases.ToList();
        var samples = cases.Sum(c => c.Samples);
        _out.MarkupLine($"[bold]EvalDsl[/] {plan.Suites.Count} suite{S(plan.Suites.Count)}, {cases.Count} case{S(cases.Count)}, {samples} sample{S(samples)} on the target" +
                        (withBaseline ? $" and {samples} on the baseline" : ""));
        foreach (var pair in bindings.Describe()) _out.MarkupLine($"  {Markup.Escape(pair.Key),-9} {Markup.Escape(pair.Value)}");
        if (configNote is not null) _out.MarkupLine($"  [grey]({Markup.Escape(configNote)})[/]");
        _out.WriteLine();
    }

    /// <summary>Runs the work, with a live progress bar when the terminal is interactive.</summary>
    public RunResult Track(Func<IRunObserver, Task<RunResult>> run)
    {
        if (!_interactive) return run(new Counter(null)).GetAwaiter().GetResult();
        RunResult? result = null;
        _out.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("samples", maxValue: 1);
                result = run(new Counter(task)).GetAwaiter().GetResult();
            });
        return result!;
    }

    private sealed class Counter : IRunObserver
    {
        private readonly ProgressTask? _task;
        private int _done;

        public Counter(ProgressTask? task) => _task = task;

        public void Planned(int total, int alreadyDone)
        {
            _done = alreadyDone;
            if (_task is null) return;
            _task.MaxValue = Math.Max(1, total);
            _task.Value = alreadyDone;
            _task.Description = alreadyDone > 0 ? $"samples ({alreadyDone} resumed)" : "samples";
        }

        public void Finished(SampleResult sample)
        {
            var done = Interlocked.Increment(ref _done);
            if (_task is not null) _task.Value = done;
        }
    }

    public void Summary(RunResult result, string reportFolder, int liveCalls, int replayedCalls, int cachedCalls)
    {
        var withBaseline = result.Cases.Any(c => c.Baseline is not null);
        var table = new Table().Border(TableBorder.Simple).Expand();
        table.AddColumn("Case");
        table.AddColumn("Expectation");
        table.AddColumn(new TableColumn("Rate").RightAligned());
        table.AddColumn(new TableColumn("95% CI").RightAligned());
        table.AddColumn(new TableColumn("Need").RightAligned());
        if (withBaseline)
        {
            table.AddColumn(new TableColumn("Baseline").RightAligned());
            table.AddColumn(new TableColumn("Δ").RightAligned());
        }
        table.AddColumn("");

        foreach (var suite in result.Cases.GroupBy(c => c.Suite))
        {
            table.AddRow(new Markup($"[bold]{Markup.Escape(suite.Key)}[/]"));
            foreach (var @case in suite)
            {
                var first = true;
                foreach (var e in @case.Expectations)
                {
                    var cells = new System.Collections.Generic.List<IRenderable>
                    {
                        new SpectreText(first ? Clip(@case.DisplayTitle, 48) : ""),
                        new SpectreText(Clip(e.Display, 48)),
                        new SpectreText(Percent(e.Stats.Rate)),
                        new SpectreText($"{Percent(e.Stats.Lower)}–{Percent(e.Stats.Upper)}"),
                        new SpectreText(Percent(@case.Pass / 100)),
                    };
                    if (withBaseline)
                    {
                        cells.Add(new SpectreText(Percent(e.Comparison?.Baseline.Rate)));
                        cells.Add(new SpectreText(e.Comparison?.Delta is { } d ? (d * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) : "–"));
                    }
                    cells.Add(new Markup(Status(e)));
                    table.AddRow(cells);
                    first = false;
                }
            }
        }
        _out.Write(table);

        var blocking = result.Cases.SelectMany(c => c.Expectations.Select(e => (Case: c, E: e))).Where(x => x.E.Blocking).ToList();
        var failing = blocking.Where(x => x.E.Stats.Status == ExpectationStatus.Fails).ToList();
        var undecided = blocking.Where(x => x.E.Stats.Status == ExpectationStatus.Undecided).ToList();
        var shouldFail = result.Cases.SelectMany(c => c.Expectations).Count(e => !e.Blocking && e.Stats.Status == ExpectationStatus.Fails);
        var regressions = result.Cases.SelectMany(c => c.Expectations).Count(e => e.Comparison?.Regression == true);

        _out.WriteLine();
        foreach (var (c, e) in failing.Concat(undecided).Take(12))
        {
            var row = c.Row is { } r ? $" (row {r})" : "";
            _out.MarkupLine($"[red]{Markup.Escape(e.Location.ToString())}[/]{row}: {Markup.Escape(e.Display)} — {e.Stats.Passes}/{e.Stats.Passes + e.Stats.Fails} passed{(e.Stats.Errors > 0 ? $", {e.Stats.Errors} errors" : "")}, needs {Percent(c.Pass / 100)}");
            var grade = c.Target.SelectMany(s => s.Grades.Select(g => (s, g))).FirstOrDefault(x => x.g.Expectation == e.Index && x.g.Outcome != Outcome.Pass);
            if (grade.g is not null)
            {
                var reply = grade.s.Trials.FirstOrDefault(t => t.Variant == grade.g.Variant)?.Transcript.LastOrDefault(m => m.Role == "assistant" && !m.Scripted)?.Text;
                if (reply is not null) _out.MarkupLine($"    [grey]reply:[/] {Markup.Escape(Clip(OneLine(reply), 110))}");
                _out.MarkupLine($"    [grey]{(grade.g.Outcome == Outcome.Error ? "error" : "why")}:[/] {Markup.Escape(Clip(OneLine(grade.g.Reason), 110))}");
            }
        }
        if (failing.Count + undecided.Count > 12) _out.MarkupLine($"[grey]… and {failing.Count + undecided.Count - 12} more in the report[/]");

        var counts = $"{failing.Count} must failing, {undecided.Count} undecided, {shouldFail} should failing" + (withBaseline ? $", {regressions} regression{S(regressions)} against the baseline" : "");
        var verdict = result.Verdict switch
        {
            Verdict.Blocked => $"[bold white on red] LAUNCH BLOCKED [/] {counts}",
            Verdict.Incomplete => $"[bold black on yellow] INCOMPLETE [/] model failures left {undecided.Count} must undecided; {counts}",
            _ => $"[bold white on green] CLEAR [/] every must holds; {counts}",
        };
        _out.WriteLine();
        _out.MarkupLine(verdict);
        var seconds = (result.Finished - result.Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        _out.MarkupLine($"[grey]report: {Markup.Escape(Path.Combine(reportFolder, "report.html"))}  (ran in {seconds} s; model calls: {liveCalls} live, {replayedCalls} replayed, {cachedCalls} from the cache)[/]");
    }

    private static string Status(ExpectationResult e)
    {
        var regression = e.Comparison?.Regression == true ? " [red]regression[/]" : "";
        return e.Stats.Status switch
        {
            ExpectationStatus.Holds => "[green]holds[/]" + regression,
            ExpectationStatus.Fails => (e.Blocking ? "[red]FAILS[/]" : "[yellow]fails[/]") + regression,
            _ => "[yellow]undecided[/]" + regression,
        };
    }

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    private static string Clip(string text, int width) => text.Length <= width ? text : text.Substring(0, width - 1) + "…";

    private static string OneLine(string text) => string.Join(" ", text.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string S(int n) => n == 1 ? "" : "s";
}
