using System;
using System.Collections.Generic;
using System.IO;

namespace EvalDsl.Editors.Tests;

/// <summary>Runs node scripts and npm packages of editors/vscode (installed by .ci/setup: npm ci) as real processes.</summary>
internal static class Node
{
    /// <summary>How long one node run may take before it is killed.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    public static string ExtensionFolder => Repository.PathOf("editors", "vscode");

    /// <summary>A file under editors/vscode/node_modules; fails with what to run when the packages are not installed.</summary>
    public static string Package(params string[] parts)
    {
        var path = Path.Combine(ExtensionFolder, "node_modules", Path.Combine(parts));
        Assert.True(File.Exists(path), $"{Path.Combine(parts)} is not installed: run .ci/setup (npm ci in editors/vscode).");
        return path;
    }

    /// <summary>Runs <c>node</c> with the arguments in editors/vscode and returns its result.</summary>
    public static ChildResult Run(params string[] args)
    {
        var start = ChildProcess.Describe("node", ExtensionFolder, new Dictionary<string, string?>(), args);
        var result = ChildProcess.RunAsync(start, Deadline).GetAwaiter().GetResult();
        Assert.False(result.TimedOut, $"node {string.Join(' ', args)} did not finish within {Deadline.TotalSeconds:0} s:\n{result.Transcript}");
        return result;
    }
}
