using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Globalization;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Cli.Output;
using EvalDsl.Runtime;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl run PATH…</c>: run the expectations against the bound models and print the launch verdict.
/// Exit 0 clear, 1 blocked, 2 usage or spec errors, 3 model failures prevented a verdict, 4 the journal or the report
/// could not be written, 130 interrupted (Ctrl+C, SIGTERM).
/// </summary>
internal static class RunCommand
{
    public const int Incomplete = 3;
    public const int FilesFailed = 4;
    public const int Interrupted = 130;

    /// <summary>The longest --timeout (a day): longer is a typo, and .NET timers cannot hold much more.</summary>
    private const double MaxTimeout = 86_400;

    public static Command Create(TextWriter output, TextWriter error) => Create(output, error, merge: false);

    /// <summary>
    /// <c>run</c>, or with <paramref name="merge"/> <c>merge DIR… --spec PATH…</c>: the same options that decide the plan,
    /// the models and the judge (a merge must be given those the shards ran with), without those that only steer calls.
    /// </summary>
    internal static Command Create(TextWriter output, TextWriter error, bool merge)
    {
        var paths = CheckCommand.PathsArgument();
        var shardFolders = new Argument<string[]>("DIR") { Arity = ArgumentArity.OneOrMore, Description = "The report folders of the shards (run --shard i/n --report DIR), one per shard" };
        var specs = new Option<string[]>("--spec") { Description = $"The .eval specs the shards ran: files, or folders searched recursively (repeatable); without it, the specs and options each shard kept in its {ShardCommandLine.FileName}", HelpName = "PATH", AllowMultipleArgumentsPerToken = false };
        var shardOption = new Option<string?>("--shard") { Description = "Run only shard i of n: the samples a stable hash of case id and sample index gives to it; merge the shards' --report folders with evaldsl merge", HelpName = "i/n" };
        var target = new Option<string?>("--target") { Description = "The model under test, e.g. openai:gpt-4o-mini or openai:llama3.2@http://localhost:11434/v1 (else EVALDSL_TARGET)", HelpName = "REF" };
        var judge = new Option<string[]>("--judge") { Description = "The judge model (else EVALDSL_JUDGE); repeat it, or separate references with commas, for a jury decided by majority (judge-1, judge-2, …)", HelpName = "REF", AllowMultipleArgumentsPerToken = false };
        var baseline = new Option<string?>("--baseline") { Description = "The model in production: every case also runs on it and the report gives paired deltas (else EVALDSL_BASELINE)", HelpName = "REF" };
        var model = new Option<string[]>("--model") { Description = "Bind any model name a spec uses: NAME=REF (else EVALDSL_MODEL_<NAME>)", HelpName = "NAME=REF", AllowMultipleArgumentsPerToken = false };
        var report = new Option<string?>("--report") { Description = "Write results.json, junit.xml and report.html here and keep the run's journal here (default .evaldsl/last-run)", HelpName = "DIR" };
        var concurrency = WholeNumber("--concurrency", "Model calls in flight at once", 8);
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache (.evaldsl/cache)" };
        var record = new Option<string?>("--record") { Description = "Save every model exchange under DIR/<binding> for replay:DIR/<binding>", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run journalled in the report folder without repeating finished samples or answered calls" };
        var timeout = Seconds();
        var retries = WholeNumber("--retries", "Retries of a call that failed transiently (429, 5xx, timeout)", 6);
        var judgeTemplate = new Option<string?>("--judge-template") { Description = "A Scriban template that replaces the built-in judge prompt", HelpName = "FILE" };
        var filter = new Option<string[]>("--filter") { Description = "Run only the cases whose title contains TEXT (case-insensitive; repeat for any of several)", HelpName = "TEXT", AllowMultipleArgumentsPerToken = false };
        var suite = new Option<string[]>("--suite") { Description = "Run only the suites with this title (case-insensitive; repeatable)", HelpName = "TITLE", AllowMultipleArgumentsPerToken = false };
        var tag = new Option<string[]>("--tag") { Description = "Run only the cases with this tag, their own or their suite's (repeatable: any of them)", HelpName = "TAG", AllowMultipleArgumentsPerToken = false };
        var samples = WholeNumber("--samples", "Run every selected case N times instead of its samples (a quick smoke run)", null);
        var allowOutside = CheckCommand.AllowDataOutsideOption();
        var judgeTemperature = CalibrateCommand.JudgeTemperatureOption();
        var judgeSeed = CalibrateCommand.JudgeSeedOption();
        var requireCalibration = RequireCalibrationOption();
        var modelOptions = new RunBindings();
        var batch = new Option<bool>("--batch") { Description = "Send the calls of live models through the OpenAI Batch API (/v1/files, /v1/batches): half the price, its own rate limit, answers within 24 h; each turn is a batch round, and --resume polls the journalled batches" };
        var batchPoll = Seconds("--batch-poll", "Seconds between polls of a batch under --batch (default 30)", 30);

        var command = merge
            ? new Command("merge", "Merge the journals of the shards of one run (run --shard i/n) into its result: statistics, baseline tests, verdict and reports as an unsharded run of the same samples gives them. No model is called. Without --spec, it takes the specs and the options the shards ran with from their folders (shard.json); an option given to merge replaces the shards' own.")
            {
                shardFolders, specs, target, judge, baseline, model, report, judgeTemplate, filter, suite, tag, samples, allowOutside, judgeTemperature, judgeSeed, requireCalibration,
            }
            : new Command("run", "Run the expectations of .eval specs against a model and print the launch verdict: must expectations block, should expectations are tracked.")
            {
                paths, target, judge, baseline, model, report, concurrency, noCache, record, resume, timeout, retries, judgeTemplate, filter, suite, tag, samples, allowOutside, judgeTemperature, judgeSeed, requireCalibration, shardOption,
            };
        foreach (var option in modelOptions.Options) command.Options.Add(option);
        if (!merge)
        {
            command.Options.Add(batch);
            command.Options.Add(batchPoll);
        }
        command.SetAction(parse => merge && parse.GetValue(specs) is not { Length: > 0 }
            ? MergeAsRecorded(parse, parse.GetValue(shardFolders)!, output, error)
            : Execute(new Settings(
            merge ? parse.GetValue(specs)! : parse.GetValue(paths)!, parse.GetValue(target), parse.GetValue(judge), parse.GetValue(baseline), parse.GetValue(model) ?? Array.Empty<string>(),
            parse.GetValue(report), parse.GetValue(concurrency) ?? 8, parse.GetValue(noCache), parse.GetValue(record), parse.GetValue(resume),
            merge ? 60 : parse.GetValue(timeout), parse.GetValue(retries) ?? 6, parse.GetValue(judgeTemplate))
        {
            Filters = parse.GetValue(filter) ?? Array.Empty<string>(),
            Suites = parse.GetValue(suite) ?? Array.Empty<string>(),
            Tags = parse.GetValue(tag) ?? Array.Empty<string>(),
            Samples = parse.GetValue(samples),
            AllowDataOutside = parse.GetValue(allowOutside),
            JudgeTemperature = parse.GetValue(judgeTemperature),
            JudgeSeed = parse.GetValue(judgeSeed),
            RequireCalibration = parse.GetValue(requireCalibration),
            Shard = merge ? null : parse.GetValue(shardOption),
            Merge = merge ? parse.GetValue(shardFolders) : null,
            Batch = !merge && parse.GetValue(batch),
            BatchPoll = merge ? 30 : parse.GetValue(batchPoll),
            Recorded = merge ? null : ShardCommandLine.Of(parse, parse.GetValue(paths)!),
        }, modelOptions.Read(parse), output, error));
        return command;
    }

    // merge DIR… without --spec: the specs and options the shards kept beside their journals, and merge's own.
    private static int MergeAsRecorded(ParseResult parse, string[] folders, TextWriter output, TextWriter error)
    {
        if (ShardCommandLine.Read(folders, out var problem) is not { } recorded) return Usage(error, problem!);
        var arguments = ShardCommandLine.MergeArguments(folders, recorded, parse);
        output.WriteLine($"merge: the shards ran {ShardCommandLine.Show(recorded)}");
        return Cli.Run(arguments, output, error);
    }

    /// <summary>--timeout: seconds one model call may take, a number whose parse error is product text.</summary>
    internal static Option<double> Seconds() => Seconds("--timeout", "Seconds one model call may take (at most 86400)", 60);

    /// <summary>An option of a number of seconds (the range is checked by the command), whose parse error is product text.</summary>
    private static Option<double> Seconds(string name, string description, double defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "SECONDS",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
            result.AddError($"{name} takes a number of seconds, not '{Shown(text)}'");
            return 0;
        },
    };

