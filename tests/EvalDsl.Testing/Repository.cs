using System;
using System.IO;

namespace EvalDsl.Testing;

/// <summary>Finds files of the repository the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EvalDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("The tests must run inside the EvalDsl repository.");
    });

    /// <summary>The folder holding EvalDsl.sln.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path below the root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    /// <summary>Set EVALDSL_ACCEPT=1 to rewrite expected files from actual output (then review the diff like code).</summary>
    public static bool Accept => Environment.GetEnvironmentVariable("EVALDSL_ACCEPT") == "1";
}
