using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;


namespace EvalDsl.Cli;

/// <summary>Expands the PATH arguments into spec documents (folders recursively, '*.eval'), keeping the paths as given.</summary>
internal static class SpecFiles
{
    /// <summary>Loads the documents, or returns a one-line problem (exit 2).</summary>
    public static IReadOnlyList<SpecDocument>? Load(IEnumerable<string> arguments, out string? problem)
    {
        problem = null;
        var paths = new List<string>();
        foreach (var argument in arguments)
        {
            if (File.Exists(argument))
            {
                paths.Add(argument);
            }
            else if (Directory.Exists(argument))
            {
                var found = Directory.EnumerateFiles(argument, "*.eval", SearchOption.AllDirectories)
                    .Select(f => Display(argument, f))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    problem = $"the folder '{argument}' holds no .eval files.";
                    return null;
                }
                paths.AddRange(found);
            }
            else
            {
                problem = $"'{argument}' does not exist.";
                return null;
            }
        }

        var documents = new List<SpecDocument>();
        // One file named two ways ("./x.eval" and "x.eval") is one file: the first spelling is kept.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            if (!seen.Add(Path.GetFullPath(path))) continue;
            try
            {
                documents.Add(SpecDocument.FromBytes(path, File.ReadAllBytes(path)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read '{path}': {ex.Message}";
                return null;
            }
        }
        return documents;
    }

    // "examples" + "/abs/examples/sub/a.eval" → "examples/sub/a.eval": the folder as the user wrote it, then the rest.
    private static string Display(string folder, string file)
    {
        var relative = Path.GetRelativePath(folder, file);
        var separator = folder.EndsWith("/", StringComparison.Ordinal) || folder.EndsWith("\\", StringComparison.Ordinal) ? "" : "/";
        return folder + separator + relative.Replace('\\', '/');
    }
}
