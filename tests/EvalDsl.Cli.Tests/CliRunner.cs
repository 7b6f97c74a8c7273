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
        using var process = Start(workingDirectory, environment, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("evaldsl did not finish");
        }
        return new CliResult(process.ExitCode, output.Result.Replace("\r\n", "\n"), error.Result.Replace("\r\n", "\n"));
    }

    /// <summary>Starts evaldsl with redirected output; the model variables of the test machine are cleared unless given.</summary>
    public static Process Start(string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in new[] { "OPENAI_API_KEY", "EVALDSL_TARGET", "EVALDSL_JUDGE", "EVALDSL_BASELINE", "EVALDSL_TRUST_CONFIG" }) start.Environment.Remove(name);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("EVALDSL_KEY_", StringComparison.Ordinal) || k.StartsWith("EVALDSL_HEADERS_", StringComparison.Ordinal)).ToList()) start.Environment.Remove(name);
        foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "evaldsl.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        return System.Diagnostics.Process.Start(start)!;
    }
}

/// <summary>A temporary folder of spec files, deleted afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "evaldsl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
