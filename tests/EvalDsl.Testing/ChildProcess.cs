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
public sealed record ChildResult(int ExitCode, bool TimedOut, string Output, string Error);

/// <summary>
/// The one process runner of the tests: starts a program with the environment scrubbed (<see cref="Scrub"/>), the
/// caller's variables added back, optional stdin, and a deadline after which the whole process tree is killed.
/// </summary>
public static class ChildProcess
{
    /// <summary>Prefixes of variables a developer shell or a parent <c>dotnet test</c> could leak into a child.</summary>
    private static readonly string[] ClearedPrefixes =
    {
        "EVALDSL_", "OPENAI_", "ANTHROPIC_", "AZURE_OPENAI_", "MSBuild", "_MSBuild", "VSTEST_", "TESTINGPLATFORM_",
    };

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
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
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
                await WaitAsync(process, TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            }
        }

        // A grandchild may hold the pipes open after the child exits: drain briefly, never hang.
        await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        return new ChildResult(
            process.ExitCode,
            timedOut,
            output.IsCompletedSuccessfully ? output.Result.Replace("\r\n", "\n") : string.Empty,
            error.IsCompletedSuccessfully ? error.Result.Replace("\r\n", "\n") : string.Empty);
    }

    /// <summary>Waits for <paramref name="process"/> to exit; past <paramref name="deadline"/> kills its tree and throws.</summary>
    public static async Task WaitAsync(Process process, TimeSpan deadline)
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
            throw new TimeoutException($"{process.StartInfo.FileName} did not exit within {deadline.TotalSeconds:0} s and was killed.");
        }
    }

    private static void Kill(Process process)
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
}
