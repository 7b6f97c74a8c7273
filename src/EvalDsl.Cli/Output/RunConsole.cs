using System;
using System.Collections.Generic;
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
    private readonly TextWriter _plain;
    private readonly TextWriter _error;
    private readonly bool _interactive;

    public RunConsole(TextWriter output, TextWriter error)
    {
        _error = error;
        _plain = output;
        _interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        _out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = _interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = _interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = _interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        // Not a terminal (CI, a pipe, a file): no padding to a made-up width; COLUMNS when the caller sets it, else 80.
        if (!_interactive) _out.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns >= 40 ? columns : 80;
        _width = Math.Max(40, _out.Profile.Width);
    }

    private readonly int _width;
    private readonly object _gate = new();

    public void Start(EvalPlan plan, ModelBindings bindings, bool withBaseline, string? configNote)
    {
        var cases = plan.Cases.ToList();
        var samples = cases.Sum(c => c.Samples);
        _out.MarkupLine($"[bold]EvalDsl[/] {plan.Suites.Count} suite{S(plan.Suites.Count)}, {cases.Count} case{S(cases.Count)}, {samples} sample{S(samples)} on the target" +
                        (withBaseline ? $" and {samples} on the baseline" : ""));
        foreach (var pair in bindings.Describe()) _out.MarkupLine($"  {Markup.Escape(Safe(pair.Key)),-9} {Markup.Escape(Safe(pair.Value))}");
        if (configNote is not null) _out.MarkupLine($"  [grey]({Markup.Escape(Safe(configNote))})[/]");
        _out.WriteLine();
    }

    /// <summary>Runs the work, with a live progress bar when the terminal is interactive.</summary>
    /// <param name="run">The run, given the observer to tell.</param>
    /// <param name="status">The state of the calls (adaptive limits, batches), added to the progress line when not empty.</param>
    public RunResult Track(Func<IRunObserver, Task<RunResult>> run, Func<string>? status = null)
    {
        if (!_interactive)
        {
            // No progress bar off a terminal, but a line every few seconds: a CI log must show the run is alive.
            using var counter = new Counter(null, this, ProgressInterval()) { Status = status };
            return run(counter).GetAwaiter().GetResult();
        }
        RunResult? result = null;
        _out.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("samples", maxValue: 1);
                using var counter = new Counter(task, null, null) { Status = status };
                result = run(counter).GetAwaiter().GetResult();
            });
        return result!;
    }

    // EVALDSL_PROGRESS_SECONDS: how often a run that is not on a terminal prints a progress line (default 5; 0: at every sample).
    private static TimeSpan ProgressInterval() =>
        double.TryParse(Environment.GetEnvironmentVariable("EVALDSL_PROGRESS_SECONDS"), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(5);

    private void Line(string markup)
    {
        lock (_gate) _out.MarkupLine(markup);
    }

    private sealed class Counter : IRunObserver, IDisposable
    {
        private readonly ProgressTask? _task;
        private readonly RunConsole? _lines;
        private readonly TimeSpan? _interval;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private Timer? _timer;
        private int _done;
        private int _total = -1;
        private int _shown = -1;

        public Counter(ProgressTask? task, RunConsole? lines, TimeSpan? interval)
        {
            _task = task;
            _lines = lines;
            _interval = interval;
        }

        /// <summary>The state of the calls, shown after the count when not empty.</summary>
        public Func<string>? Status { get; init; }

        private string Suffix()
        {
            var status = Status?.Invoke();
            return string.IsNullOrEmpty(status) ? "" : ", " + status;
        }

        public void Planned(int total, int alreadyDone)
        {
            _done = alreadyDone;
            Volatile.Write(ref _total, total);
            if (_lines is not null && _interval is { } every && every > TimeSpan.Zero) _timer = new Timer(_ => Report(), null, every, every);
            if (_task is null) return;
            _task.MaxValue = Math.Max(1, total);
            _task.Value = alreadyDone;
            _task.Description = alreadyDone > 0 ? $"samples ({alreadyDone} resumed)" : "samples";
        }

        public void Finished(SampleResult sample)
        {
            var done = Interlocked.Increment(ref _done);
            if (_task is not null)
            {
                _task.Value = done;
                if (Status is not null) _task.Description = Markup.Escape("samples" + Suffix());
            }
            if (_interval == TimeSpan.Zero) Report();
        }

        private void Report()
        {
            var total = Volatile.Read(ref _total);
            var done = Volatile.Read(ref _done);
            if (_lines is null || total < 0) return;
            lock (_lines._gate)
            {
                // A timer tick with nothing new still prints: a long call must not look like a hang.
                if (done == _shown && _interval == TimeSpan.Zero) return;
                _shown = done;
                var percent = total == 0 ? 100 : done * 100 / total;
                _lines._out.MarkupLine($"[grey]progress: {done} of {total} samples finished ({percent}%), {_clock.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s{Markup.Escape(Suffix())}[/]");
            }
        }

        public void Dispose() => _timer?.Dispose();
    }

    /// <summary>The most expectations shown as a table; more are listed (see <see cref="Summary"/>).</summary>
    public const int TableRows = 1000;

    /// <summary>The table, the failing and undecided musts, and the verdict (<see cref="ReportLine"/> follows it).</summary>
    public void Summary(RunResult result)
    {
        var withBaseline = result.Cases.Any(c => c.Baseline is not null);
        // A table measures every row before it prints the first: past TableRows expectations (a run of thousands of
        // cases, whose table would hold hundreds of megabytes), the list, printed as it goes, even on a wide terminal.
        if (_width < 120 || result.Cases.Sum(c => c.Expectations.Count) + result.Datasets.Sum(d => d.Expectations.Count) > TableRows) List(result, withBaseline);
        else Table(result, withBaseline);
        Details(result, withBaseline);
    }

    // Narrow output (80 columns, CI logs): one wrapped line per expectation, no table cell to cut a word in.
    private void List(RunResult result, bool withBaseline)
    {
        foreach (var suite in result.Cases.GroupBy(c => c.Suite))
        {
            _out.MarkupLine($"[bold]{Markup.Escape(Safe(suite.Key))}[/]");
            foreach (var @case in suite)
            {
                Wrapped("  ", Safe(@case.DisplayTitle), null);
                foreach (var e in @case.Expectations)
                {
                    var (word, color) = Word(e);
                    var text = $"{Safe(e.Display)}: {Percent(e.Stats.Rate)} ({Percent(e.Stats.Lower)}–{Percent(e.Stats.Upper)}), needs {Percent(@case.Pass / 100)}";
                    if (withBaseline && e.Comparison is { } comparison)
                    {
                        text += $"; baseline {Percent(comparison.Baseline.Rate)}, Δ{(comparison.Delta is { } d ? (d * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) : "–")}";
                        if (comparison.Regression) text += ", regression";
                    }
                    if (Extras(e, "samples") is { } extras) text += "; " + extras;
                    text += Answers(e);
                    Wrapped("    " + word.PadRight(10), text, null, color);
                }
            }
            foreach (var d in result.Datasets.Where(d => d.Suite == suite.Key))
            {
                Wrapped("  ", Safe(DatasetTitle(d)), null);
                for (var i = 0; i < d.Expectations.Count; i++)
                {
                    var e = d.Expectations[i];
                    var (word, color) = Word(e);
                    var text = $"{Safe(e.Display)}: {Percent(e.Stats.Rate)} of rows ({Percent(e.Stats.Lower)}–{Percent(e.Stats.Upper)}), needs {Percent(d.RowsPass / 100)} of rows";
                    if (withBaseline && e.Comparison is { } comparison)
                    {
                        text += $"; baseline {Percent(comparison.Baseline.Rate)}, Δ{(comparison.Delta is { } delta ? (delta * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) : "–")}, p {comparison.PValue.ToString("0.###", CultureInfo.InvariantCulture)}";
                        if (comparison.Regression) text += ", regression";
                    }
                    if (Extras(e, "rows") is { } extras) text += "; " + extras;
                    text += Answers(e);
                    Wrapped("    " + word.PadRight(10), text, null, color);
                    Wrapped("      rows: ", RowRates(result, d, i), null);
                }
            }
        }
    }

    /// <summary>A dataset as a case, only for counting it among the blocking expectations.</summary>
    private static CaseResult ReportCase(DatasetResult d) =>
        new(d.Id, d.Suite, d.Title, d.Location, d.Samples, d.RowsPass, d.Expectations, System.Array.Empty<SampleResult>(), null);

    /// <summary><c>corrects {claim} (10 rows of claims)</c>.</summary>
    private static string DatasetTitle(DatasetResult d) =>
        $"{d.Title} ({d.Rows.Count} row{S(d.Rows.Count)} of {d.DataSet}, {d.Samples} sample{S(d.Samples)} each)";

    /// <summary>Each row's sample pass rate for expectation <paramref name="i"/>: <c>#1 100%, #2 67%, …</c>.</summary>
    /// <summary><c>; 1 regressive flip (correct → incorrect), 0 progressive flips (incorrect → correct), 2 not applicable</c>, or empty.</summary>
    private static string Answers(ExpectationResult e)
    {
        static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
        var parts = new List<string>();
        if (e.RegressiveFlips is { } regressive) parts.Add(Count(regressive, "regressive flip") + " (correct → incorrect)");
        if (e.ProgressiveFlips is { } progressive) parts.Add(Count(progressive, "progressive flip") + " (incorrect → correct)");
        return parts.Count == 0 ? "" : "; " + string.Join(", ", parts);
    }

    private static string RowRates(RunResult result, DatasetResult d, int i)
    {
        var rowOf = result.Cases.ToDictionary(c => c.Id, c => c.Row);
        return string.Join(", ", d.Rows.Select((id, k) => $"#{(rowOf.TryGetValue(id, out var row) && row is { } r ? r : k + 1)} {Percent(d.RowRates[i][k])}"));
    }

    private void Table(RunResult result, bool withBaseline)
    {
        // Expanded to the width of an interactive terminal only; elsewhere as wide as its contents need.
        var table = new Table().Border(TableBorder.Simple);
        if (_interactive) table.Expand();
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
            table.AddRow(new Markup($"[bold]{Markup.Escape(Safe(suite.Key))}[/]"));
            foreach (var @case in suite)
            {
                var first = true;
                foreach (var e in @case.Expectations)
                {
                    var cells = new System.Collections.Generic.List<IRenderable>
                    {
                        new SpectreText(first ? Safe(@case.DisplayTitle) : ""),
                        new SpectreText(Safe(e.Display)),
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
                    if (Extras(e, "samples") is { } extras) table.AddRow(new SpectreText(""), new SpectreText(Safe(extras)));
                    if (Answers(e).Length > 0) table.AddRow(new SpectreText(""), new SpectreText(Safe(Answers(e).Substring(2))));
                    first = false;
                }
            }
            foreach (var d in result.Datasets.Where(d => d.Suite == suite.Key))
            {
                var first = true;
                foreach (var e in d.Expectations)
                {
                    var cells = new System.Collections.Generic.List<IRenderable>
                    {
                        new SpectreText(first ? Safe(DatasetTitle(d)) : ""),
                        new SpectreText(Safe(e.Display)),
                        new SpectreText(Percent(e.Stats.Rate)),
                        new SpectreText($"{Percent(e.Stats.Lower)}–{Percent(e.Stats.Upper)}"),
                        new SpectreText(Percent(d.RowsPass / 100) + " of rows"),
                    };
                    if (withBaseline)
                    {
                        cells.Add(new SpectreText(Percent(e.Comparison?.Baseline.Rate)));
                        cells.Add(new SpectreText(e.Comparison?.Delta is { } delta ? (delta * 100).ToString("+0;-0;0", CultureInfo.InvariantCulture) : "–"));
                    }
                    cells.Add(new Markup(Status(e)));
                    table.AddRow(cells);
                    table.AddRow(new SpectreText(""), new SpectreText("rows: " + RowRates(result, d, d.Expectations.ToList().IndexOf(e))));
                    if (Extras(e, "rows") is { } extras) table.AddRow(new SpectreText(""), new SpectreText(Safe(extras)));
                    if (Answers(e).Length > 0) table.AddRow(new SpectreText(""), new SpectreText(Safe(Answers(e).Substring(2))));
                    first = false;
                }
            }
        }
        _out.Write(table);
    }

    private void Details(RunResult result, bool withBaseline)
    {
        var blocking = result.Cases.SelectMany(c => c.Expectations.Select(e => (Case: c, E: e))).Where(x => x.E.Blocks).ToList();
        var failing = blocking.Where(x => x.E.IsFailingMust).ToList();
        var undecided = blocking.Where(x => x.E.IsUndecidedMust).ToList();
        var datasetBlocking = result.Datasets.SelectMany(d => d.Expectations.Select(e => (Dataset: d, E: e))).Where(x => x.E.Blocks).ToList();
        // A dataset's rows are counted in their dataset, not one by one.
        var all = result.Cases.Where(c => c.Dataset is null).SelectMany(c => c.Expectations).Concat(result.Datasets.SelectMany(d => d.Expectations)).ToList();
        var shouldFail = all.Count(e => e.IsFailingShould);
        var regressions = all.Count(e => e.IsRegression);

        _out.WriteLine();
        foreach (var (c, e) in failing.Concat(undecided).Take(12))
        {
            var row = c.Row is { } r ? $" (row {r})" : "";
            Wrapped("", $"{Safe(e.Location.ToString())}{row}: {Safe(e.Display)} — {e.Stats.Passes}/{e.Stats.Passes + e.Stats.Fails} passed{(e.Stats.Errors > 0 ? $", {e.Stats.Errors} errors" : "")}, needs {Percent(c.Pass / 100)}", "red");
            if (UntrustedJudge(e)) Wrapped("    undecided: ", Safe($"the judge is not trusted on '{e.Calibration!.Behavior}': {e.Calibration.Problem}"), null);
            (SampleResult? s, Grade? g) grade = default;
            try
            {
                grade = c.Target.SelectMany(s => s.Grades.Select(g => (s, g))).FirstOrDefault(x => x.g.Expectation == e.Index && x.g.Outcome is Outcome.Fail or Outcome.Error);
            }
            catch (IOException)
            {
                // The samples are read back from the journal: gone (deleted under the run), the verdict is still said, without its example.
            }
            if (grade is { s: not null, g: not null })
            {
                var reply = grade.s.Trials.FirstOrDefault(t => t.Variant == grade.g.Variant)?.Transcript.LastOrDefault(m => m.Role == "assistant" && !m.Scripted)?.Text;
                // A sample reply is shortened (at a word), the reason never: it says why the launch is blocked.
                if (reply is not null) Wrapped("    reply: ", Shorten(Safe(OneLine(reply)), 240), null);
                Wrapped(grade.g.Outcome == Outcome.Error ? "    error: " : "    why: ", Safe(OneLine(grade.g.Reason)), null);
            }
        }
        if (failing.Count + undecided.Count > 12) _out.MarkupLine($"[grey]… and {failing.Count + undecided.Count - 12} more in the report[/]");
        // A dataset's must, decided over its rows (its rows' own results are listed above as tracking).
        foreach (var (d, e) in datasetBlocking.OrderBy(x => x.E.IsFailingMust ? 0 : 1))
        {
            Wrapped("", $"{Safe(e.Location.ToString())}: {Safe(e.Display)} — {e.Stats.Passes}/{e.Stats.Passes + e.Stats.Fails} rows held{(e.Stats.Errors > 0 ? $", {e.Stats.Errors} undecided" : "")}, needs {Percent(d.RowsPass / 100)} of rows", "red");
        }
        failing.AddRange(datasetBlocking.Where(x => x.E.IsFailingMust).Select(x => (Case: ReportCase(x.Dataset), x.E)));
        undecided.AddRange(datasetBlocking.Where(x => x.E.IsUndecidedMust).Select(x => (Case: ReportCase(x.Dataset), x.E)));

        var counts = $"{failing.Count} must failing, {undecided.Count} undecided, {shouldFail} should failing" + (withBaseline ? $", {regressions} regression{S(regressions)} against the baseline" : "");
        var planned = result.Cases.Sum(c => c.Samples * (c.Baseline is null ? 1 : 2));
        var finished = result.Cases.Sum(c => c.Target.Count + (c.Baseline?.Count ?? 0));
        var verdict = result.Verdict switch
        {
            Verdict.Blocked => $"[bold white on red] LAUNCH BLOCKED [/] {counts}",
            Verdict.Incomplete => $"[bold black on yellow] INCOMPLETE [/] {(undecided.Any(x => UntrustedJudge(x.E)) ? "an untrusted judge or model failures" : "model failures")} left {undecided.Count} must undecided; {counts}",
            Verdict.Interrupted => $"[bold black on yellow] INTERRUPTED [/] stopped before its end, {finished} of {planned} samples finished: no verdict",
            _ => $"[bold white on green] CLEAR [/] every must holds; {counts}",
        };
        // A shard's samples decide nothing alone: its verdict is partial, and merge gives the run's.
        if (result.Shard is { } shard && result.Verdict != Verdict.Interrupted)
        {
            verdict = $"[bold black on aqua] SHARD {Markup.Escape(shard)} [/] partial verdict on this shard's {finished} sample{S(finished)} ({result.Verdict.ToString().ToLowerInvariant()}): {counts}; evaldsl merge gives the run's verdict";
        }
        _out.WriteLine();
        _out.MarkupLine(verdict);
    }

    /// <summary>The line under the verdict: where the report is (<paramref name="reportFolder"/> null: it could not be written), how long the run took and where its answers came from.</summary>
    public void ReportLine(RunResult result, string? reportFolder, int liveCalls, int replayedCalls, int cachedCalls, int journalledCalls = 0)
    {
        var seconds = (result.Finished - result.Started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var where = reportFolder is null ? "report: not written" : $"report: {Path.Combine(reportFolder, "report.html")}";
        _out.MarkupLine($"[grey]{Markup.Escape(Safe(where))}  (ran in {seconds} s; model calls: {liveCalls} live, {replayedCalls} replayed, {cachedCalls} from the cache{(journalledCalls > 0 ? $", {journalledCalls} from the journal" : "")})[/]");
    }

    // Prints PREFIX + TEXT wrapped at the console's width on word boundaries, continuation lines indented under the
    // text. A word longer than a line stands alone on its line, whole: never cut.
    private void Wrapped(string prefix, string text, string? color, string? prefixColor = "grey")
    {
        var indent = new string(' ', prefix.Length > 0 ? prefix.Length : 4);
        var room = Math.Max(20, _width - prefix.Length);
        var rest = Math.Max(20, _width - indent.Length);
        var lines = new System.Collections.Generic.List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > (lines.Count == 0 ? room : rest))
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0 || lines.Count == 0) lines.Add(line.ToString());
        for (var i = 0; i < lines.Count; i++)
        {
            var plainHead = i == 0 ? prefix : indent;
            if (!_interactive && lines[i].Length > 0 && plainHead.Length + lines[i].Length <= _width && Narrow(plainHead) && Narrow(lines[i]))
            {
                // Off a terminal there is no colour, and a line that fits (one cell a character) is written as it is:
                // what the markup would print, without parsing it (the list of a run of 2,000 cases took a tenth of a
                // second to print).
                _plain.WriteLine(plainHead + lines[i]);
                continue;
            }
            var head = i == 0 ? (prefix.Trim().Length > 0 && prefixColor is not null ? $"[{prefixColor}]{Markup.Escape(prefix)}[/]" : prefix) : indent;
            var body = Markup.Escape(lines[i]);
            _out.MarkupLine(head + (color is null ? body : $"[{color}]{body}[/]"));
        }
    }

    /// <summary>Whether each character of <paramref name="text"/> takes one cell: ASCII, Latin letters and signs, dashes, quotes and ellipses.</summary>
    private static bool Narrow(string text)
    {
        foreach (var c in text)
        {
            if (c is (>= ' ' and <= '~') or (>= '\u00A0' and <= '\u02FF') or (>= '\u2010' and <= '\u2027')) continue;
            return false;
        }
        return true;
    }

    /// <summary>
    /// Makes text safe to show on a terminal: control characters (C0, DEL, C1), line and paragraph separators and
    /// bidirectional overrides are shown as <c>\u001B</c>-style escapes, so no reply can move the cursor, ring, set a
    /// title, or forge a line (a fake CLEAR above the real verdict).
    /// </summary>
    internal static string Safe(string text)
    {
        System.Text.StringBuilder? built = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var unsafeChar = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c is '\u2028' or '\u2029' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
            if (!unsafeChar)
            {
                built?.Append(c);
                continue;
            }
            built ??= new System.Text.StringBuilder(text, 0, i, text.Length + 16);
            built.Append(c switch
            {
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
            });
        }
        return built?.ToString() ?? text;
    }

    /// <summary>
    /// What an expectation adds to its rate: Turn of Flip and Number of Flip of <c>in every reply</c> (means over the decided
    /// samples; over a dataset's rows, over the samples of all rows) and how many of its <paramref name="unit"/> were not applicable.
    /// </summary>
    private static string? Extras(ExpectationResult e, string unit)
    {
        var parts = new System.Collections.Generic.List<string>();
        if (e.Flip is { } flip)
        {
            parts.Add($"turn of flip {Mean(flip.MeanTurnOfFlip)} of {flip.Replies} replies ({flip.Replies + 1} = held throughout), number of flip {Mean(flip.MeanFlips)}, over {flip.Trials} sample{S(flip.Trials)}");
        }
        if (e.Calibration is { } calibration) parts.Add(Calibration(calibration));
        if (e.Jury is { } jury) parts.Add(jury.Describe());
        if (e.Stats.NotApplicable > 0) parts.Add($"{e.Stats.NotApplicable} {(e.Stats.NotApplicable == 1 ? unit.TrimEnd('s') : unit)} not applicable{(e.RegressiveFlips is not null ? " (first reply incorrect)" : "")}");
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    /// <summary>The judge's agreement on a judged behaviour, or why it is not trusted (<see cref="JudgeAgreement.Describe"/>).</summary>
    internal static string Calibration(JudgeAgreement c) => c.Describe();

    /// <summary>Undecided by the calibration gate, not by errors: an untrusted judge's pass or fail decides nothing.</summary>
    private static bool UntrustedJudge(ExpectationResult e) => e.IsUndecidedMust && e.Stats.Errors == 0 && e.Calibration is { Trusted: false };

    private static string Two(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Mean(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Status(ExpectationResult e)
    {
        var (word, color) = Word(e);
        return $"[{color}]{word}[/]" + (e.IsRegression ? " [red]regression[/]" : "");
    }

    // An expectation's status word and colour: a failing must shouts, a failing should does not.
    private static (string Word, string Color) Word(ExpectationResult e) => e.Stats.Status switch
    {
        ExpectationStatus.Holds => ("holds", "green"),
        ExpectationStatus.Fails => e.Blocking ? ("FAILS", "red") : ("fails", "yellow"),
        ExpectationStatus.NotApplicable => ("n/a", "grey"),
        _ => ("undecided", "yellow"),
    };

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    // At most about MAX characters, cut at a word boundary.
    private static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max);
        return (cut > max / 2 ? text.Substring(0, cut) : text.Substring(0, max)).TrimEnd() + " …";
    }

    // Line breaks of every kind become spaces (the text is shown on one logical line); other controls are left for Safe.
    private static string OneLine(string text) => string.Join(" ", text.Split(new[] { '\n', '\r', '\u0085', '\u2028', '\u2029', '\v', '\f' }, StringSplitOptions.RemoveEmptyEntries)).Trim();

    private static string S(int n) => n == 1 ? "" : "s";
}
