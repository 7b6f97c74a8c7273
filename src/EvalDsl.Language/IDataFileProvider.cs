namespace EvalDsl;

/// <summary>
/// Reads the data files that <c>data NAME from "path"</c> names. The CLI reads the disk; the Roslyn generator
/// serves AdditionalFiles (a generator must not read the disk).
/// </summary>
public interface IDataFileProvider
{
    /// <summary>
    /// Reads <paramref name="relativePath"/> as resolved against the folder of <paramref name="specPath"/>.
    /// Returns the text, or null with <paramref name="problem"/> saying why (missing, unreadable).
    /// </summary>
    string? Read(string specPath, string relativePath, out string? problem);
}
