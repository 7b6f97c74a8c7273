using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using EvalDsl.Cli.Output;
using EvalDsl.Runtime;
using EvalDsl.Runtime.Reports;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl run PATH…</c>: run the expectations against the bound models and print the launch verdict.
/// Exit 0 clear, 1 blocked, 2 usage or spec errors, 3 model failures prevented a verdict.
/// </summary>
internal static class RunCommand
{
    public const int Incomplete = 3;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = CheckCommand.PathsArgument();
        var target = new Option<string?>("--target") { Description = "The model under test, e.g. openai:gpt-4o-mini or openai:llama3.2@http://localhost:11434/v1 (else EVALDSL_TARGET)", HelpName = "REF" };
        var judge = new Option<string?>("--judge") { Description = "The judge model (else EVALDSL_JUDGE)", HelpName = "REF" };
        var baseline = new Option<string?>("--baseline") { Description = "The model in production: every case also runs on it and the report gives paired deltas (else EVALDSL_BASELINE)", HelpName = "REF" };
        var model = new Option<string[]>("--model") { Description = "Bind any model name a spec uses: NAME=REF (else EVALDSL_MODEL_<NAME>)", HelpName = "NAME=REF", AllowMultipleArgumentsPerToken = false };
        var report = new Option<string?>("--report") { Description = "Write results.json, junit.xml and report.html here and keep the run's journal here (default .evaldsl/last-run)", HelpName = "DIR" };
        var concurrency = new Option<int>("--concurrency") { Description = "Model calls in flight at once", DefaultValueFactory = _ => 8, HelpName = "N" };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache (.evaldsl/cache)" };
        var record = new Option<string?>("--record") { Description = "Save every model exchange under DIR/<binding> for replay:DIR/<binding>", HelpName = "DIR" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run journalled in the report folder without repeating finished samples" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one model call may take", DefaultValueFactory = _ => 60, HelpName = "SECONDS" };
        var retries = new Option<int>("--retries") { Description = "Retries of a call that failed transiently (429, 5xx, timeout)", DefaultValueFactory = _ => 6, HelpName = "N" };
        var judgeTemplate = new Option<string?>("--judge-template") { Description = "A Scriban template that replaces the built-in judge prompt", HelpName = "FILE" };
        var modelOptions = new RunBindings();

        var command = new Command("run", "Run the expectations of .eval specs against a model and print the launch verdict: must expectations block, should expectations are tracked.")
        {
            paths, target, judge, baseline, model, report, concurrency, noCache, record, resume, timeout, retries, judgeTemplate,
        };
        foreach (var option in modelOptions.Options) command.Options.Add(option);
        command.SetAction(parse => Execute(new Settings(
            parse.GetValue(paths)!, parse.GetValue(target), parse.GetValue(judge), parse.GetValue(baseline), parse.GetValue(model) ?? Array.Empty<string>(),
            parse.GetValue(report), parse.GetValue(concurrency), parse.GetValue(noCache), parse.GetValue(record), parse.GetValue(resume),
            parse.GetValue(timeout), parse.GetValue(retries), parse.GetValue(judgeTemplate)), modelOptions.Read(parse), output, error));
        return command;
    }

    internal sealed record Settings(
        string[] Paths, string? Target, string? Judge, string? Baseline, string[] Models, string? Report, int Concurrency,
        bool NoCache, string? Record, bool Resume, double Timeout, int Retries, string? JudgeTemplate);

    private static int Execute(Settings settings, RunBindings.Flags flags, TextWriter output, TextWriter error)
    {
        if (flags.MaxReply < 1) return Usage(error, "--max-reply must be at least 1 character.");
        if (settings.Concurrency < 1) return Usage(error, "--concurrency must be at least 1.");
        if (settings.Timeout <= 0) return Usage(error, "--timeout must be a positive number of seconds.");
        if (settings.Retries < 0) return Usage(error, "--retries cannot be negative.");

        var compilation = CheckCommand.Compile(settings.Paths, error, out _);
        if (compilation is null) return Cli.Usage;
        if (compilation.Diagnostics.Count > 0) DiagnosticFormatter.Write("msbuild", compilation.Diagnostics, error);
        if (compilation.HasErrors)
        {
            error.WriteLine("evaldsl: error: the specs have errors; fix them (evaldsl check) before running.");
            return Cli.Usage;
        }

        var plan = PlanBuilder.Build(compilation);
        if (!plan.Cases.Any()) return Usage(error, "the specs hold no case to run.");

        ModelBindings bindings;
        string? configNote;
        RunOptions options;
        try
        {
            bindings = RunBindings.Bind(settings, flags, plan, out configNote);
            string? template = null;
            if (settings.JudgeTemplate is { } templatePath)
            {
                if (!File.Exists(templatePath)) return Usage(error, $"the judge template '{templatePath}' does not exist.");
                template = File.ReadAllText(templatePath);
            }
            options = new RunOptions
            {
                Concurrency = settings.Concurrency,
                MaxRetries = settings.Retries,
                CallTimeout = TimeSpan.FromSeconds(settings.Timeout),
                CacheDirectory = settings.NoCache ? null : Path.Combine(".evaldsl", "cache"),
                RecordDirectory = settings.Record,
                JudgeTemplate = template,
                MaxReplyCharacters = flags.MaxReply,
            };
            // A judge template that does not parse is a usage error, found before any call.
            _ = new EvalDsl.Runtime.Grading.JudgePrompt(template);
        }
        catch (ModelSetupException ex)
        {
            return Usage(error, ex.Message);
        }

        var reportFolder = settings.Report ?? Path.Combine(".evaldsl", "last-run");
        var console = new RunConsole(output, error);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });

        var withBaseline = bindings.IsBound("baseline");
        var runner = new EvalRunner(bindings, options);
        console.Start(plan, bindings, withBaseline, configNote);
        RunResult result;
        var exit = 0;
        try
        {
            result = console.Track(observer => runner.RunAsync(plan, withBaseline, reportFolder, settings.Resume, observer, cancel.Token));
        }
        catch (RunAbortedException ex)
        {
            result = ex.Partial;
            error.WriteLine(ex.Interrupted
                ? $"evaldsl: {ex.Message}; what finished is saved: continue with --report {reportFolder} --resume"
                : $"evaldsl: error: {ex.Message}");
            exit = result.Verdict == Verdict.Blocked ? Cli.Failed : Incomplete;
        }
        catch (ModelSetupException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (EvalDsl.Runtime.Execution.JournalException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Usage(error, $"cannot write the report folder {reportFolder}: {ex.Message}");
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        try
        {
            Directory.CreateDirectory(reportFolder);
            JsonReport.Write(result, Path.Combine(reportFolder, "results.json"));
            JUnitReport.Write(result, Path.Combine(reportFolder, "junit.xml"));
            HtmlReport.Write(result, Path.Combine(reportFolder, "report.html"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"evaldsl: error: cannot write the report folder {reportFolder}: {ex.Message}");
            return exit != 0 ? exit : Incomplete;
        }

        console.Summary(result, reportFolder, runner.LiveCalls, runner.ReplayedCalls, runner.CachedCalls);
        if (exit != 0) return exit;
        return result.Verdict switch
        {
            Verdict.Clear => Cli.Success,
            Verdict.Blocked => Cli.Failed,
            _ => Incomplete,
        };
    }

    private static int Usage(TextWriter error, string message)
    {
        error.WriteLine($"evaldsl: error: {EvalDsl.Runtime.Models.Secrets.Redact(message)}");
        return Cli.Usage;
    }
}
