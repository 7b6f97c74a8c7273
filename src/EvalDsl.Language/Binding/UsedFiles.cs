using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Internal;
using EvalDsl.Parsing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Binding;

/// <summary>A <c>use</c> that brings nothing into scope: its file is missing, unreadable or not a spec, or it closes a cycle.</summary>
internal sealed record UseProblem(SyntaxTree Tree, UseSyntax Use, string Message, bool IsCycle);

/// <summary>The specs given plus the ones loaded for their <c>use</c> lines, and what went wrong with those lines.</summary>
internal sealed class UseResolution
{
    /// <summary>Given trees, then loaded (used-only) trees.</summary>
    public List<SyntaxTree> Trees { get; } = new();

    public List<UseProblem> Problems { get; } = new();

    /// <summary>Files some <c>use</c> names (given or loaded): they offer declarations, so an unused one is not reported.</summary>
    public HashSet<SyntaxTree> Used { get; } = new();

    /// <summary>Files that use, directly or through other files, a file that could not be read: a name they lack may be declared there.</summary>
    public HashSet<SyntaxTree> MayLackDeclarations { get; } = new();
}

/// <summary>
/// Follows <c>use "path"</c> lines. A path names the file relative to the folder of the file that holds the line;
/// a file that was given is used as given (its suites run once), any other is read through
/// <see cref="IUsedFileProvider"/>, once however many files use it, and only its declarations are kept. All files
/// then share the one scope of files compiled together.
/// </summary>
internal static class UsedFiles
{
    private sealed record Edge(UseSyntax Use, SyntaxTree Target);

    public static UseResolution Resolve(IReadOnlyList<SyntaxTree> given, IUsedFileProvider? provider)
    {
        var result = new UseResolution();
        result.Trees.AddRange(given);
        if (given.All(t => t.Uses.Count == 0)) return result;

        var byKey = new Dictionary<string, SyntaxTree>(StringComparer.Ordinal);
        foreach (var tree in given) byKey.TryAdd(Normalize(tree.Path), tree);
        var unreadable = new Dictionary<string, string>(StringComparer.Ordinal);
        var edges = new Dictionary<SyntaxTree, List<Edge>>();
        var failed = new HashSet<SyntaxTree>();

        var queue = new Queue<SyntaxTree>(given.OrderBy(t => t.Path, StringComparer.Ordinal));
        while (queue.Count > 0)
        {
            var tree = queue.Dequeue();
            var list = edges[tree] = new List<Edge>();
            foreach (var use in tree.Uses)
            {
                if (use.Path.HasErrors) continue;
                var relative = use.Path.Template;
                string? problem = null;
                if (relative.Length == 0) problem = "the path is empty";
                else if (!relative.EndsWith(".eval", StringComparison.OrdinalIgnoreCase)) problem = "a used file is a spec, whose name ends in .eval";
                var key = problem is null ? Normalize(Combine(tree.Path, relative)) : "";
                if (problem is null && !byKey.ContainsKey(key) && !unreadable.TryGetValue(key, out problem))
                {
                    string? why = "used files cannot be read here";
                    var text = provider?.Read(tree.Path, relative, out why);
                    if (text is null)
                    {
                        problem = why ?? "it could not be read";
                        unreadable[key] = problem;
                    }
                    else
                    {
                        var loaded = Parser.Parse(new SourceText(key, SourceDecoder.StripBom(text)));
                        loaded.IsUsedOnly = true;
                        // Its suites are checked and run where the file is given itself, never through a use.
                        loaded.Suites.Clear();
                        byKey[key] = loaded;
                        result.Trees.Add(loaded);
                        queue.Enqueue(loaded);
                    }
                }
                if (problem is not null)
                {
                    result.Problems.Add(new UseProblem(tree, use, $"Cannot use '{relative}': {problem}.", IsCycle: false));
                    failed.Add(tree);
                    continue;
                }
                var target = byKey[key];
                result.Used.Add(target);
                list.Add(new Edge(use, target));
            }
        }

        FindCycles(result, edges);

        // A file lacks declarations when a file it reaches could not be read.
        var changed = failed.Count > 0;
        foreach (var tree in failed) result.MayLackDeclarations.Add(tree);
        while (changed)
        {
            changed = false;
            foreach (var pair in edges)
            {
                if (result.MayLackDeclarations.Contains(pair.Key)) continue;
                if (pair.Value.Any(e => result.MayLackDeclarations.Contains(e.Target)))
                {
                    result.MayLackDeclarations.Add(pair.Key);
                    changed = true;
                }
            }
        }
        return result;
    }

    // Depth first from each file in path order; an edge back to a file on the path closes a cycle and is reported at
    // that use, naming the chain from the file it returns to.
    private static void FindCycles(UseResolution result, Dictionary<SyntaxTree, List<Edge>> edges)
    {
        var done = new HashSet<SyntaxTree>();
        var path = new List<SyntaxTree>();
        foreach (var start in edges.Keys.OrderBy(t => t.Path, StringComparer.Ordinal)) Visit(start);

        void Visit(SyntaxTree tree)
        {
            if (done.Contains(tree)) return;
            path.Add(tree);
            foreach (var edge in edges.TryGetValue(tree, out var list) ? list : new List<Edge>())
            {
                var at = path.IndexOf(edge.Target);
                if (at >= 0)
                {
                    var files = path.Skip(at).Concat(new[] { edge.Target }).Select(t => t.Path).ToList();
                    var chain = files[0] + " uses " + string.Join(", which uses ", files.Skip(1));
                    var message = at == path.Count - 1
                        ? $"This file uses itself ({tree.Path}); remove this line."
                        : $"This use closes a cycle: {chain}. Move what the files share into a file that uses neither.";
                    result.Problems.Add(new UseProblem(tree, edge.Use, message, IsCycle: true));
                    continue;
                }
                Visit(edge.Target);
            }
            path.RemoveAt(path.Count - 1);
            done.Add(tree);
        }
    }

    /// <summary><paramref name="relative"/> resolved against the folder of <paramref name="specPath"/>.</summary>
    internal static string Combine(string specPath, string relative)
    {
        var r = relative.Replace('\\', '/');
        if (r.StartsWith("/", StringComparison.Ordinal) || (r.Length > 1 && r[1] == ':')) return r;
        var s = specPath.Replace('\\', '/');
        var slash = s.LastIndexOf('/');
        return slash < 0 ? r : s.Substring(0, slash + 1) + r;
    }

    /// <summary>A path with '/' separators and its '.' and '..' segments resolved, to compare paths that name one file.</summary>
    internal static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part == "." || (part.Length == 0 && parts.Count > 0)) continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != ".." && parts[parts.Count - 1].Length > 0) parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join("/", parts);
    }
}
