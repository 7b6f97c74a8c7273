using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Models;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Runtime;

/// <summary>
/// What the test classes generated from <c>.eval</c> specs call: runs one case on the bound models and throws when
/// a <c>must</c> fails (<see cref="EvalExpectationException"/>) or is left undecided by model failures
/// (<see cref="EvalIncompleteException"/>). <c>should</c> expectations never fail a test.
/// </summary>
/// <remarks>
/// Models come from, in order: the generated suite's <c>ConfigureModels</c> partial method, <see cref="ConfigureModels"/>
/// (for every suite), and the environment (<c>EVALDSL_TARGET</c>, <c>EVALDSL_JUDGE</c>, <c>EVALDSL_MODEL_&lt;NAME&gt;</c>,
/// keys from <c>EVALDSL_KEY_&lt;NAME&gt;</c>, or <c>OPENAI_API_KEY</c> for api.openai.com only); a bound <c>baseline</c>
/// (<c>EVALDSL_BASELINE</c>) runs too and is compared. <c>EVALDSL_CONCURRENCY</c> (default 8) bounds model calls over
/// all tests at once; <c>EVALDSL_CACHE</c> names a response-cache folder; <c>EVALDSL_REPORT</c> names a folder for
/// results.json, junit.xml and report.html (a relative one is resolved in the test process: the test's output folder).
/// </remarks>
public static class SpecTest
{
    private static readonly List<Action<ModelBindings>> Configurations = new();
    private static readonly Lazy<(RunOptions Options, ModelCaller Caller)> Shared = new(() =>
    {
        var concurrency = int.TryParse(Environment.GetEnvironmentVariable("EVALDSL_CONCURRENCY"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c > 0 ? c : 8;
        var cache = Environment.GetEnvironmentVariable("EVALDSL_CACHE");
        var options = new RunOptions { Concurrency = concurrency, CacheDirectory = string.IsNullOrWhiteSpace(cache) ? null : cache };
        return (options, new ModelCaller(options));
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Binds models for every generated suite, e.g. <c>SpecTest.ConfigureModels(m =&gt; m.Register("target", client))</c> in a module initializer.</summary>
    public static void ConfigureModels(Action<ModelBindings> configure)
    {
        if (configure is null) throw new ArgumentNullException(nameof(configure));
        lock (Configurations) Configurations.Add(configure);
    }

    /// <summary>Runs a case and throws when a <c>must</c> fails or is undecided.</summary>
    public static Task<CaseResult> RunAsync(EvalCase @case, Action<ModelBindings>? configureSuite = null, CancellationToken cancellationToken = default) =>
        RunAsync(@case, configureSuite, output: null, cancellationToken);

    /// <summary>
    /// Runs a case, writes every expectation's result (<c>should</c>s included, and the baseline's when one is bound)
    /// to <paramref name="output"/> (the test's output), adds it to the reports when <c>EVALDSL_REPORT</c> names a
    /// folder, and throws when a <c>must</c> fails or is undecided.
    /// </summary>
    public static async Task<CaseResult> RunAsync(EvalCase @case, Action<ModelBindings>? configureSuite, Action<string>? output, CancellationToken cancellationToken = default)
    {
        if (@case is null) throw new ArgumentNullException(nameof(@case));
        var (result, reportProblem) = await Ran(@case, configureSuite, cancellationToken).ConfigureAwait(false);

        output?.Invoke(Results(result));
        if (reportProblem is not null) output?.Invoke(reportProblem);
        var failing = result.Expectations.Where(e => e.IsFailingMust).ToList();
        // A row of a pass N% of rows case cannot know the dataset's verdict: it reports its rates and fails only when
        // model errors leave a must open (its expectations are not blocking, so a failing row passes here); the
        // dataset's own test (RunDatasetAsync) decides over the rows.
        var undecided = result.Expectations.Where(e => e.IsUndecidedMust || (result.Dataset is not null && e.Stats.Status == ExpectationStatus.Undecided && @case.Expectations.Any(x => x.Index == e.Index && x.Blocking))).ToList();
        if (failing.Count > 0) throw new EvalExpectationException(Message(result, failing, "fails", "fail"));
        if (undecided.Count > 0) throw new EvalIncompleteException(Message(result, undecided, "is undecided (model errors)", "are undecided (model errors)"));
        if (reportProblem is not null) throw new EvalIncompleteException($"{@case.Location}: {@case.Title}: {reportProblem}");
        return result;
    }

    /// <summary>
    /// The test of a <c>pass N% of rows</c> case: runs every row (a row that its own test already ran in this process is
    /// not run again), decides each expectation over the rows, writes the dataset's figures to <paramref name="output"/>,
    /// and throws when a <c>must</c> fails over the rows or is left undecided by model errors.
    /// </summary>
    public static async Task<DatasetResult> RunDatasetAsync(IReadOnlyList<EvalCase> rows, Action<ModelBindings>? configureSuite, Action<string>? output, CancellationToken cancellationToken = default)
    {
        if (rows is null) throw new ArgumentNullException(nameof(rows));
        if (rows.Count == 0 || rows.Any(r => r is null || r.RowsPass is null)) throw new ArgumentException("Every row must be a row of one pass N% of rows case.", nameof(rows));
        var ran = new List<(CaseResult Result, string? ReportProblem)>();
        foreach (var row in rows) ran.Add(await Ran(row, configureSuite, cancellationToken).ConfigureAwait(false));

        var first = rows[0];
        var plan = new EvalPlan(new[] { new EvalSuite(first.Suite, null, Array.Empty<string>(), first.Location, rows) });
        var samples = ran.SelectMany(r => r.Result.Target.Concat(r.Result.Baseline ?? Array.Empty<SampleResult>())).ToList();
        var run = Aggregator.Build(plan, samples, ran.Any(r => r.Result.Baseline is not null), new Dictionary<string, string>(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        var dataset = run.Datasets.Single();
        var asCase = ReportText.AsCase(dataset);

        var lines = new StringBuilder(Results(asCase, includeFolder: false));
        for (var i = 0; i < dataset.Expectations.Count; i++)
        {
            lines.Append('\n').Append(dataset.Expectations[i].Location).Append(": ").Append(dataset.Expectations[i].Display).Append(": rows ").Append(ReportText.RowRates(run, dataset, i));
        }
        if (RunReports.Folder is { } folder) lines.Append("\nreports: ").Append(folder);
        output?.Invoke(lines.ToString());

        var failing = dataset.Expectations.Where(e => e.IsFailingMust).ToList();
        var undecided = dataset.Expectations.Where(e => e.IsUndecidedMust).ToList();
        if (failing.Count > 0) throw new EvalExpectationException(DatasetMessage(asCase, failing, "fails over the rows", "fail over the rows"));
        if (undecided.Count > 0) throw new EvalIncompleteException(DatasetMessage(asCase, undecided, "is undecided over the rows (model errors)", "are undecided over the rows (model errors)"));
        if (ran.Select(r => r.ReportProblem).FirstOrDefault(p => p is not null) is { } problem) throw new EvalIncompleteException($"{first.Location}: {asCase.Title}: {problem}");
        return dataset;
    }

    // A row of a pass N% of rows case runs once per test process: the test of the row and the test of its dataset share
    // the run (the generated fields are static, so the same object). Other cases run at every call.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EvalCase, Lazy<Task<(CaseResult, string?)>>> Runs = new();

    private static Task<(CaseResult Result, string? ReportProblem)> Ran(EvalCase @case, Action<ModelBindings>? configureSuite, CancellationToken cancellationToken) =>
        @case.RowsPass is null
            ? RunOnceAsync(@case, configureSuite, cancellationToken)
            : Runs.GetValue(@case, c => new Lazy<Task<(CaseResult, string?)>>(() => RunOnceAsync(c, configureSuite, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static async Task<(CaseResult, string?)> RunOnceAsync(EvalCase @case, Action<ModelBindings>? configureSuite, CancellationToken cancellationToken)
    {
        var bindings = new ModelBindings();
        configureSuite?.Invoke(bindings);
        Action<ModelBindings>[] global;
        lock (Configurations) global = Configurations.ToArray();
        foreach (var configure in global) configure(bindings);
        try
        {
            // A jury's judges (judge a, b, c) are bound by name as any model is: EVALDSL_MODEL_<NAME>.
            bindings.AddEnvironment(new[] { @case.Model, @case.Judge }.Concat(@case.Jury ?? Array.Empty<string>()).Concat(EvalRunner.SimulatedUserModels(@case)));
        }
        catch (ModelSetupException ex)
        {
            throw new EvalIncompleteException($"{@case.Location}: {@case.Title}: {ex.Message}");
        }

        // Under dotnet test there is no --target: say how to bind here.
        var needed = new List<string> { @case.Model };
        if (@case.Expectations.Any(e => Execution.SampleRunner.AsksJudge(@case, e))) needed.AddRange(bindings.JudgesOf(@case));
        needed.AddRange(EvalRunner.SimulatedUserModels(@case));
        foreach (var name in needed.Distinct())
        {
            if (bindings.IsBound(name)) continue;
            throw new EvalIncompleteException($"{@case.Location}: {@case.Title}: the model binding '{name}' is not bound: set {ModelBindings.EnvironmentVariable(name)} " +
                "(for example openai:gpt-4o-mini) or bind it in C#: implement ConfigureModels in the suite's partial class, or call SpecTest.ConfigureModels");
        }

        var withBaseline = bindings.IsBound("baseline");
        var (options, caller) = Shared.Value;
        CaseResult result;
        string? reportProblem;
        try
        {
            var plan = new EvalPlan(new[] { new EvalSuite(@case.Suite, null, Array.Empty<string>(), @case.Location, new[] { @case }) });
            var run = await new EvalRunner(bindings, options, caller).RunAsync(plan, withBaseline, cancellationToken).ConfigureAwait(false);
            result = run.Cases[0];
            reportProblem = RunReports.Add(@case, result, run.Models, withBaseline);
        }
        catch (RunAbortedException ex)
        {
            throw new EvalIncompleteException($"{@case.Location}: {@case.Title}: {ex.Message}");
        }
        catch (ModelSetupException ex)
        {
            throw new EvalIncompleteException($"{@case.Location}: {@case.Title}: {ex.Message} (or bind it in C#: implement ConfigureModels in the suite's partial class, or call SpecTest.ConfigureModels)");
        }
        return (result, reportProblem);
    }

    /// <summary>
    /// Every expectation of a case, one a line: <c>file(line,col): should …: holds|fails|undecided: pass rate …</c>,
    /// with the baseline's rate and the delta when one ran.
    /// </summary>
    internal static string Results(CaseResult result, bool includeFolder = true)
    {
        var sb = new StringBuilder();
        sb.Append(result.DisplayTitle).Append(':');
        foreach (var e in result.Expectations)
        {
            sb.Append('\n').Append(e.Location).Append(": ").Append(e.Display).Append(": ").Append(ReportText.Verb(e.Stats.Status)).Append(": ").Append(ReportText.StatsLine(e.Stats, result.Pass));
            if (e.Flip is { } flip) sb.Append("; ").Append(ReportText.FlipLine(flip));
            if (e.Jury is { } jury) sb.Append("; ").Append(jury.Describe());
            if (e.Comparison is { } c)
            {
                sb.Append("; baseline ").Append(ReportText.Rate(c.Baseline)).Append(", delta ").Append(ReportText.Delta(c.Delta)).Append(", p ").Append(ReportText.PValue(c.PValue));
                if (e.IsRegression) sb.Append(", regression");
            }
        }
        if (includeFolder && RunReports.Folder is { } folder) sb.Append("\nreports: ").Append(folder);
        return sb.ToString();
    }

    /// <summary>
    /// <c>file(line,col): must … : pass rate 0% (0/5), Wilson 95% [0%, 43.4%], required 80%</c> for each expectation,
    /// with a sample reply and the judge's reason.
    /// </summary>
    internal static string Message(CaseResult result, IReadOnlyList<ExpectationResult> expectations, string one, string many)
    {
        var sb = new StringBuilder();
        sb.Append(result.DisplayTitle).Append(": ")
          .Append(expectations.Count == 1 ? "a must expectation " + one : $"{expectations.Count} must expectations {many}").Append('.');
        foreach (var e in expectations)
        {
            sb.Append('\n').Append(e.Location).Append(": ").Append(e.Display).Append(": ").Append(ReportText.StatsLine(e.Stats, result.Pass));
            var example = result.Target.SelectMany(s => s.Grades.Select(g => (Sample: s, Grade: g)))
                .FirstOrDefault(x => x.Grade.Expectation == e.Index && x.Grade.Outcome is Outcome.Fail or Outcome.Error);
            if (example.Grade is null) continue;
            var trial = ReportText.TrialOf(example.Sample, example.Grade);
            if (trial is not null && ReportText.FinalReply(trial) is { } reply) sb.Append("\n  reply (sample ").Append(example.Sample.Sample + 1).Append("): \"").Append(Clip(reply)).Append('"');
            sb.Append(example.Grade.Outcome == Outcome.Error ? "\n  error: " : "\n  why: ").Append(Clip(example.Grade.Reason));
        }
        return sb.ToString();
    }

    /// <summary><c>file(line,col): must … : pass rate 60% (3/5 rows), Wilson 95% […], required 80%</c> for each expectation decided over the rows.</summary>
    internal static string DatasetMessage(CaseResult dataset, IReadOnlyList<ExpectationResult> expectations, string one, string many)
    {
        var sb = new StringBuilder();
        sb.Append(dataset.DisplayTitle).Append(": ")
          .Append(expectations.Count == 1 ? "a must expectation " + one : $"{expectations.Count} must expectations {many}").Append('.');
        foreach (var e in expectations) sb.Append('\n').Append(e.Location).Append(": ").Append(e.Display).Append(": ").Append(ReportText.StatsLine(e.Stats, dataset.Pass));
        return sb.ToString();
    }

    /// <summary>
    /// The reports of a test run (<c>EVALDSL_REPORT=DIR</c>): results.json, junit.xml and report.html of every case
    /// run so far, rewritten after each case, so that they are whole whenever the test process ends.
    /// </summary>
    private static class RunReports
    {
        private static readonly object Gate = new();
        private static readonly List<(EvalCase Case, CaseResult Result)> Cases = new();
        private static readonly SortedDictionary<string, string> Models = new(StringComparer.Ordinal);
        private static readonly DateTimeOffset Started = DateTimeOffset.UtcNow;
        private static bool _withBaseline;

        /// <summary>The folder, made whole: a relative one is resolved in the test process (the test's output folder, not where dotnet test ran), so the output names it whole.</summary>
        public static string? Folder { get; } =
            Environment.GetEnvironmentVariable("EVALDSL_REPORT") is { Length: > 0 } folder && !string.IsNullOrWhiteSpace(folder) ? System.IO.Path.GetFullPath(folder) : null;

        /// <summary>Adds a finished case and rewrites the reports; the problem when they cannot be written, else null.</summary>
        public static string? Add(EvalCase @case, CaseResult result, IReadOnlyDictionary<string, string> models, bool withBaseline)
        {
            if (Folder is null) return null;
            lock (Gate)
            {
                Cases.Add((@case, result));
                foreach (var pair in models) Models[pair.Key] = pair.Value;
                _withBaseline |= withBaseline;
                var suites = Cases.GroupBy(c => c.Case.Suite, StringComparer.Ordinal)
                    .Select(g => new EvalSuite(g.Key, null, Array.Empty<string>(), g.First().Case.Location, g.Select(c => c.Case).ToList()))
                    .ToList();
                var samples = Cases.SelectMany(c => c.Result.Target.Concat(c.Result.Baseline ?? Array.Empty<SampleResult>())).ToList();
                var run = Aggregator.Build(new EvalPlan(suites), samples, _withBaseline, new Dictionary<string, string>(Models, StringComparer.Ordinal), Started, DateTimeOffset.UtcNow);
                try
                {
                    System.IO.Directory.CreateDirectory(Folder);
                    JsonReport.Write(run, System.IO.Path.Combine(Folder, JsonReport.FileName));
                    JUnitReport.Write(run, System.IO.Path.Combine(Folder, JUnitReport.FileName));
                    HtmlReport.Write(run, System.IO.Path.Combine(Folder, HtmlReport.FileName));
                }
                catch (Exception ex) when (ex is System.IO.IOException or UnauthorizedAccessException)
                {
                    // The case ran; only its report could not be kept: say so with the folder, never with a stack trace.
                    return $"EVALDSL_REPORT: cannot write the reports in {Folder}: {FileErrors.Reason(ex)}";
                }
                return null;
            }
        }
    }

    private static string Clip(string text)
    {
        var one = string.Join(" ", text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
        return one.Length <= 300 ? one : one.Substring(0, 297) + "...";
    }
}

/// <summary>A <c>must</c> expectation of a generated test failed: its message names the <c>.eval</c> location, the rate and interval, a sample reply and the judge's reason.</summary>
public sealed class EvalExpectationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvalExpectationException(string message) : base(message) { }
}

/// <summary>Model failures (or missing model bindings) left a <c>must</c> of a generated test undecided.</summary>
public sealed class EvalIncompleteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EvalIncompleteException(string message) : base(message) { }
}
