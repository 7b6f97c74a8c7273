using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using EvalDsl.Testing;

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
/// Runs the <c>dotnet</c> CLI through <see cref="ChildProcess"/> the way a user's shell would, even from inside a
/// parent <c>dotnet test</c>: its scrub removes the MSBuild and VSTest variables a parent CLI leaves in the
/// environment (they point child builds at the parent's MSBuild and break them) and the model variables of the
/// machine; node reuse is off so no MSBuild node outlives the command, and past its deadline the tree is killed.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The dotnet host running these tests when a parent CLI says so (DOTNET_HOST_PATH), else the one on PATH.</summary>
    private static string Host =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<DotnetResult> RunAsync(
        string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            ["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1",
            ["DOTNET_CLI_UI_LANGUAGE"] = "en",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["NUGET_XMLDOC_MODE"] = "skip",
        };
        if (environment is not null)
        {
            foreach (var (key, value) in environment) variables[key] = value;
        }

        var result = await ChildProcess.RunAsync(ChildProcess.Describe(Host, workingDirectory, variables, args), timeout).ConfigureAwait(false);
        return new DotnetResult(string.Join(" ", args.Select(Quote)), workingDirectory, result.ExitCode, result.TimedOut, result.Duration, result.Transcript);
    }

    private static string Quote(string arg) => arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c != '"' && c != '\'') ? arg : "'" + arg + "'";
}
