using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EvalDsl.Cli.Workspace;


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
                var found = Find(argument)
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
                // Checked before opening: opening a FIFO blocks until someone writes to it, a device never ends.
                var notRegular = SafeFiles.CheckRegular(path);
                if (notRegular is not null)
                {
                    problem = $"cannot read '{path}': {notRegular}.";
                    return null;
                }
                var bytes = SafeFiles.ReadCapped(path, SafeFiles.MaxSpecBytes, out _);
                if (bytes is null)
                {
                    problem = $"cannot read '{path}': it is larger than {SafeFiles.MaxSpecBytes / (1024 * 1024)} MB, the limit for a spec file.";
                    return null;
                }
                documents.Add(SpecDocument.FromBytes(path, bytes));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problem = $"cannot read '{path}': {(ex is UnauthorizedAccessException ? "permission to read it is denied" : ex.Message.TrimEnd('.'))}.";
                return null;
            }
        }
        return documents;
    }

    // Recursively, without entering linked folders: a link back up the tree would loop forever, and a link out of it
    // would check files the user did not name. Linked files are kept (they are checked to be regular files).
    private static IEnumerable<string> Find(string folder)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            AttributesToSkip = 0,
            IgnoreInaccessible = true,
            MatchType = MatchType.Simple,
        };
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(current, "*.eval", options)) yield return file;
            foreach (var sub in Directory.EnumerateDirectories(current, "*", options))
            {
                if ((File.GetAttributes(sub) & FileAttributes.ReparsePoint) == 0) pending.Push(sub);
            }
        }
    }

    // "examples" + "examples/sub/a.eval" → "examples/sub/a.eval": the folder as the user wrote it, then the rest. The
    // rest is the file system's own spelling: a backslash in a Unix file name is part of the name, not a separator.
    private static string Display(string folder, string file)
    {
        var relative = Path.GetRelativePath(folder, file);
        var separator = folder.EndsWith("/", StringComparison.Ordinal) || folder.EndsWith(Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal) ? "" : Path.DirectorySeparatorChar == '\\' ? "\\" : "/";
        return folder + separator + relative;
    }
}
