using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EvalDsl.LanguageServer;

/// <summary>
/// The specs bound together, as <c>evaldsl check</c> binds the files it is given: every <c>.eval</c> file under the
/// workspace folders, each one the editor has open taking its open text instead of its disk content. Each file is
/// parsed once and again only when it changes; binding and analysis run over all of them.
/// </summary>
internal sealed class SpecWorkspace
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OpenDocument> _open = new(StringComparer.Ordinal);      // by path
    private readonly Dictionary<string, (DateTime Written, long Length, SpecSyntax Syntax)> _disk = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _uris = new(StringComparer.Ordinal);          // path → the uri the client spelled
    private readonly List<string> _roots = new();
    private readonly Func<IReadOnlyList<string>, EvalCompilationOptions> _options;
    private List<string>? _diskFiles;

    public SpecWorkspace(Func<IReadOnlyList<string>, EvalCompilationOptions> options) => _options = options;

    public void AddRoot(string folder)
    {
        lock (_gate)
        {
            _roots.Add(Path.GetFullPath(folder));
            _diskFiles = null;
        }
    }

    public OpenDocument? Find(string path)
    {
        lock (_gate) return _open.TryGetValue(path, out var d) ? d : null;
    }

    public void Open(OpenDocument document)
    {
        lock (_gate)
        {
            _open[document.Path] = document;
            _uris[document.Path] = document.Uri;
        }
    }

    public void Close(string path)
    {
        lock (_gate)
        {
            _open.Remove(path);
            _disk.Remove(path);
        }
    }

    /// <summary>A file on disk changed (saved, created, deleted): read it again, and list the folders again.</summary>
    public void Invalidate(string path)
    {
        lock (_gate)
        {
            _disk.Remove(path);
            _diskFiles = null;
        }
    }

    /// <summary>The uri of <paramref name="path"/>: as the client spelled it when it opened the file, else a file uri.</summary>
    public string UriOf(string path)
    {
        lock (_gate) return _uris.TryGetValue(path, out var uri) ? uri : new Uri(path).AbsoluteUri;
    }

    /// <summary>The version of the open document at <paramref name="path"/>, or null.</summary>
    public int? VersionOf(string path)
    {
        lock (_gate) return _open.TryGetValue(path, out var d) ? d.Version : null;
    }

    /// <summary>Parses what changed and binds everything.</summary>
    public (EvalCompilation Compilation, IReadOnlyList<string> Paths, IReadOnlyDictionary<string, int> Versions) Compile()
    {
        List<OpenDocument> open;
        List<string> disk;
        lock (_gate)
        {
            _diskFiles ??= ListDiskFiles();
            open = _open.Values.ToList();
            disk = _diskFiles.Where(p => !_open.ContainsKey(p)).ToList();
        }

        var specs = new List<SpecSyntax>();
        var versions = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in open)
        {
            // Text, version and parse are read together (a change applies all three under the same lock), so the
            // diagnostics published for a version are those of its text.
            string text;
            int version;
            SpecSyntax? syntax;
            SpecSyntax? previous;
            lock (document)
            {
                text = document.Text;
                version = document.Version;
                syntax = document.Syntax;
                previous = document.Previous;
            }
            if (syntax is null)
            {
                // After an edit inside one case, only that case is parsed again.
                syntax = previous is not null ? previous.Reparse(text) : SpecSyntax.Parse(SpecDocument.FromText(document.Path, text));
                lock (document)
                {
                    if (document.Version == version && ReferenceEquals(document.Text, text)) document.Syntax = syntax;
                }
            }
            versions[document.Path] = version;
            specs.Add(syntax);
        }
        foreach (var path in disk)
        {
            if (ReadDisk(path) is { } syntax) specs.Add(syntax);
        }
        specs.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var paths = specs.Select(s => s.Path).ToList();
        return (EvalCompilation.Create(specs, _options(paths)), paths, versions);
    }

    private SpecSyntax? ReadDisk(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            lock (_gate)
            {
                if (_disk.TryGetValue(path, out var cached) && cached.Written == info.LastWriteTimeUtc && cached.Length == info.Length) return cached.Syntax;
            }
            // The CLI's limit for a spec file: a larger one is not a spec anyone edits.
            if (info.Length > 64L * 1024 * 1024) return null;
            var syntax = SpecSyntax.Parse(SpecDocument.FromBytes(path, File.ReadAllBytes(path)));
            lock (_gate) _disk[path] = (info.LastWriteTimeUtc, info.Length, syntax);
            return syntax;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return SpecSyntax.Unreadable(path, ex is UnauthorizedAccessException ? "permission to read it is denied" : ex.Message.TrimEnd('.'));
        }
    }

    // Recursively, without entering linked folders (a link back up the tree would loop), as check lists a folder.
    private List<string> ListDiskFiles()
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true, MatchType = MatchType.Simple };
        foreach (var root in _roots)
        {
            if (!Directory.Exists(root)) continue;
            var pending = new Stack<string>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var current = pending.Pop();
                foreach (var file in Directory.EnumerateFiles(current, "*.eval", options)) files.Add(file);
                foreach (var sub in Directory.EnumerateDirectories(current, "*", options))
                {
                    var name = Path.GetFileName(sub);
                    // Build output and tool folders hold copies, not specs anyone edits.
                    if (name is "bin" or "obj" or "node_modules" or ".git") continue;
                    if ((File.GetAttributes(sub) & FileAttributes.ReparsePoint) == 0) pending.Push(sub);
                }
            }
        }
        return files.ToList();
    }
}
