using System;
using System.IO;
using System.Text;

namespace EvalDsl;

/// <summary>Reads data files from disk, relative to the folder of the spec that names them.</summary>
public sealed class DiskDataFiles : IDataFileProvider
{
    private static readonly UTF8Encoding Strict = new(false, true);
    private readonly string? _baseDirectory;

    /// <summary>Resolves spec paths against the current directory, or against <paramref name="baseDirectory"/>.</summary>
    public DiskDataFiles(string? baseDirectory = null) => _baseDirectory = baseDirectory;

    /// <inheritdoc />
    public string? Read(string specPath, string relativePath, out string? problem)
    {
        problem = null;
        var folder = Path.GetDirectoryName(specPath);
        var shown = string.IsNullOrEmpty(folder) ? relativePath : Path.Combine(folder, relativePath);
        var path = _baseDirectory is null ? shown : Path.Combine(_baseDirectory, shown);
        try
        {
            if (!File.Exists(path))
            {
                problem = $"there is no file {shown}";
                return null;
            }
            return Strict.GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException)
        {
            problem = "it is not UTF-8 text";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            problem = ex.Message.TrimEnd('.');
        }
        return null;
    }
}
