using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;

namespace EvalDsl.Configuration;

/// <summary>
/// Severity settings from <c>.editorconfig</c> texts, resolved by Roslyn's own <see cref="AnalyzerConfigSet"/>: the
/// section globs, <c>root = true</c>, nearer files winning and <c>is_global</c> files are exactly what the compiler
/// applies, so <c>evaldsl check</c> and the build agree. It reads no file: the caller hands it the texts.
/// </summary>
public sealed class EditorConfigOptions : IDiagnosticOptions
{
    private const string DiagnosticPrefix = "dotnet_diagnostic.";
    private const string SeveritySuffix = ".severity";

    private readonly AnalyzerConfigSet _set;
    private readonly string? _baseDirectory;
    private readonly ConcurrentDictionary<string, AnalyzerConfigOptionsResult> _resolved = new(StringComparer.Ordinal);

    /// <summary>
    /// Options from <paramref name="files"/>: each <c>.editorconfig</c>'s full path and text. Spec paths given later
    /// are taken relative to <paramref name="baseDirectory"/>, or to the current directory.
    /// </summary>
    public EditorConfigOptions(IEnumerable<KeyValuePair<string, string>> files, string? baseDirectory = null)
    {
        _baseDirectory = baseDirectory;
        var configs = new List<AnalyzerConfig>();
        foreach (var file in files) configs.Add(AnalyzerConfig.Parse(file.Value, FullPath(file.Key)));
        // A malformed line or an unknown severity is skipped, as the compiler skips it (it warns in the build).
        _set = AnalyzerConfigSet.Create(configs, out _);
    }

    /// <summary>No configuration: every rule keeps its default severity.</summary>
    public static EditorConfigOptions Empty { get; } = new(Array.Empty<KeyValuePair<string, string>>());

    /// <inheritdoc />
    public string? GetOption(string specPath, string key)
    {
        var full = FullPath(_baseDirectory is null ? specPath : Path.Combine(_baseDirectory, specPath));
        var options = _resolved.GetOrAdd(full, path => _set.GetOptionsForSourcePath(path));
        var lowered = key.ToLowerInvariant();
        // Roslyn moves "dotnet_diagnostic.ID.severity" into TreeOptions (by ID, as a ReportDiagnostic); every other
        // key (category and all-rules severities among them) stays in AnalyzerOptions, lowercased.
        if (lowered.StartsWith(DiagnosticPrefix, StringComparison.Ordinal) && lowered.EndsWith(SeveritySuffix, StringComparison.Ordinal))
        {
            var id = key.Substring(DiagnosticPrefix.Length, key.Length - DiagnosticPrefix.Length - SeveritySuffix.Length);
            return options.TreeOptions.TryGetValue(id, out var report) ? Word(report) : null;
        }
        return options.AnalyzerOptions.TryGetValue(lowered, out var value) ? value : null;
    }

    private static string Word(ReportDiagnostic report) => report switch
    {
        ReportDiagnostic.Suppress => "none",
        ReportDiagnostic.Hidden => "silent",
        ReportDiagnostic.Info => "suggestion",
        ReportDiagnostic.Warn => "warning",
        ReportDiagnostic.Error => "error",
        _ => "default",
    };

    private static string FullPath(string path) => Path.GetFullPath(path);
}
