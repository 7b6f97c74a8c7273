using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace EvalDsl;

/// <summary>
/// Which files <c>data NAME from "path"</c> may read, and how large they may be. By default a data file must lie in
/// the folder tree of the spec that names it and be at most <see cref="DefaultMaxBytes"/>. The CLI (flags and
/// <c>evaldsl.json</c>) and the build share this one policy.
/// </summary>
public sealed class DataFilePolicy
{
    /// <summary>The default size limit of a data file: 16 MB.</summary>
    public const long DefaultMaxBytes = 16L * 1024 * 1024;

    /// <summary>The <c>evaldsl.json</c> key listing extra folders data files may come from (relative to that file).</summary>
    public const string RootsKey = "dataRoots";

    /// <summary>The <c>evaldsl.json</c> key of the size limit of a data file, in bytes.</summary>
    public const string MaxBytesKey = "maxDataFileBytes";

    /// <summary>Data files anywhere on the disk (still regular files within the size limit).</summary>
    public bool AllowOutside { get; set; }

    /// <summary>Full paths of folders, besides the spec's own folder tree, that data files may come from.</summary>
    public IList<string> Roots { get; } = new List<string>();

    /// <summary>The largest data file read, in bytes.</summary>
    public long MaxBytes { get; set; } = DefaultMaxBytes;

    private static readonly string[] SystemFolders = Path.DirectorySeparatorChar == '/' ? new[] { "/proc", "/sys" } : new string[0];

    /// <summary>
    /// Why <paramref name="dataFullPath"/> may not be read for the spec at <paramref name="specFullPath"/>, or null when
    /// it may. Both are full paths; call it with the path as written and again with symbolic links resolved.
    /// </summary>
    public string? CheckLocation(string specFullPath, string dataFullPath)
    {
        // The kernel's views of processes and devices (/proc/self/environ holds every key) are never data, whatever
        // a flag or a committed evaldsl.json allows.
        foreach (var system in SystemFolders)
        {
            if (IsUnder(Path.GetFullPath(dataFullPath), system)) return $"it is under {system} (a system folder), which never holds data";
        }
        if (AllowOutside) return null;
        var specFolder = Path.GetDirectoryName(Path.GetFullPath(specFullPath)) ?? "";
        var data = Path.GetFullPath(dataFullPath);
        if (IsUnder(data, specFolder)) return null;
        foreach (var root in Roots)
        {
            if (IsUnder(data, Path.GetFullPath(root))) return null;
        }
        return "it is outside the folder of the spec; allow it with --allow-data-outside or name its folder in \"dataRoots\" in evaldsl.json";
    }

    /// <summary>The problem with a file of <paramref name="length"/> bytes, or null when it is within <see cref="MaxBytes"/>.</summary>
    public string? CheckSize(long length) =>
        length > MaxBytes ? $"it is larger than {Size(MaxBytes)}, the limit for a data file (set \"{MaxBytesKey}\" in evaldsl.json)" : null;

    /// <summary>
    /// Reads <c>dataRoots</c> (folders relative to the file's folder) and <c>maxDataFileBytes</c> from the text of an
    /// <c>evaldsl.json</c> in <paramref name="configFolder"/>. Other keys are left to their readers.
    /// </summary>
    public static DataFilePolicy Parse(string json, string configFolder, out string? problem)
    {
        problem = null;
        var policy = new DataFilePolicy();
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object) return policy;
            if (document.RootElement.TryGetProperty(RootsKey, out var roots))
            {
                if (roots.ValueKind != JsonValueKind.Array)
                {
                    problem = $"\"{RootsKey}\" must be an array of folder paths";
                    return policy;
                }
                foreach (var root in roots.EnumerateArray())
                {
                    if (root.ValueKind != JsonValueKind.String || root.GetString()!.Length == 0)
                    {
                        problem = $"\"{RootsKey}\" must be an array of folder paths";
                        return policy;
                    }
                    policy.Roots.Add(Path.GetFullPath(Path.Combine(configFolder, root.GetString()!)));
                }
            }
            if (document.RootElement.TryGetProperty(MaxBytesKey, out var max))
            {
                if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt64(out var bytes) || bytes < 1)
                {
                    problem = $"\"{MaxBytesKey}\" must be a whole number of bytes above 0";
                    return policy;
                }
                policy.MaxBytes = bytes;
            }
        }
        catch (JsonException ex)
        {
            problem = $"it is not valid JSON: {ex.Message.Split('.')[0]}";
        }
        return policy;
    }

    internal static string Size(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MB" : bytes % 1024 == 0 ? $"{bytes / 1024} KB" : $"{bytes} bytes";

    private static bool IsUnder(string path, string folder)
    {
        var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var trimmed = folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (string.Equals(path, trimmed, comparison)) return true;
        return path.StartsWith(trimmed + Path.DirectorySeparatorChar, comparison) ||
               (Path.AltDirectorySeparatorChar != Path.DirectorySeparatorChar && path.StartsWith(trimmed + Path.AltDirectorySeparatorChar, comparison));
    }
}
