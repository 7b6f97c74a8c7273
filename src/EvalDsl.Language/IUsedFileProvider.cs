namespace EvalDsl;

/// <summary>
/// Reads the spec files that <c>use "path"</c> names when they were not given to the compilation. The CLI reads the
/// disk (under the same rules as data files); the Roslyn generator serves AdditionalFiles (a generator must not
/// read the disk).
/// </summary>
public interface IUsedFileProvider
{
    /// <summary>
    /// Reads <paramref name="relativePath"/> as resolved against the folder of <paramref name="specPath"/>.
    /// Returns the text, or null with <paramref name="problem"/> saying why (missing, unreadable, not allowed).
    /// </summary>
    string? Read(string specPath, string relativePath, out string? problem);
}
