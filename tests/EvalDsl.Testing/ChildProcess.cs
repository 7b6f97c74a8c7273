using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Testing;

/// <summary>What a child process did: its exit code, whether its deadline killed it, and its output.</summary>
/// <param name="ExitCode">The exit code (a killed process reports the signal's).</param>
/// <param name="TimedOut">Whether the deadline passed and the process tree was killed.</param>
/// <param name="Output">Standard output, exactly, with <c>\r\n</c> as <c>\n</c>.</param>
/// <param name="Error">Standard error, likewise.</param>
public sealed record ChildResult(int ExitCode, bool TimedOut, string Output, string Error)
{
    /// <summary>Both streams line by line as they arrived, each stderr line prefixed <c>stderr: </c>.</summary>
    public string Transcript { get; init; } = string.Empty;

    /// <summary>From the start to the exit (or the kill).</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>
/// The one process runner of the tests: starts a program with the environment scrubbed (<see cref="Scrub"/>), the
/// caller's variables added back, optional stdin, and a deadline after which the whole process tree is killed.
/// </summary>
public static class ChildProcess
{
    /// <summary>How long a killed process tree may take to go.</summary>
    public static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Prefixes of variables a developer shell or a parent <c>dotnet test</c> could leak into a child.</summary>
    private static readonly string[] ClearedPrefixes =
    {
        "EVALDSL_", "OPENAI_", "ANTHROPIC_", "AZURE_OPENAI_", "MSBuild", "_MSBuild", "VSTEST_", "TESTINGPLATFORM_",
    };

    /// <summary>How long the pipes may stay open after the child exits (a grandchild may hold them).</summary>
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Removes every EVALDSL_*, *_API_KEY, model-provider and parent MSBuild/VSTest variable from <paramref name="start"/>.</summary>
    public static void Scrub(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (ClearedPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase))
                || key.EndsWith("_API_KEY", StringComparison.OrdinalIgnoreCase)
                || key.EndsWith("_TOKEN", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(key);
            }
        }
    }

    /// <summary>A start description with redirected output and a scrubbed environment plus <paramref name="environment"/>.</summary>
    public static ProcessStartInfo Describe(
        string program, string workingDirectory, IEnumerable<KeyValuePair<string, string?>>? environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        Scrub(start);
        if (environment is not null)
        {
            foreach (var pair in environment) start.Environment[pair.Key] = pair.Value;
        }

        return start;
    }

    /// <summary>Runs <paramref name="start"/> to its end or its deadline (then kills the tree and reports <see cref="ChildResult.TimedOut"/>).</summary>
    public static async Task<ChildResult> RunAsync(ProcessStartInfo start, TimeSpan deadline, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var transcript = new StringBuilder();
        var output = PumpAsync(process.StandardOutput, transcript, string.Empty);
        var error = PumpAsync(process.StandardError, transcript, "stderr: ");
        if (start.RedirectStandardInput)
        {
            if (stdin is not null) await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        var timedOut = false;
        using (var cancel = new CancellationTokenSource(deadline))
        {
            try
            {
                await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                Kill(process);
                await WaitAsync(process, KillDeadline).ConfigureAwait(false);
            }
        }

        clock.Stop();
        await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(DrainDeadline)).ConfigureAwait(false);
        string lines;
        lock (transcript) lines = transcript.ToString();
        return new ChildResult(
            process.ExitCode,
            timedOut,
            output.IsCompletedSuccessfully ? output.Result : string.Empty,
            error.IsCompletedSuccessfully ? error.Result : string.Empty)
        {
            Transcript = lines,
            Duration = clock.Elapsed,
        };
    }

    /// <summary>Starts <paramref name="start"/> and hands it over; disposing the handle kills what is left of its tree.</summary>
    public static RunningChild Start(ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        return new RunningChild(process);
    }

    /// <summary>Waits for <paramref name="process"/> to exit; past <paramref name="deadline"/> kills its tree and throws.</summary>
    /// <param name="process">The process.</param>
    /// <param name="deadline">How long it may take.</param>
    /// <param name="meaning">What a timeout means for the test, added to the message.</param>
    public static async Task WaitAsync(Process process, TimeSpan deadline, string? meaning = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var cancel = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new TimeoutException(
                $"{process.StartInfo.FileName} did not exit within {deadline.TotalSeconds:0} s and was killed." + (meaning is null ? string.Empty : " " + meaning));
        }
    }

    internal static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited just now.
        }
    }

    /// <summary>Reads a stream to its end, keeping it exact, and copies each whole line to the shared transcript.</summary>
    private static async Task<string> PumpAsync(StreamReader reader, StringBuilder transcript, string prefix)
    {
        var all = new StringBuilder();
        var line = new StringBuilder();
        var buffer = new char[4096];
        var carriageReturn = false; // held back: it is dropped before a \n (CRLF becomes LF) and kept otherwise
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var c = buffer[i];
                    if (carriageReturn && c != '\n')
                    {
                        all.Append('\r');
                        line.Append('\r');
                    }

                    carriageReturn = c == '\r';
                    if (carriageReturn) continue;
                    all.Append(c);
                    if (c != '\n')
                    {
                        line.Append(c);
                        continue;
                    }

                    lock (transcript) transcript.Append(prefix).Append(line).Append('\n');
                    line.Clear();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process was disposed while a grandchild still held the pipe.
        }

        if (carriageReturn)
        {
            all.Append('\r');
            line.Append('\r');
        }

        if (line.Length > 0)
        {
            lock (transcript) transcript.Append(prefix).Append(line).Append('\n');
        }

        return all.ToString();
    }
}

/// <summary>A started child process: its streams, its waits (each with a deadline), and a kill on dispose.</summary>
public sealed class RunningChild : IDisposable
{
    internal RunningChild(Process process) => Process = process;

    /// <summary>The process itself.</summary>
    public Process Process { get; }

    /// <summary>Its id, to signal it.</summary>
    public int Id => Process.Id;

    /// <summary>Its exit code, once it has exited.</summary>
    public int ExitCode => Process.ExitCode;

    /// <summary>Its redirected standard output.</summary>
    public StreamReader StandardOutput => Process.StandardOutput;

    /// <summary>Its redirected standard error.</summary>
    public StreamReader StandardError => Process.StandardError;

    /// <summary>Waits for it to exit; past <paramref name="deadline"/> kills its tree and throws, with <paramref name="meaning"/>.</summary>
    public Task WaitAsync(TimeSpan deadline, string? meaning = null) => ChildProcess.WaitAsync(Process, deadline, meaning);

    /// <summary>Kills its tree and waits for it to go (<see cref="ChildProcess.KillDeadline"/>).</summary>
    public Task KillAsync()
    {
        ChildProcess.Kill(Process);
        return WaitAsync(ChildProcess.KillDeadline, "The kill did not take.");
    }

    /// <summary>Kills what is left of its tree, so a failed test leaves no process behind.</summary>
    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                ChildProcess.Kill(Process);
                Process.WaitForExit(ChildProcess.KillDeadline);
            }
        }
        catch (InvalidOperationException)
        {
            // It was never started or already went.
        }
        finally
        {
            Process.Dispose();
        }
    }
}
