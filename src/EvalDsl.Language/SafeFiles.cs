using System;
using System.IO;
using System.Runtime.InteropServices;

namespace EvalDsl;

/// <summary>
/// Reads files that a user (or a spec) names without trusting them: regular files only, checked before they are
/// opened (a FIFO would block the open forever, a device never ends), and never more than a limit.
/// </summary>
internal static class SafeFiles
{
    /// <summary>The largest spec file read: 16 MB.</summary>
    public const long MaxSpecBytes = 16L * 1024 * 1024;

    /// <summary>Why <paramref name="path"/> is not a regular file we may open, or null when it is one.</summary>
    public static string? CheckRegular(string path)
    {
        if (Directory.Exists(path)) return "it is a folder, not a file";
        if (!File.Exists(path)) return null;
#if NET
        if (!OperatingSystem.IsWindows())
        {
            var kind = Native.Kind(path);
            if (kind is not null && kind != "regular") return $"it is a {kind}, not a regular file";
        }
        else if ((File.GetAttributes(path) & FileAttributes.Device) != 0)
        {
            return "it is a device, not a regular file";
        }
#endif
        return null;
    }

    /// <summary>Reads at most <paramref name="maxBytes"/> bytes; null with <paramref name="tooLarge"/> set when the file holds more.</summary>
    public static byte[]? ReadCapped(string path, long maxBytes, out bool tooLarge)
    {
        tooLarge = false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        // Files under /proc report a length of 0 and devices none: read up to the limit whatever the length says.
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            tooLarge = true;
            return null;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                tooLarge = true;
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// The path with every symbolic link resolved (each folder on the way, then the file), or null when a link
    /// loops or cannot be read.
    /// </summary>
    public static string? RealPath(string fullPath)
    {
#if NET
        try
        {
            var root = Path.GetPathRoot(fullPath) ?? "";
            var current = root;
            var parts = fullPath.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
            foreach (var part in parts)
            {
                var next = Path.Combine(current, part);
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
                current = target is null ? next : Path.GetFullPath(target.FullName);
            }
            return current;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
#else
        return fullPath;
#endif
    }

#if NET
    private static class Native
    {
        // The runtime's own portable stat (System.Native ships with every .NET runtime on Unix); its FileStatus
        // starts with Flags and Mode, and Mode carries the S_IFMT type bits. The buffer is larger than the struct.
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat")]
        private static extern int Stat(byte[] path, byte[] status);

        public static string? Kind(string path)
        {
            var status = new byte[512];
            if (Stat(System.Text.Encoding.UTF8.GetBytes(path + "\0"), status) != 0) return null;
            var mode = BitConverter.ToInt32(status, 4);
            return (mode & 0xF000) switch
            {
                0x8000 => "regular",
                0x4000 => "folder",
                0x1000 => "FIFO (named pipe)",
                0x2000 => "character device",
                0x6000 => "block device",
                0xC000 => "socket",
                _ => "special file",
            };
        }
    }
#endif
}
