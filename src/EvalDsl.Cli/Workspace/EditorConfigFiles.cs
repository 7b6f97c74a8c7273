using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EvalDsl.Configuration;

namespace EvalDsl.Cli.Workspace;

/// <summary>
/// Finds the <c>.editorconfig</c> files that apply to specs on disk: every one in each spec's folder and above, as
/// the build's targets pass them to the compiler (Roslyn's <see cref="Microsoft.CodeAnalysis.AnalyzerConfigSet"/>
/// then honours <c>root = true</c>).
/// </summary>
internal static class EditorConfigFiles
{
    /// <summary>The options for <paramref name="specPaths"/> (relative to <paramref name="baseDirectory"/>, or to the current directory).</summary>
    public static EditorConfigOptions For(IEnumerable<string> specPaths, string? baseDirectory = null)
    {
        var root = baseDirectory ?? Environment.CurrentDirectory;
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in specPaths)
        {
            for (var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(root, spec))); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
            {
                if (!seen.Add(folder!)) break;
                var path = Path.Combine(folder!, ".editorconfig");
                if (Read(path) is { } text) found[path] = text;
            }
        }
        return new EditorConfigOptions(found.OrderBy(f => f.Key, StringComparer.Ordinal), baseDirectory);
    }

    // An .editorconfig that cannot be read configures nothing, as in the build (the targets add only files that exist).
    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
