using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Roslyn.Tests.EndToEnd;

/// <summary>What a <c>dotnet</c> process did: its exit code and its stdout and stderr, interleaved as they arrived.</summary>
public sealed record DotnetResult(string Command, string WorkingDirectory, int ExitCode, bool TimedOut, TimeSpan Duration, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The output's lines, trimmed at the start (MSBuild indents the summary's copy of each diagnostic).</summary>
    public IReadOnlyList<string> Lines => Output.Split('\n').Select(l => l.TrimStart().TrimEnd('\r')).ToList();

    /// <summary>The command, where it ran, how it ended and everything it printed, for assertion messages.</summary>
    public override string ToString()
    {
        var end = TimedOut ? "killed after its timeout" : $"exit code {ExitCode}";
        return $"$ dotnet {Command}\n  (in {WorkingDirectory}; {end}; {Duration.TotalSeconds:0.0} s)\n{Output}";
    }
}

/// <summary>
/// Runs the <c>dotnet</c> CLI as a child process the way a user's shell would, even from inside a parent
/// <c>dotnet test</c>: the MSBuild and VSTest variables a parent CLI leaves in the environment are removed (they
/// point child builds at the parent's MSBuild and break them), as are the model variables of the machine; node
/// reuse is off so no MSBuild node outlives the command.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The dotnet host running these tests when a parent CLI says so (DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string Host =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<DotnetResult> RunAsync(
        string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(Host)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        ChildProcess.Scrub(start);

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["NUGET_XMLDOC_MODE"] = "skip";
        if (environment is not null)
        {
            foreach (var (key, value) in environment) start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, output, string.Empty),
            PumpAsync(process.StandardError, output, "stderr: "));

        var timedOut = false;
        using (var cancel = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited just now.
                }

                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        // A grandchild (a compiler server, say) may hold the pipes open after dotnet exits: drain briefly, never hang.
        await Task.WhenAny(pumps, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        clock.Stop();
        string text;
        lock (output) text = output.ToString();
        return new DotnetResult(string.Join(" ", args.Select(Quote)), workingDirectory, process.ExitCode, timedOut, clock.Elapsed, text);
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink, string prefix)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (sink) sink.Append(prefix).Append(line).Append('\n');
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was disposed while a grandchild still held the pipe.
        }
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c != '"' && c != '\'') ? arg : "'" + arg + "'";
}
