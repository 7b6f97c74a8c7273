using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Execution;
using EvalDsl.Runtime.Grading;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime;

/// <summary>Receives progress while a run goes on.</summary>
public interface IRunObserver
{
    /// <summary>The run knows its size: <paramref name="total"/> samples, <paramref name="alreadyDone"/> of them resumed from a journal.</summary>
    void Planned(int total, int alreadyDone);

    /// <summary>A sample finished (on the target or the baseline).</summary>
    void Finished(SampleResult sample);
}

/// <summary>A run that stopped before its end: interrupted, or a model failure that would fail every call. It carries what finished.</summary>
public sealed class RunAbortedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RunAbortedException(string message, RunResult partial, bool interrupted) : base(message)
    {
        Partial = partial;
        Interrupted = interrupted;
    }

    /// <summary>The result of what finished (unfinished samples count as errors).</summary>
    public RunResult Partial { get; }

    /// <summary>Stopped by the user (Ctrl+C) rather than by a model failure.</summary>
    public bool Interrupted { get; }
}

/// <summary>
/// Runs a plan: every case × sample (× variant) on the model under test, and on the baseline when one is bound,
/// with one concurrency limit over all model calls. Each finished sample goes to the journal at once.
/// </summary>
public sealed class EvalRunner
{
    private readonly ModelBindings _models;
    private readonly RunOptions _options;
    private readonly ModelCaller? _sharedCaller;
    private volatile ModelCaller? _running;

    /// <summary>Creates a runner over the given model bindings.</summary>
    public EvalRunner(ModelBindings models, RunOptions? options = null)
    {
        _models = models ?? throw new ArgumentNullException(nameof(models));
        _options = options ?? new RunOptions();
    }

    /// <summary>A runner whose calls share <paramref name="caller"/>'s concurrency limit and cache with other runners (generated tests).</summary>
    internal EvalRunner(ModelBindings models, RunOptions options, ModelCaller caller) : this(models, options) => _sharedCaller = caller;

    /// <summary>Calls of the last run that reached a live model.</summary>
    public int LiveCalls { get; private set; }

    /// <summary>Calls of the last run answered by a recording.</summary>
    public int ReplayedCalls { get; private set; }

    /// <summary>Calls of the last run answered by the response cache.</summary>
    public int CachedCalls { get; private set; }

    /// <summary>Calls of the last run answered by the journal of the run it resumed.</summary>
    public int JournalledCalls { get; private set; }

    /// <summary>Lines of the resumed journal that could not be read and were skipped (1-based).</summary>
    public IReadOnlyList<int> SkippedJournalLines { get; private set; } = Array.Empty<int>();

    /// <summary>
    /// The state of the model calls of the run in progress, for a progress line: each binding whose adaptive
    /// concurrency limit backed off below <see cref="RunOptions.Concurrency"/> on 429s (<c>limit 5/8 target</c>), and
    /// under <see cref="RunOptions.Batch"/> each batch in flight (<c>batch 1/2 in_progress 120/200 target</c>); empty
    /// when there is nothing to say.
    /// </summary>
    public string CallStatus => _running?.Status() ?? "";

    /// <summary>The journal's file name in a report folder (<c>journal.jsonl</c>).</summary>
    public const string JournalFileName = Execution.Journal.FileName;

    /// <summary>
    /// Holds a report folder for this process until disposed, so that two runs never write one journal; a second
    /// run on it gets a <see cref="Execution.JournalException"/>. Throws <see cref="System.IO.IOException"/> when the
    /// folder cannot be created or written.
    /// </summary>
    public static IDisposable LockReportFolder(string folder) => Execution.Journal.Lock(folder);

    /// <summary>
    /// Checks a judge template (Scriban) before anything runs: it must parse and show the behaviour, the conversation
    /// and the reply. Throws <see cref="Grading.JudgeTemplateException"/> whose message is one line
    /// <c>path(line,col): error: …</c>.
    /// </summary>
    public static void CheckJudgeTemplate(string template, string path) => _ = new Grading.JudgePrompt(template, path);

    /// <summary>Runs every case of the plan. With <paramref name="withBaseline"/>, every case also runs on the <c>baseline</c> binding.</summary>
    public Task<RunResult> RunAsync(EvalPlan plan, bool withBaseline = false, CancellationToken cancellationToken = default) =>
        RunAsync(plan, withBaseline, journalFolder: null, resume: false, observer: null, cancellationToken);

