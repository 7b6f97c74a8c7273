using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using EvalDiagnostic = EvalDsl.Diagnostics.Diagnostic;
using EvalSeverity = EvalDsl.Diagnostics.DiagnosticSeverity;
using RoslynDiagnostic = Microsoft.CodeAnalysis.Diagnostic;
using RoslynSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace EvalDsl.Roslyn;

/// <summary>What the generator and the analyzer share: reading AdditionalFiles, severity options, and Roslyn descriptors.</summary>
internal static class RoslynBridge
{
    public static bool IsSpec(string path) => path.EndsWith(".eval", StringComparison.OrdinalIgnoreCase);

    public static bool IsDataFile(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>An <c>.editorconfig</c> the package passes as an AdditionalFile (one per folder from each spec up to the root).</summary>
    public static bool IsEditorConfig(string path) =>
        path.EndsWith("/.editorconfig", StringComparison.OrdinalIgnoreCase) || path.EndsWith("\\.editorconfig", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(path, ".editorconfig", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Severity settings read from the <c>.editorconfig</c> AdditionalFiles by the checker's own code, so the build
    /// applies exactly what <c>evaldsl check</c> applies. (Roslyn's per-file options would see only the files the SDK
    /// discovers for Compile items, add <c>.globalconfig</c> and <c>is_global</c> semantics the checker does not
    /// have, and Roslyn does not apply them to AdditionalFiles locations itself: dotnet/roslyn#31916.)
    /// </summary>
    public static IDiagnosticOptions Options(IEnumerable<FileInput> editorConfigs)
    {
        var byFolder = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in editorConfigs)
        {
            if (file.Text is null) continue;
            var folder = Path.GetDirectoryName(file.Path);
            if (folder is not null) byFolder[Normalize(folder)] = file.Text;
        }
        return new EditorConfigOptions(folder => byFolder.TryGetValue(Normalize(folder), out var text) ? text : null);
    }

    /// <summary>Data files served from AdditionalFiles, by normalized full path.</summary>
    internal sealed class DataFiles : IDataFileProvider
    {
        private readonly Dictionary<string, string?> _files = new(StringComparer.Ordinal);

        public DataFiles(IEnumerable<FileInput> files)
        {
            foreach (var f in files) _files[Normalize(f.Path)] = f.Text;
        }

        public string? Read(string specPath, string relativePath, out string? problem)
        {
            problem = null;
            var folder = Path.GetDirectoryName(specPath) ?? "";
            var path = Normalize(Path.Combine(folder, relativePath));
            if (_files.TryGetValue(path, out var text) && text is not null) return text;
            problem = _files.ContainsKey(path)
                ? "it could not be read"
                : $"there is no file {Path.Combine(folder, relativePath)} among the compilation's AdditionalFiles (the EvalDsl package adds every data file a spec names)";
            return null;
        }

    }

    /// <summary>A path with '/' separators and its '.' and '..' segments resolved, to compare paths that name one file.</summary>
    internal static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] != "..") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join("/", parts);
    }

    private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors = RoslynDescriptors.All.ToDictionary(d => d.Id, d => d);

    public static IEnumerable<DiagnosticDescriptor> All => Descriptors.Values;

    public static RoslynSeverity ToRoslyn(EvalSeverity severity) => severity switch
    {
        EvalSeverity.Error => RoslynSeverity.Error,
        EvalSeverity.Warning => RoslynSeverity.Warning,
        EvalSeverity.Info => RoslynSeverity.Info,
        _ => RoslynSeverity.Hidden,
    };

    /// <summary>The diagnostic at its .eval location with its effective severity.</summary>
    public static RoslynDiagnostic ToRoslyn(EvalDiagnostic diagnostic, SourceText? text)
    {
        var l = diagnostic.Location;
        var lines = new LinePositionSpan(new LinePosition(l.Line - 1, l.Column - 1), new LinePosition(l.EndLine - 1, l.EndColumn - 1));
        var length = text is null ? 0 : Math.Max(0, Math.Min(l.Length, text.Length - l.Offset));
        var span = text is null || l.Offset > text.Length ? new TextSpan(0, 0) : new TextSpan(l.Offset, length);
        var location = Location.Create(l.Path, span, lines);
        var descriptor = Descriptors[diagnostic.Id];
        return RoslynDiagnostic.Create(descriptor, location, ToRoslyn(diagnostic.Severity), additionalLocations: null, properties: null, diagnostic.Message);
    }
}
