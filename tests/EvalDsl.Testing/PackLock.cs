using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace EvalDsl.Testing;

/// <summary>
/// One <c>dotnet pack</c> of EvalDsl at a time across the test processes of one machine. The Roslyn tests pack the
/// library packages and the CLI tests pack the ReadyToRun tool; <c>dotnet test</c> runs the two test assemblies at
/// once, and on two cores two packs side by side each ran past their deadlines. Held by an exclusive lock on a file in
/// the temp folder (on Unix, .NET takes an advisory <c>flock</c> for <see cref="FileShare.None"/>), released on dispose
/// or when the process ends.
/// </summary>
public static class PackLock
{
    /// <summary>Waits for the lock (at most <paramref name="deadline"/>, then a <see cref="TimeoutException"/>).</summary>
    public static async Task<IDisposable> AcquireAsync(TimeSpan deadline)
    {
        var path = Path.Combine(Path.GetTempPath(), "evaldsl-dotnet-pack.lock");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250)).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"Another dotnet pack of EvalDsl held {path} for more than {deadline.TotalMinutes:0} min.", ex);
            }
        }
    }
}
