using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using EvalDsl.Cli.Output;
using EvalDsl.Runtime;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl calibrate [PATH…]</c>: ask the bound judge about every behaviour's labelled examples (built-in ones, those
/// the specs at PATH declare, and the lines of <c>--gold</c> files) and print how far it agrees with the labels.
/// Exit 0 done, 2 usage (no judge bound, a bad gold file, spec errors), 3 judge failures prevented figures.
/// </summary>
internal static class CalibrateCommand
{
    public const int DefaultRepeat = 3;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("PATH")
        {
            Arity = ArgumentArity.ZeroOrMore,
            Description = ".eval files, or folders searched recursively for them, whose declared behaviours are calibrated too (the built-in ones always are)",
        };
        var judge = new Option<string[]>("--judge") { Description = "The judge model (else EVALDSL_JUDGE, else the judge of evaldsl.json); repeat it, or separate references with commas, for a jury decided by majority (judge-1, judge-2, …)", HelpName = "REF", AllowMultipleArgumentsPerToken = false };
        var gold = new Option<string[]>("--gold") { Description = "A JSONL file of labelled examples: {\"behavior\": …, \"reply\": … or \"conversation\": […], \"label\": true|false} a line (repeatable)", HelpName = "FILE", AllowMultipleArgumentsPerToken = false };
        var repeat = RunCommand.WholeNumber("--repeat", "Ask every question N times, each with its own seed, to measure the judge's self-consistency", DefaultRepeat);
        var report = new Option<string?>("--report") { Description = "Write calibration.json and calibration.html here (default .evaldsl/calibration-run)", HelpName = "DIR" };
        var concurrency = RunCommand.WholeNumber("--concurrency", "Model calls in flight at once", 8);
        var noCache = new Option<bool>("--no-cache") { Description = "Do not read or write the response cache (.evaldsl/cache)" };
        var record = new Option<string?>("--record") { Description = "Save every judge exchange under DIR/judge for replay:DIR/judge", HelpName = "DIR" };
        var retries = RunCommand.WholeNumber("--retries", "Retries of a call that failed transiently (429, 5xx, timeout)", 6);
        var timeout = RunCommand.Seconds();
        var judgeTemplate = new Option<string?>("--judge-template") { Description = "A Scriban template that replaces the built-in judge prompt (calibrate with the one run uses)", HelpName = "FILE" };
        var temperature = JudgeTemperatureOption();
        var seed = JudgeSeedOption();
        var allowOutside = CheckCommand.AllowDataOutsideOption();
        var modelOptions = new RunBindings();
        var command = new Command("calibrate", "Measure the judge: ask it about labelled examples and report its agreement (Cohen's κ), false-pass rate and self-consistency, per behaviour.")
        {
            paths, judge, gold, repeat, report, concurrency, noCache, record, retries, timeout, judgeTemplate, temperature, seed, allowOutside,
        };
        foreach (var option in modelOptions.Options) command.Options.Add(option);
        command.SetAction(parse => Execute(
            new RunCommand.Settings(parse.GetValue(paths) is { Length: > 0 } p ? p : new[] { "." }, null, parse.GetValue(judge), null, Array.Empty<string>(),
                parse.GetValue(report), parse.GetValue(concurrency) ?? 8, parse.GetValue(noCache), parse.GetValue(record), false,
                parse.GetValue(timeout), parse.GetValue(retries) ?? 6, parse.GetValue(judgeTemplate))
            {
                AllowDataOutside = parse.GetValue(allowOutside),
                JudgeTemperature = parse.GetValue(temperature),
                JudgeSeed = parse.GetValue(seed),
            },
            parse.GetValue(paths) is { Length: > 0 },
            parse.GetValue(gold) ?? Array.Empty<string>(), parse.GetValue(repeat) ?? DefaultRepeat, modelOptions.Read(parse), output, error));
        return command;
    }

    internal static Option<double> JudgeTemperatureOption() => new("--judge-temperature")
    {
        Description = "The judge's sampling temperature (default 0); recorded, and part of the cache key",
        HelpName = "T",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value is >= 0 and <= 2) return value;
            result.AddError($"--judge-temperature takes a number from 0 to 2, not '{RunConsole.Safe(text.Length <= 40 ? text : text[..40] + "…")}'");
            return 0;
        },
    };

    internal static Option<long?> JudgeSeedOption() => new("--judge-seed")
    {
        Description = "The judge's seed, sent with every judge request and part of the cache key (default: none sent)",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
            result.AddError($"--judge-seed takes a whole number, not '{RunConsole.Safe(text.Length <= 40 ? text : text[..40] + "…")}'");
            return null;
        },
    };

    private static int Execute(RunCommand.Settings settings, bool hasPaths, string[] goldFiles, int repeat, RunBindings.Flags flags, TextWriter output, TextWriter error)
    {
        if (repeat is < 1 or > 100) return Usage(error, "--repeat must be between 1 and 100.");
        if (settings.Concurrency is < 1 or > 1024) return Usage(error, "--concurrency must be between 1 and 1024.");
        if (!(settings.Timeout > 0 && settings.Timeout <= 86_400)) return Usage(error, "--timeout must be a positive number of seconds, at most 86400 (a day).");
        if (settings.Retries < 0) return Usage(error, "--retries cannot be negative.");
        if (goldFiles.Length > 1) return Usage(error, "--gold takes one file; join the files into one.");

        // The behaviours: the built-in ones, then those the specs declare (their expectations carry them).
        var behaviors = EvalCompilation.BuiltInBehaviors.ToList();
        var plan = new EvalPlan(Array.Empty<EvalSuite>());
        if (hasPaths)
        {
            var compilation = CheckCommand.Compile(settings.Paths, error, out _, settings.AllowDataOutside);
            if (compilation is null) return Cli.Usage;
            if (compilation.HasErrors)
            {
                DiagnosticFormatter.Write("msbuild", compilation.Diagnostics, error);
                return Usage(error, "the specs have errors; fix them (evaldsl check) before calibrating.");
            }
            plan = EvalDsl.Lowering.PlanBuilder.Build(compilation);
            behaviors.AddRange(Declared(plan));
        }

        ModelBindings bindings;
        RunOptions options;
        try
        {
            string? template = null;
            if (settings.JudgeTemplate is { } templatePath)
            {
                if (!File.Exists(templatePath)) return Usage(error, $"the judge template '{templatePath}' does not exist.");
                template = File.ReadAllText(templatePath);
                EvalRunner.CheckJudgeTemplate(template, templatePath);
            }
            if (goldFiles.Length == 1 && !File.Exists(goldFiles[0])) return Usage(error, $"the gold file '{goldFiles[0]}' does not exist.");
            bindings = RunBindings.Bind(settings, flags, plan, out _);
            bindings.AddEnvironment(new[] { "judge" });
            if (!bindings.IsBound("judge")) return Usage(error, "no judge model: pass --judge REF or set EVALDSL_JUDGE (or bind judge in evaldsl.json).");
            options = settings.Options(template, flags.MaxReply);
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
            return Usage(error, $"cannot read {settings.JudgeTemplate}: {FileErrors.Reason(ex)}");
        }

        JudgeCalibration calibration;
        using var cancel = new CancellationTokenSource();
        try
        {
            calibration = JudgeCalibration.RunAsync(bindings, behaviors, options, repeat, goldFiles.FirstOrDefault(), cancel.Token).GetAwaiter().GetResult();
        }
        catch (FormatException ex)
        {
            Say(error, ex.Message);
            return Cli.Usage;
        }
        catch (ModelSetupException ex)
        {
            return Usage(error, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Usage(error, $"cannot read the gold file {goldFiles.FirstOrDefault()}: {FileErrors.Reason(ex)}");
        }

        output.WriteLine(RunConsole.Safe($"judge {calibration.JudgeIdentity} (temperature {calibration.Temperature.ToString(CultureInfo.InvariantCulture)}, seed {(calibration.Seed is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none")}), {calibration.Questions} questions × {calibration.Repeat}"));
        output.WriteLine();
        foreach (var line in calibration.ToTable().TrimEnd().Split('\n')) output.WriteLine(RunConsole.Safe(line.TrimEnd('\r')));

        var reportFolder = settings.Report ?? Path.Combine(".evaldsl", "calibration-run");
        try
        {
            calibration.WriteJson(Path.Combine(reportFolder, JudgeCalibration.FileName));
            calibration.WriteHtml(Path.Combine(reportFolder, JudgeCalibration.HtmlFileName));
            output.WriteLine();
            output.WriteLine(RunConsole.Safe($"report: {Path.Combine(reportFolder, JudgeCalibration.FileName)}, {Path.Combine(reportFolder, JudgeCalibration.HtmlFileName)}"));
            if (calibration.WriteRecord() is { } recordPath) output.WriteLine(RunConsole.Safe($"record: {recordPath}"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Say(error, $"evaldsl: error: cannot write the calibration report to {reportFolder}: {FileErrors.Reason(ex)}");
            return RunCommand.FilesFailed;
        }

        if (calibration.Failures.Count > 0)
        {
            Say(error, $"evaldsl: error: the judge could not answer {calibration.Failures.Count} of {calibration.Questions} questions; the figures are incomplete and no record was written:");
            foreach (var failure in calibration.Failures.Take(10)) Say(error, "  " + failure);
            if (calibration.Failures.Count > 10) Say(error, $"  … and {calibration.Failures.Count - 10} more (see the report)");
            return RunCommand.Incomplete;
        }
        return Cli.Success;
    }

    /// <summary>The behaviours the specs' expectations name (declared ones and built-in ones alike; built-ins come first anyway).</summary>
    private static IEnumerable<EvalBehavior> Declared(EvalPlan plan) =>
        plan.Cases.SelectMany(c => c.Expectations).Select(e => e.Behavior).Where(b => b is not null).Select(b => b!);

    private static int Usage(TextWriter error, string message)
    {
        Say(error, $"evaldsl: error: {message}");
        return Cli.Usage;
    }

    private static void Say(TextWriter error, string line) => error.WriteLine(RunConsole.Safe(EvalDsl.Runtime.Models.Secrets.Redact(line)));
}
