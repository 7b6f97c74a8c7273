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
    /// <summary>How long one evaldsl run may take before it is killed.</summary>
    public static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(2);

    /// <summary>How long a system tool may take.</summary>
    private static readonly TimeSpan ToolDeadline = TimeSpan.FromSeconds(30);

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
        var result = ChildProcess.RunAsync(start, RunDeadline).GetAwaiter().GetResult();
        if (result.TimedOut) throw new TimeoutException($"evaldsl did not finish within {RunDeadline.TotalSeconds:0} s and was killed");
        return new CliResult(result.ExitCode, result.Output, result.Error);
    }

    /// <summary>
    /// Starts evaldsl with redirected output; the environment is scrubbed (<see cref="ChildProcess.Scrub"/>) and
    /// <paramref name="environment"/> added. Disposing the handle kills what is left of it.
    /// </summary>
    public static RunningChild Start(string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var start = Describe(workingDirectory, environment, args);
        start.RedirectStandardInput = false;
        return ChildProcess.Start(start);
    }

    /// <summary>Runs a small system tool (<c>mkfifo</c>, <c>kill</c>) and asserts it succeeded.</summary>
    public static void Tool(string program, params string[] args)
    {
        var result = ChildProcess.RunAsync(ChildProcess.Describe(program, System.IO.Path.GetTempPath(), null, args), ToolDeadline).GetAwaiter().GetResult();
        if (result.TimedOut) throw new TimeoutException($"{program} did not finish within {ToolDeadline.TotalSeconds:0} s and was killed");
        Assert.True(result.ExitCode == 0, $"{program} {string.Join(" ", args)} exited with {result.ExitCode}: {result.Error}");
    }

    private static ProcessStartInfo Describe(string workingDirectory, IDictionary<string, string?> environment, string[] args) =>
        ChildProcess.Describe("dotnet", workingDirectory, environment, new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "evaldsl.dll") }.Concat(args));
}