    /// <summary>Runs one case (on the target only) and returns its result: what a generated test calls.</summary>
    public async Task<CaseResult> RunCaseAsync(EvalCase @case, CancellationToken cancellationToken = default)
    {
        var plan = new EvalPlan(new[] { new EvalSuite(@case.Suite, null, Array.Empty<string>(), @case.Location, new[] { @case }) });
        var result = await RunAsync(plan, cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Cases[0];
    }

    /// <summary>
    /// Runs every case of the plan, journalling each finished sample and answered call to <paramref name="journalFolder"/>
    /// (null: no journal). With <paramref name="resume"/>, the journal already there is read first: its samples are not
    /// run again and its answers are served before any model is asked. Throws <see cref="Execution.JournalException"/>
    /// when that journal belongs to another plan or cannot be read, and <see cref="Execution.JournalWriteException"/>
    /// when it cannot be written (the run could not be resumed).
    /// </summary>
    public async Task<RunResult> RunAsync(EvalPlan plan, bool withBaseline, string? journalFolder, bool resume, IRunObserver? observer, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var models = ModelsUsed(plan, withBaseline);
        var fingerprint = Fingerprint(plan, withBaseline);
        var judgeFingerprint = JudgeFingerprint(_options);
        // A shard runs its own samples of the whole plan; its journal names the shard, its result covers its part.
        var shard = _options.Shard;
        var reported = shard is null ? plan : shard.Part(plan);
        using var journal = journalFolder is null ? null
            : resume ? Journal.Resume(journalFolder, fingerprint, judgeFingerprint, models, shard?.ToString()) : Journal.Create(journalFolder, fingerprint, judgeFingerprint, models, shard?.ToString());
        SkippedJournalLines = journal?.SkippedLines ?? Array.Empty<int>();

        var done = new ConcurrentDictionary<(string, string, int), SampleResult>();
        // RunOptions.SamplesInJournal: where each sample's line is; in memory, its grades only (what the statistics need).
        var onDisk = _options.SamplesInJournal && journal is not null ? new ConcurrentDictionary<(string, string, int), JournalLine>() : null;
        var journalPath = journal?.FullPath;
        foreach (var s in journal?.Finished ?? Array.Empty<SampleResult>()) done[(s.CaseId, s.Role, s.Sample)] = s;

        var roles = withBaseline ? new[] { "target", "baseline" } : new[] { "target" };
        var units = plan.Cases.SelectMany(c => Enumerable.Range(0, c.Samples).SelectMany(i => roles.Select(r => (Case: c, Sample: i, Role: r))))
            .Where(u => shard is null || shard.Owns(u.Case.Id, u.Sample))
            .Where(u => !done.ContainsKey((u.Case.Id, u.Role, u.Sample)))
            .ToList();
        observer?.Planned(units.Count + done.Count, done.Count);

        // Resolve every binding before the first call: a missing key or recording is one clear line, not N errors.
        // The model under test first: its absence is the first thing to say. Off this thread, so that a recording
        // that blocks (a FIFO, a hung network share) cannot outlive an interrupt.
        try
        {
            // Nothing left to run (a merge, a finished run resumed) calls no model, so it needs no key or recording.
            foreach (var name in units.Count == 0 ? Enumerable.Empty<string>() : models.Keys.OrderBy(n => n == "target" ? 0 : n == "judge" ? 2 : 1))
            {
                await Task.Run(() => _models.Resolve(name), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            if (units.Count > 0) RefusePrefill(plan, withBaseline);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var partial = Aggregator.Build(reported, done.Values.ToList(), withBaseline, models, started, DateTimeOffset.UtcNow)
                with { JudgeTemperature = _options.JudgeTemperature, JudgeSeed = _options.JudgeSeed, Shard = shard?.ToString() };
            throw new RunAbortedException($"interrupted: {done.Count} of {units.Count + done.Count} samples finished", partial with { Verdict = Verdict.Interrupted }, interrupted: true);
        }

        // Model calls are I/O-bound, but a short burst of synchronous work (JSON, TLS) must not wait for the
        // thread pool's slow growth: start it with enough threads for the concurrency limit.
        ThreadPool.GetMinThreads(out var workers, out var io);
        if (workers < _options.Concurrency * 2) ThreadPool.SetMinThreads(_options.Concurrency * 2, Math.Max(io, _options.Concurrency * 2));

        var caller = _sharedCaller ?? new ModelCaller(_options);
        _running = caller;
        if (_options.Batch) caller.BatchLog = journal;
        var (live, replayed, cached) = (caller.LiveCalls, caller.ReplayedCalls, caller.CachedCalls);
        var runner = new SampleRunner(_models, caller, new JudgePrompt(_options.JudgeTemplate), _options, journal);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? fatal = null;
        JournalWriteException? journalFailure = null;
        try
        {
            await Parallel.ForEachAsync(units, new ParallelOptions
            {
                // A batch run starts every sample at once, so that the calls of each turn go in one batch.
                MaxDegreeOfParallelism = _options.Batch ? Math.Max(1, units.Count) : Math.Max(4, _options.Concurrency * 4),
                CancellationToken = abort.Token,
            }, async (unit, ct) =>
            {
                try
                {
                    var sample = await runner.RunAsync(unit.Case, unit.Sample, unit.Role, ct).ConfigureAwait(false);
                    if (onDisk is not null)
                    {
                        onDisk[(unit.Case.Id, unit.Role, unit.Sample)] = await journal!.AppendAsync(sample).ConfigureAwait(false);
                        done[(unit.Case.Id, unit.Role, unit.Sample)] = Slim(sample);
                    }
                    else
                    {
                        done[(unit.Case.Id, unit.Role, unit.Sample)] = sample;
                        if (journal is not null) await journal.AppendAsync(sample).ConfigureAwait(false);
                    }
                    observer?.Finished(sample);
                }
                catch (Exception ex) when (ex is ModelFatalException or ModelSetupException)
                {
                    Interlocked.CompareExchange(ref fatal, Secrets.Redact(ex.Message), null);
                    abort.Cancel();
                }
                catch (JournalWriteException ex)
                {
                    // A run that cannot journal cannot be resumed: stop rather than spend calls that would be lost.
                    Interlocked.CompareExchange(ref journalFailure, ex, null);
                    abort.Cancel();
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
        }
        finally
        {
            LiveCalls = caller.LiveCalls - live;
            ReplayedCalls = caller.ReplayedCalls - replayed;
            CachedCalls = caller.CachedCalls - cached;
            JournalledCalls = journal?.ServedCalls ?? 0;
        }
        if (journalFailure is not null) throw journalFailure;

        // A large run (its samples in the journal) has left its calls' garbage spread over the heap: one compacting
        // collection first, so that the result's objects are not laid on top of it (100,000 cases: the peak of the run).
        if (onDisk is not null) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        var result = Aggregator.Build(reported, done.Values.ToList(), withBaseline, models, started, DateTimeOffset.UtcNow, Journalled(journalPath, onDisk))
            with { JudgeTemperature = _options.JudgeTemperature, JudgeSeed = _options.JudgeSeed, Shard = shard?.ToString() };
        // The result holds what the reports read: the samples as finished (and where they are) can go before them.
        var finished = done.Count;
        done.Clear();
        onDisk?.Clear();
        if (fatal is not null) throw new RunAbortedException(fatal, result with { Verdict = Downgrade(result.Verdict) }, interrupted: false);
        if (cancellationToken.IsCancellationRequested)
        {
            // Never "blocked" or "clear": what finished is a part of the run, and a part decides nothing.
            throw new RunAbortedException($"interrupted: {finished} of {units.Count + (journal?.Finished.Count ?? 0)} samples finished", result with { Verdict = Verdict.Interrupted }, interrupted: true);
        }
        return result;
    }

    /// <summary>
    /// Merges the journals of the shards of one run (<c>run --shard i/n --report DIR</c>, one <paramref name="shardFolders"/>
    /// entry per shard) into <paramref name="reportFolder"/>'s journal and returns the run's result: the same as an
    /// unsharded run of the same samples. No model is called. <paramref name="plan"/>, <paramref name="withBaseline"/>,
    /// the bindings and the judge options must be those the shards ran with. Throws <see cref="Execution.JournalException"/>,
    /// saying what is wrong, for journals of other specs, options or models, a missing, repeated or unfinished shard.
    /// </summary>
    public Task<RunResult> MergeAsync(EvalPlan plan, bool withBaseline, IReadOnlyList<string> shardFolders, string reportFolder, IRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(shardFolders);
        ArgumentException.ThrowIfNullOrEmpty(reportFolder);
        if (_options.Shard is not null) throw new InvalidOperationException("a merge runs no shard: create its runner without RunOptions.Shard");
        ShardMerge.Combine(plan, withBaseline, shardFolders, reportFolder, Fingerprint(plan, withBaseline), JudgeFingerprint(_options), ModelsUsed(plan, withBaseline));
        return RunAsync(plan, withBaseline, reportFolder, resume: true, observer, cancellationToken);
    }

    /// <summary>A finished sample as held in memory under <see cref="RunOptions.SamplesInJournal"/>: its grades without their reasons, no transcript.</summary>
    private static SampleResult Slim(SampleResult sample) =>
        sample with { Trials = Array.Empty<Trial>(), Grades = sample.Grades.Select(g => g with { Reason = "" }).ToArray() };

    /// <summary>
    /// Under <see cref="RunOptions.SamplesInJournal"/>, what each case result keeps of its samples: samples read back
    /// from the journal (<paramref name="lines"/>: where the samples of this run are; a sample resumed from an earlier
    /// run is held as it is); null otherwise.
    /// </summary>
    private static Func<string, string, IReadOnlyList<SampleResult>, IReadOnlyList<SampleResult>>? Journalled(string? path, ConcurrentDictionary<(string, string, int), JournalLine>? lines)
    {
        if (path is null || lines is null || lines.IsEmpty) return null;
        // Given to the aggregation, so that no case result is built twice (a run of 100,000 cases would hold both).
        return (caseId, role, samples) =>
            new JournalledSamples(path, caseId, role, samples.Select(s => lines.TryGetValue((caseId, role, s.Sample), out var line)
                ? ((SampleResult?)null, s.Sample, line)
                : (s, s.Sample, default(JournalLine))).ToArray());
    }

    // What finished may already block the launch; otherwise an aborted run is incomplete, never clear.
    private static Verdict Downgrade(Verdict verdict) => verdict == Verdict.Blocked ? Verdict.Blocked : Verdict.Incomplete;

    private IReadOnlyDictionary<string, string> ModelsUsed(EvalPlan plan, bool withBaseline)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in plan.Cases)
        {
            names.Add(c.Model);
            if (c.Expectations.Any(e => SampleRunner.AsksJudge(c, e))) names.UnionWith(_models.JudgesOf(c));
            foreach (var name in SimulatedUserModels(c)) names.Add(name);
        }
        if (withBaseline) names.Add("baseline");
        var described = _models.Describe();
        return names.ToDictionary(n => n, n => described.TryGetValue(n, out var d) ? d : "(unbound)", StringComparer.Ordinal);
    }

    /// <summary>The bindings that write a case's <c>user by model NAME</c> turns.</summary>
    internal static IEnumerable<string> SimulatedUserModels(EvalCase @case) =>
        @case.Variants.SelectMany(v => v.Turns).Where(t => t.Role == EvalRole.SimulatedUser && t.Model is not null).Select(t => t.Model!).Distinct();

    // api.openai.com does not continue a final assistant message: a prefilled reply there would be a second message, not
    // the continuation the spec grades, so the run is refused before its first call.
    private void RefusePrefill(EvalPlan plan, bool withBaseline)
    {
        foreach (var c in plan.Cases)
        {
            if (!c.Variants.Any(v => v.Turns.Any(t => t.Role == EvalRole.Reply && !string.IsNullOrEmpty(t.Prefill)))) continue;
            foreach (var name in withBaseline ? new[] { c.Model, "baseline" } : new[] { c.Model })
            {
                var binding = _models.Resolve(name);
                if (!binding.IsOpenAiApi) continue;
                throw new ModelSetupException(
                    $"case '{c.Title}' uses reply after \"…\", which needs a server that continues a final assistant message (vLLM, Ollama); the {name} model {binding.Identity} is on api.openai.com, which does not");
            }
        }
    }

    // The judge's prompt and settings decide every judged grade: a resumed run must use the same ones.
    private static string JudgeFingerprint(RunOptions options)
    {
        var json = RuntimeJson.JudgeSettings(options.JudgeTemplate ?? JudgePrompt.DefaultTemplate(), JudgePrompt.SystemText, options.JudgeAttempts, options.JudgeTemperature, options.JudgeSeed);
        return Convert.ToHexString(SHA256.HashData(json)).ToLowerInvariant();
    }

    private static string Fingerprint(EvalPlan plan, bool withBaseline)
    {
        // Hashed as it is written: the plan's JSON is never held whole.
        return RuntimeJson.PlanAndBaselineHash(plan, withBaseline);
    }
}
