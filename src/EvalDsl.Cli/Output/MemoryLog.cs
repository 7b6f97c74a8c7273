using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;

namespace EvalDsl.Cli.Output;

/// <summary>
/// EVALDSL_MEMORY_LOG=1: one stderr line per stage of a run with the managed heap after a full collection, the
/// working set and its peak so far (a benchmark's finder of what holds memory; bench/run-100k.sh). Off by default: the
/// full collection costs time.
/// </summary>
internal static class MemoryLog
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("EVALDSL_MEMORY_LOG") == "1";

    /// <summary>While the result is disposed of: a line every second without a collection (the heap as the last one left it, what is committed).</summary>
    public static IDisposable? Every(TextWriter error)
    {
        if (!Enabled) return null;
        return new System.Threading.Timer(_ =>
        {
            var info = GC.GetGCMemoryInfo();
            using var process = Process.GetCurrentProcess();
            lock (error)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"evaldsl: memory: running: heap {info.HeapSizeBytes / 1048576.0:0.0} MB after GC #{info.Index} (gen{info.Generation}), fragmented {info.FragmentedBytes / 1048576.0:0.0} MB, committed {info.TotalCommittedBytes / 1048576.0:0.0} MB, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:0} MB, working set {process.WorkingSet64 / 1048576.0:0.0} MB"));
            }
        }, null, 1000, 1000);
    }

    public static void Stage(TextWriter error, string stage)
    {
        if (!Enabled) return;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaldsl: memory: {stage}: heap {heap / 1048576.0:0.0} MB, working set {process.WorkingSet64 / 1048576.0:0.0} MB, peak {process.PeakWorkingSet64 / 1048576.0:0.0} MB"));
    }
}
