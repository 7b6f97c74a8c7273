using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using EvalDsl.Configuration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EvalDsl.Roslyn;

/// <summary>
/// How the generator and the analyzer take their inputs from AdditionalFiles: which files are specs, data and
/// <c>.editorconfig</c> files, how a spec is read and parsed (one path for a file the compiler cannot read), and
/// how the specs are compiled together. Both read the same files the same way, so they can never disagree.
/// </summary>
internal static class SpecInputs
{
    /// <summary>Why a spec has no text: the compiler's <see cref="AdditionalText.GetText"/> gave none.</summary>
    internal const string UnreadableProblem = "the compiler could not read it as text";

    public static bool IsSpec(string path) => path.EndsWith(".eval", StringComparison.OrdinalIgnoreCase);

    /// <summary>The AdditionalFiles metadata that marks a <c>.eval</c> file as used only (see <see cref="IsUsedOnly"/>).</summary>
    public const string UseMetadata = "build_metadata.AdditionalFiles.EvalDslUse";

    /// <summary>
    /// A <c>.eval</c> AdditionalFile the package added because a spec uses it (<c>EvalDslUse="true"</c>; it lies
    /// outside the project): its declarations are served to <c>use</c>, its suites generate no tests.
    /// </summary>
    public static bool IsUsedOnly(AnalyzerConfigOptions options) =>
        options.TryGetValue(UseMetadata, out var value) && string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);

    public static bool IsDataFile(string path) =>
        path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);

    /// <summary>An <c>.editorconfig</c> the package passes as an AdditionalFile (one per folder from each spec up to the root).</summary>
    public static bool IsEditorConfig(string path) =>
        path.EndsWith("/.editorconfig", StringComparison.OrdinalIgnoreCase) || path.EndsWith("\\.editorconfig", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(path, ".editorconfig", StringComparison.OrdinalIgnoreCase);

    /// <summary>An AdditionalFile's path and text (null when the compiler cannot read it).</summary>
    public static FileInput Read(AdditionalText file, CancellationToken cancellationToken) =>
        new(file.Path, file.GetText(cancellationToken)?.ToString());

    /// <summary>A spec parsed; a file without text gets the one unreadable-file result and its EVAL0006.</summary>
    public static SpecSyntax Parse(FileInput file) =>
        file.Text is null ? SpecSyntax.Unreadable(file.Path, UnreadableProblem) : SpecSyntax.Parse(SpecDocument.FromText(file.Path, file.Text));

    /// <summary>The specs bound and analysed together, with data, used files and severity settings from AdditionalFiles.</summary>
    public static EvalCompilation Compile(IEnumerable<SpecSyntax> specs, IEnumerable<FileInput> data, IEnumerable<FileInput> editorConfigs, IEnumerable<FileInput>? used = null) =>
        EvalCompilation.Create(specs, new EvalCompilationOptions
        {
            DataFiles = new AdditionalFileTexts(data, "every data file a spec names"),
            UsedFiles = new AdditionalFileTexts(used ?? Array.Empty<FileInput>(), "every file a spec uses"),
            DiagnosticOptions = Options(editorConfigs),
        });

    /// <summary>
    /// Severity settings from the <c>.editorconfig</c> AdditionalFiles, resolved by Roslyn's <c>AnalyzerConfigSet</c>
    /// as <c>evaldsl check</c> resolves the same files on disk. (The package passes them as AdditionalFiles because the
    /// SDK discovers editorconfigs only for Compile items, and Roslyn does not apply them to AdditionalFiles
    /// locations itself: dotnet/roslyn#31916.)
    /// </summary>
    public static IDiagnosticOptions Options(IEnumerable<FileInput> editorConfigs) =>
        new EditorConfigOptions(editorConfigs.Where(f => f.Text is not null).Select(f => new KeyValuePair<string, string>(f.Path, f.Text!)));

    /// <summary>
    /// AdditionalFiles served by normalized full path: the data files a spec names, or the <c>.eval</c> files marked
    /// used-only for <c>use</c>. (A use of a spec that is itself an AdditionalFile never gets here: the compilation
    /// has that spec already.)
    /// </summary>
    private sealed class AdditionalFileTexts : IDataFileProvider, IUsedFileProvider
    {
        private readonly Dictionary<string, string?> _files = new(StringComparer.Ordinal);
        private readonly string _whatThePackageAdds;

        /// <param name="files">The files to serve.</param>
        /// <param name="whatThePackageAdds">Which files the package adds, for the message about a missing one.</param>
        public AdditionalFileTexts(IEnumerable<FileInput> files, string whatThePackageAdds)
        {
            foreach (var f in files) _files[Normalize(f.Path)] = f.Text;
            _whatThePackageAdds = whatThePackageAdds;
        }

        public string? Read(string specPath, string relativePath, out string? problem)
        {
            problem = null;
            var folder = Path.GetDirectoryName(specPath) ?? "";
            var path = Normalize(Path.Combine(folder, relativePath));
            if (_files.TryGetValue(path, out var text) && text is not null) return text;
            problem = _files.ContainsKey(path)
                ? "it could not be read"
                : $"there is no file {Path.Combine(folder, relativePath)} among the compilation's AdditionalFiles (the EvalDsl package adds {_whatThePackageAdds})";
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
}
