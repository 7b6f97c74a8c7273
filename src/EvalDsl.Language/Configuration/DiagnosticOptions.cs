using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using EvalDsl.Configuration;
using EvalDsl.Diagnostics;

namespace EvalDsl;

/// <summary>Where severity settings come from: <c>.editorconfig</c> files on disk (CLI) or the compiler's analyzer options (build).</summary>
public interface IDiagnosticOptions
{
    /// <summary>The value of an EditorConfig key (e.g. <c>dotnet_diagnostic.EVAL0202.severity</c>) for a spec file, or null.</summary>
    string? GetOption(string specPath, string key);
}

/// <summary>Reads <c>.editorconfig</c> files from the spec's folder upwards; <c>root = true</c> stops the walk; nearer files win.</summary>
public sealed class EditorConfigOptions : IDiagnosticOptions
{
    private readonly ConcurrentDictionary<string, EditorConfigFile?> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _resolved = new(StringComparer.Ordinal);
    private readonly string? _baseDirectory;

    private readonly Func<string, string?>? _read;

    /// <summary>Reads configuration for spec paths relative to the current directory, or to <paramref name="baseDirectory"/>.</summary>
    public EditorConfigOptions(string? baseDirectory = null) => _baseDirectory = baseDirectory;

    /// <summary>
    /// The same resolution over files the caller holds (the build's AdditionalFiles): <paramref name="read"/> gives
    /// the text of the <c>.editorconfig</c> in a folder, or null when there is none.
    /// </summary>
    internal EditorConfigOptions(Func<string, string?> read) => _read = read;

    /// <inheritdoc />
    public string? GetOption(string specPath, string key)
    {
        var full = Path.GetFullPath(_baseDirectory is null ? specPath : Path.Combine(_baseDirectory, specPath));
        var options = _resolved.GetOrAdd(full, Resolve);
        return options.TryGetValue(key, out var value) ? value : null;
    }

    private IReadOnlyDictionary<string, string> Resolve(string fullPath)
    {
        var chain = new List<EditorConfigFile>();
        var directory = Path.GetDirectoryName(fullPath);
        while (!string.IsNullOrEmpty(directory))
        {
            var file = _files.GetOrAdd(directory!, d => _read is null ? Load(d) : _read(d) is { } text ? EditorConfigFile.Parse(d, text) : null);
            if (file is not null)
            {
                chain.Add(file);
                if (file.IsRoot) break;
            }
            directory = Path.GetDirectoryName(directory);
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var normalized = fullPath.Replace('\\', '/');
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            var file = chain[i];
            var relative = normalized.Substring(Math.Min(normalized.Length, file.Directory.Length)).TrimStart('/');
            foreach (var section in file.Sections)
            {
                if (!EditorConfigFile.Matches(section, relative)) continue;
                foreach (var pair in section.Properties) result[pair.Key] = pair.Value;
            }
        }
        return result;
    }

    private static EditorConfigFile? Load(string directory)
    {
        var path = Path.Combine(directory, ".editorconfig");
        try
        {
            return File.Exists(path) ? EditorConfigFile.Parse(directory, File.ReadAllText(path)) : null;
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

/// <summary>Applies configured severities: the rule's own key, then its category, then all analyzer rules.</summary>
internal static class SeverityConfiguration
{
    public static DiagnosticSeverity Effective(Diagnostic diagnostic, IDiagnosticOptions? options)
    {
        var descriptor = diagnostic.Descriptor;
        if (options is null || !descriptor.IsConfigurable) return diagnostic.Severity;
        var path = diagnostic.Location.Path;
        var value = options.GetOption(path, $"dotnet_diagnostic.{descriptor.Id}.severity")
                    ?? options.GetOption(path, $"dotnet_analyzer_diagnostic.category-{descriptor.Category}.severity")
                    ?? options.GetOption(path, "dotnet_analyzer_diagnostic.severity");
        // The most specific key written wins, even when it says "default".
        return Parse(value) ?? descriptor.DefaultSeverity;
    }

    /// <summary>none/silent hide, suggestion (or info) is info, warning, error; default (or anything unknown) is null.</summary>
    public static DiagnosticSeverity? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "none" or "silent" => DiagnosticSeverity.Hidden,
        "suggestion" or "info" => DiagnosticSeverity.Info,
        "warning" => DiagnosticSeverity.Warning,
        "error" => DiagnosticSeverity.Error,
        _ => null,
    };
}
