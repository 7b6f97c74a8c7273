using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace EvalDsl.Cli.Tests;

internal sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs evaldsl in-process (fast) or as a real process in a working directory (exit codes and paths as a user sees them).</summary>
internal static class CliRunner
{
    public static CliResult InProcess(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cli.Run(args, output, error);
        return new CliResult(code, output.ToString().Replace("\r\n", "\n"), error.ToString().Replace("\r\n", "\n"));
    }

    public static CliResult Process(string workingDirectory, params string[] args) =>
        Process(workingDirectory, new Dictionary<string, string?>(), args);

    public static CliResult Process(string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var start = Describe(workingDirectory, environment, args);
        var result = ChildProcess.RunAsync(start, TimeSpan.FromMinutes(2)).GetAwaiter().GetResult();
        if (result.TimedOut) throw new TimeoutException("evaldsl did not finish within 120 s and was killed");
        return new CliResult(result.ExitCode, result.Output, result.Error);
    }

    /// <summary>Starts evaldsl with redirected output; the environment is scrubbed (<see cref="ChildProcess.Scrub"/>) and <paramref name="environment"/> added.</summary>
    public static Process Start(string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var start = Describe(workingDirectory, environment, args);
        start.RedirectStandardInput = false;
        return System.Diagnostics.Process.Start(start)!;
    }

    private static ProcessStartInfo Describe(string workingDirectory, IDictionary<string, string?> environment, string[] args) =>
        ChildProcess.Describe("dotnet", workingDirectory, environment, new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "evaldsl.dll") }.Concat(args));
}
