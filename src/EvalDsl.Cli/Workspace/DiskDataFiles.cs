using System;
using System.IO;
using System.Text;

namespace EvalDsl.Cli.Workspace;

/// <summary>
/// Reads data files from disk, relative to the folder of the spec that names them, under a
/// <see cref="DataFilePolicy"/>: inside the spec's folder tree (or an allowed root), regular files only, checked
/// before they are opened, and never more than the size limit. The spec files <c>use "path"</c> names are read the
/// same way, under the same policy.
/// </summary>
internal sealed class DiskDataFiles : IDataFileProvider, IUsedFileProvider
{
    private static readonly UTF8Encoding Strict = new(false, true);
    private readonly string? _baseDirectory;
    private readonly DataFilePolicy _policy;

    /// <summary>Resolves spec paths against the current directory, or against <paramref name="baseDirectory"/>.</summary>
    public DiskDataFiles(string? baseDirectory = null)
        : this(baseDirectory, new DataFilePolicy())
    {
    }

    /// <summary>Resolves spec paths against <paramref name="baseDirectory"/> (or the current directory) and reads under <paramref name="policy"/>.</summary>
    public DiskDataFiles(string? baseDirectory, DataFilePolicy policy)
    {
        _baseDirectory = baseDirectory;
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
    }

    /// <inheritdoc />
    public string? Read(string specPath, string relativePath, out string? problem)
    {
        problem = null;
        var folder = Path.GetDirectoryName(specPath);
        var shown = string.IsNullOrEmpty(folder) ? relativePath : Path.Combine(folder, relativePath);
        var path = _baseDirectory is null ? shown : Path.Combine(_baseDirectory, shown);
        var specFull = Path.GetFullPath(_baseDirectory is null ? specPath : Path.Combine(_baseDirectory, specPath));
        try
        {
            var full = Path.GetFullPath(path);
            problem = _policy.CheckLocation(specFull, full);
            if (problem is not null) return null;
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                problem = $"there is no file {shown}";
                return null;
            }
            // A link inside the folder may point anywhere: the place it leads to must be allowed too.
            var real = SafeFiles.RealPath(full);
            if (real is null)
            {
                problem = "it is a symbolic link that loops or cannot be followed";
                return null;
            }
            var realSpec = SafeFiles.RealPath(specFull) ?? specFull;
            problem = _policy.CheckLocation(realSpec, real);
            if (problem is not null)
            {
                problem = "it is a symbolic link to a file " + problem.Substring("it is ".Length);
                return null;
            }
            problem = SafeFiles.CheckRegular(real);
            if (problem is not null) return null;
            var bytes = SafeFiles.ReadCapped(real, _policy.MaxBytes, out var tooLarge);
            if (bytes is null)
            {
                problem = _policy.CheckSize(_policy.MaxBytes + 1);
                return null;
            }
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problem = "it is not UTF-8 text";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = ex is UnauthorizedAccessException ? "permission to read it is denied" : "it could not be read";
        }
        return null;
    }
}