    // An integer option whose parse error is product text, not "Cannot parse argument 'abc' … 'System.Int32'".
    internal static Option<int?> WholeNumber(string name, string description, int? defaultValue) => new(name)
    {
        Description = description + (defaultValue is { } d ? $" (default {d.ToString(CultureInfo.InvariantCulture)})" : ""),
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
            result.AddError($"{name} takes a whole number, not '{Shown(text)}'");
            return null;
        },
    };

    private static string Shown(string text) => RunConsole.Safe(text.Length <= 40 ? text : text.Substring(0, 40) + "…");

    internal sealed record Settings(
        string[] Paths, string? Target, string[]? Judge, string? Baseline, string[] Models, string? Report, int Concurrency,
        bool NoCache, string? Record, bool Resume, double Timeout, int Retries, string? JudgeTemplate)
    {
        /// <summary>The runtime's options for these settings, <c>run</c>'s and <c>calibrate</c>'s alike.</summary>
        public RunOptions Options(string? judgeTemplate, int maxReply, bool samplesInJournal = false) => new()
        {
            Concurrency = Concurrency,
            MaxRetries = Retries,
            CallTimeout = TimeSpan.FromSeconds(Timeout),
            CacheDirectory = NoCache ? null : Path.Combine(".evaldsl", "cache"),
            RecordDirectory = Record,
            JudgeTemplate = judgeTemplate,
            MaxReplyCharacters = maxReply,
            JudgeTemperature = JudgeTemperature,
            JudgeSeed = JudgeSeed,
            Shard = Part,
            Batch = Batch,
            BatchPollInterval = TimeSpan.FromSeconds(BatchPoll),
            SamplesInJournal = samplesInJournal,
        };

        public string[] Filters { get; init; } = Array.Empty<string>();
        public string[] Suites { get; init; } = Array.Empty<string>();
        public string[] Tags { get; init; } = Array.Empty<string>();
        public int? Samples { get; init; }
        public bool AllowDataOutside { get; init; }
        public double JudgeTemperature { get; init; }
        public long? JudgeSeed { get; init; }
        public double? RequireCalibration { get; init; }

        /// <summary>--shard as given (i/n), and <see cref="Part"/> as read.</summary>
        public string? Shard { get; init; }
        public RunShard? Part { get; init; }

        /// <summary>merge: the shards' report folders (null for run).</summary>
        public string[]? Merge { get; init; }
        public bool Batch { get; init; }
        public double BatchPoll { get; init; } = 30;

        /// <summary>run: the specs and options a shard keeps for merge (<see cref="ShardCommandLine"/>).</summary>
        public string[]? Recorded { get; init; }
    }

    /// <summary>A plan of this many cases or more is run for memory (<see cref="RunOptions.SamplesInJournal"/>, its compilation collected first).</summary>
    private const int LargePlan = 10_000;

    /// <summary>The κ floor of <c>--require-calibration</c> given without a value (substantial agreement, after Landis and Koch).</summary>
    public const double DefaultKappaFloor = 0.6;

    // --require-calibration[=K]: given bare before anything but a number, Cli gives it the default (the parser would
    // take a PATH after it for its value).
    internal static Option<double?> RequireCalibrationOption() => new("--require-calibration")
    {
        Description = $"Trust the judge only where its calibration record (evaldsl calibrate) is fresh and its κ on the behaviour reaches K (default {DefaultKappaFloor.ToString(CultureInfo.InvariantCulture)}); else a must it judges is undecided (or set \"requireCalibration\" in evaldsl.json)",
        HelpName = "K",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return DefaultKappaFloor;
            var text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value is >= -1 and <= 1) return value;
            result.AddError($"--require-calibration takes a κ from -1 to 1, not '{Shown(text)}'");
            return null;
        },
    };

    private static int Execute(Settings settings, RunBindings.Flags flags, TextWriter output, TextWriter error)
    {
        if (flags.MaxReply < 1) return Usage(error, "--max-reply must be at least 1 character.");
        // The upper bound keeps the thread pool and the parallel loop (4 × concurrency) within what .NET accepts.
        if (settings.Concurrency is < 1 or > 1024) return Usage(error, "--concurrency must be between 1 and 1024.");
        if (!(settings.Timeout > 0 && settings.Timeout <= MaxTimeout)) return Usage(error, "--timeout must be a positive number of seconds, at most 86400 (a day).");
        if (settings.Retries < 0) return Usage(error, "--retries cannot be negative.");
        if (settings.Samples is < 1) return Usage(error, "--samples must be at least 1.");
        if (settings.Shard is { } shardText)
        {
            if (RunShard.TryParse(shardText, out var problem) is not { } part) return Usage(error, $"--shard {Shown(shardText)}: {problem}.");
            settings = settings with { Part = part };
        }
        if (!(settings.BatchPoll > 0 && settings.BatchPoll <= MaxTimeout)) return Usage(error, "--batch-poll must be a positive number of seconds, at most 86400 (a day).");

        var compilation = CheckCommand.Compile(settings.Paths, error, out _, settings.AllowDataOutside);
        if (compilation is null) return Cli.Usage;
        if (compilation.Diagnostics.Count > 0) DiagnosticFormatter.Write("msbuild", compilation.Diagnostics, error);
        if (compilation.HasErrors)
        {
            error.WriteLine("evaldsl: error: the specs have errors; fix them (evaldsl check) before running.");
            return Cli.Usage;
        }

        MemoryLog.Stage(error, "compiled");
        // A large spec's compilation leaves its parser's garbage behind: collected before the plan is built on top of
        // it (100,000 cases: the peak of the run). Cheap to ask; a small spec's compilation never comes near.
        if (GC.GetTotalMemory(forceFullCollection: false) > 64L * 1024 * 1024)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        // The syntax trees and the bound model are not needed past the plan: each case's go as it is lowered, so that
        // the compilation and the plan are never in memory whole together (100,000 cases: about 200 MB and 100 MB).
        var plan = EvalDsl.Lowering.PlanBuilder.BuildReleasing(compilation);
        compilation = null;
        // A large spec's compilation (about 2 KB a case, and as much again of parser garbage) is all garbage now: one
        // compacting collection before the run, so that the run's own memory does not pile on top of it (100,000 cases:
        // a peak of about 650 MB without it, under 500 MB with it). A spec of a few cases skips it.
        var large = plan.Cases.Count() >= LargePlan;
        if (large) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        MemoryLog.Stage(error, "planned");
        if (!plan.Cases.Any()) return Usage(error, "the specs hold no case to run.");
        plan = Select(plan, settings);
        if (!plan.Cases.Any()) return Usage(error, $"no case matches {Selection(settings)}.");

        ModelBindings bindings;
        string? configNote;
        RunOptions options;
        double? requireKappa;
        try
        {
            string? template = null;
            if (settings.JudgeTemplate is { } templatePath)
            {
                if (!File.Exists(templatePath)) return Usage(error, $"the judge template '{templatePath}' does not exist.");
                template = File.ReadAllText(templatePath);
                // A template that does not parse, or that leaves out the reply, the conversation or the behavior, is a
                // usage error found before any model is called (and before any binding is resolved).
                EvalRunner.CheckJudgeTemplate(template, templatePath);
            }
            bindings = RunBindings.Bind(settings, flags, plan, out configNote);
            requireKappa = settings.RequireCalibration ?? RunConfiguration.Find(settings.Paths[0])?.RequireCalibration;
            // A large run's transcripts stay in the journal, read back as each report goes through the cases: its
            // memory grows with the concurrency, not with the number of cases. A smaller run keeps them in memory,
            // where the reports read them without reading and parsing the journal again for each report.
            options = settings.Options(template, flags.MaxReply, samplesInJournal: large);
        }
        catch (EvalDsl.Runtime.Grading.JudgeTemplateException ex)
        {
            error.WriteLine(ex.Message);
            return Cli.Usage;
        }
        catch (ModelSetupException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Usage(error, $"cannot read the judge template {settings.JudgeTemplate}: {FileErrors.Reason(ex)}");
        }

        var reportFolder = settings.Report ?? Path.Combine(".evaldsl", "last-run");
        IDisposable folderLock;
        try
        {
            folderLock = EvalRunner.LockReportFolder(reportFolder);
        }
        catch (EvalDsl.Runtime.Execution.JournalException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Usage(error, $"cannot write the report folder {reportFolder}: {FileErrors.Reason(ex)}");
        }
        using var held = folderLock;
        if (settings.Part is { } shardPart && settings.Recorded is { } recorded)
        {
            try
            {
                ShardCommandLine.Write(reportFolder, shardPart, recorded);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Usage(error, $"cannot write the report folder {reportFolder}: {FileErrors.Reason(ex)}");
            }
        }

        var console = new RunConsole(output, error);
        using var cancel = new CancellationTokenSource();
        var signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                error.WriteLine("evaldsl: stopping: waiting for the calls in flight to end (interrupt again to stop at once)");
                error.Flush();
                // Off the signal thread: cancellation callbacks must not keep a second signal from being seen.
                _ = Task.Run(cancel.Cancel);
                return;
            }
            // A second signal stops at once, whatever blocks (a FIFO, a hung file system): the journal holds what finished.
            error.WriteLine($"evaldsl: stopped at once; the journal keeps what finished: continue with --report {reportFolder} --resume");
            error.Flush();
            output.Flush();
            Environment.Exit(Interrupted);
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        var withBaseline = bindings.IsBound("baseline");
        var runner = new EvalRunner(bindings, options);
        console.Start(plan, bindings, withBaseline, configNote);
        if (settings.Part is { } running)
        {
            var (mine, all) = ShardSize(plan, running, withBaseline);
            output.WriteLine($"shard {running}: runs {mine} of the {all} samples (chosen by a hash of case id and sample); its verdict is partial: evaldsl merge gives the run's");
            output.WriteLine();
        }
        RunResult result;
        var exit = 0;
        using var memoryLog = MemoryLog.Every(error);
        try
        {
            result = console.Track(shown =>
            {
                var observer = MemoryLog.Timed(shown, error);
                return settings.Merge is { } shardFolders
                    ? runner.MergeAsync(plan, withBaseline, shardFolders, reportFolder, observer, cancel.Token)
                    : runner.RunAsync(plan, withBaseline, reportFolder, settings.Resume, observer, cancel.Token);
            }, () => runner.CallStatus);
        }
        catch (RunAbortedException ex)
        {
            result = ex.Partial;
            Say(error, ex.Interrupted
                ? $"evaldsl: {ex.Message}; what finished is saved: continue with --report {reportFolder} --resume"
                : $"evaldsl: error: {ex.Message}");
            exit = ex.Interrupted ? Interrupted : result.Verdict == Verdict.Blocked ? Cli.Failed : Incomplete;
        }
        catch (ModelSetupException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (EvalDsl.Runtime.Execution.JournalException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (EvalDsl.Runtime.Execution.JournalWriteException ex)
        {
            Say(error, $"evaldsl: error: {ex.Message}; the run stopped (it could not have been resumed)");
            return FilesFailed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Usage(error, $"cannot write the report folder {reportFolder}: {FileErrors.Reason(ex)}");
        }
        // As after planning: what the run left (its calls' buffers, the samples as they finished) is garbage now, and
        // each report of a large run reads the journal back; one compacting collection first keeps the reports from
        // piling on top of it (100,000 cases: a peak of about 365 MB without it, about 310 MB with it).
        if (large) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        MemoryLog.Stage(error, "ran");
        // The judge's agreement beside every judged behaviour; under a floor, a must an untrusted judge decided is undecided.
        result = JudgeCalibration.Annotate(result, plan, bindings, options, requireKappa);
        if (exit == Incomplete && result.Verdict == Verdict.Blocked) exit = Cli.Failed;
        if (runner.SkippedJournalLines.Count is > 0 and var skipped)
        {
            var lines = string.Join(", ", runner.SkippedJournalLines.Take(10)) + (skipped > 10 ? ", …" : "");
            error.WriteLine($"evaldsl: warning: {Path.Combine(reportFolder, EvalRunner.JournalFileName)}: skipped {skipped} line{(skipped == 1 ? "" : "s")} that could not be read (line{(skipped == 1 ? "" : "s")} {lines}); their work ran again");
        }

        // The verdict is known even when its files are not: say it, then say what could not be written. The summary is
        // printed while the reports are written (a fifth of what a run of 2,000 fast calls did after its last call),
        // except in a large run, whose reports read the journal back one after another within a bounded memory.
        var finalResult = result;
        var sideBySide = !large && Environment.ProcessorCount >= 2 && !MemoryLog.Heap;
        var writing = sideBySide ? Task.Run(() => WriteAll(finalResult, reportFolder, error, sideBySide: true)) : null;
        var reportError = writing is null ? WriteAll(result, reportFolder, error, sideBySide: false) : null;
        console.Summary(result);
        MemoryLog.Stage(error, "summary shown");
        reportError ??= writing?.GetAwaiter().GetResult();
        console.ReportLine(result, reportError is null ? reportFolder : null, runner.LiveCalls, runner.ReplayedCalls, runner.CachedCalls, runner.JournalledCalls);
        if (reportError is not null)
        {
            Say(error, reportError);
            return FilesFailed;
        }
        if (settings.Merge is { Length: var merged })
        {
            var samples = result.Cases.Sum(c => c.Target.Count + (c.Baseline?.Count ?? 0));
            output.WriteLine($"merged {merged} shard{(merged == 1 ? "" : "s")}: {samples} samples from their journals, no model called");
        }
        if (settings.Part is { } ran)
        {
            var (mine, all) = ShardSize(plan, ran, withBaseline);
            var finished = result.Cases.Sum(c => c.Target.Count + (c.Baseline?.Count ?? 0));
            output.WriteLine($"shard {ran}: ran {finished} of its {mine} samples ({all} in the run); merge the --report folders of all {ran.Count} shards with evaldsl merge");
            // A shard's verdict belongs to the merge: it fails only when its own samples could not be run.
            if (exit is Interrupted or FilesFailed) return exit;
            return exit != 0 || HasErrors(result) ? Incomplete : Cli.Success;
        }
        if (exit != 0) return exit;
        return result.Verdict switch
        {
            Verdict.Clear => Cli.Success,
            Verdict.Blocked => Cli.Failed,
            Verdict.Interrupted => Interrupted,
            _ => Incomplete,
        };
    }

    /// <summary>Writes the reports (<see cref="WriteReports"/>) into <paramref name="reportFolder"/>, made if missing; the error to say, or null.</summary>
    private static string? WriteAll(RunResult result, string reportFolder, TextWriter error, bool sideBySide)
    {
        try
        {
            Directory.CreateDirectory(reportFolder);
            WriteReports(result, reportFolder, error, sideBySide);
            MemoryLog.Stage(error, "reports written");
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"evaldsl: error: cannot write the report in {reportFolder}: {FileErrors.Reason(ex)}";
        }
    }

    /// <summary>
    /// Writes results.json, junit.xml and report.html. They read the same result and each writes its own file, so with
    /// two cores or more they are written side by side (one after another they were a fifth of the wall time of a
    /// run of 2,000 fast calls); the first that fails, in that order, is thrown. Under EVALDSL_MEMORY_LOG=1 they are
    /// written one after another, each stage logged, and so are those of a large plan (<paramref name="sideBySide"/> false),
    /// each of which reads the samples back from the journal: side by side, their memory would add up.
    /// </summary>
    private static void WriteReports(RunResult result, string reportFolder, TextWriter error, bool sideBySide)
    {
        var writes = new (Action Write, string Stage)[]
        {
            (() => JsonReport.Write(result, Path.Combine(reportFolder, "results.json")), "results.json written"),
            (() => JUnitReport.Write(result, Path.Combine(reportFolder, "junit.xml")), "junit.xml written"),
            (() => HtmlReport.Write(result, Path.Combine(reportFolder, "report.html")), "report.html written"),
        };
        if (!sideBySide)
        {
            foreach (var (write, stage) in writes)
            {
                write();
                MemoryLog.Stage(error, stage);
            }
            return;
        }
        var tasks = writes.Select(w => Task.Run(w.Write)).ToArray();
        try
        {
            Task.WaitAll(tasks);
        }
        catch (AggregateException)
        {
            // Each task's own exception is rethrown below, in the order of the reports.
        }
        foreach (var task in tasks)
        {
            if (task.Exception?.InnerException is { } ex) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
        }
    }

    /// <summary>The samples (target and baseline) the shard runs, and the run's.</summary>
    private static (int Mine, int All) ShardSize(EvalPlan plan, RunShard shard, bool withBaseline)
    {
        var roles = withBaseline ? 2 : 1;
        return (plan.Cases.Sum(c => shard.SamplesOf(c)) * roles, plan.Cases.Sum(c => c.Samples) * roles);
    }

    /// <summary>Did a model failure or an unreadable judge answer leave any grade of the result an error?</summary>
    private static bool HasErrors(RunResult result) =>
        result.Cases.SelectMany(c => c.Target.Concat(c.Baseline ?? (IReadOnlyList<SampleResult>)Array.Empty<SampleResult>()))
            .Any(s => s.Grades.Any(g => g.Outcome == Outcome.Error));

    // --suite, --tag and --filter narrow the plan (each given kind must match); --samples replaces every case's samples.
    private static EvalPlan Select(EvalPlan plan, Settings settings)
    {
        bool Matches(EvalCase c) =>
            (settings.Suites.Length == 0 || settings.Suites.Any(s => string.Equals(s, c.Suite, StringComparison.OrdinalIgnoreCase))) &&
            (settings.Tags.Length == 0 || settings.Tags.Any(t => c.Tags.Contains(t, StringComparer.OrdinalIgnoreCase))) &&
            (settings.Filters.Length == 0 || settings.Filters.Any(f => c.Id.Contains(f, StringComparison.OrdinalIgnoreCase) || c.Title.Contains(f, StringComparison.OrdinalIgnoreCase)));
        var suites = plan.Suites
            .Select(s => s with { Cases = s.Cases.Where(Matches).Select(c => settings.Samples is { } n ? c with { Samples = n } : c).ToList() })
            .Where(s => s.Cases.Count > 0)
            .ToList();
        return new EvalPlan(suites);
    }

    private static string Selection(Settings settings) => string.Join(" ",
        settings.Suites.Select(s => $"--suite \"{s}\"").Concat(settings.Tags.Select(t => $"--tag {t}")).Concat(settings.Filters.Select(f => $"--filter \"{f}\"")));

    private static int Usage(TextWriter error, string message)
    {
        Say(error, $"evaldsl: error: {message}");
        return Cli.Usage;
    }

    // Messages quote files, journals, paths and servers: no secret may leave in them, and nothing may drive the terminal.
    private static void Say(TextWriter error, string line) => error.WriteLine(RunConsole.Safe(EvalDsl.Runtime.Models.Secrets.Redact(line)));
}
