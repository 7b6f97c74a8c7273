using System;
using System.IO;

namespace EvalDsl.Testing;

/// <summary>The one temporary folder of the tests: unique, created at once, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    /// <summary>Creates a new, empty folder under the system temp folder.</summary>
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "evaldsl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="relative"/> (creating folders) and returns the full path.</summary>
    public string Write(string relative, string text)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Deletes the folder and everything in it.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A child process still holds a file; the OS temp cleaner gets it.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
