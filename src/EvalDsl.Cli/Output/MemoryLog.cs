using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace EvalDsl.Cli.Output;

/// <summary>
/// EVALDSL_MEMORY_LOG=1: one stderr line per stage of a run with the managed heap after a full collection, the
/// working set and its peak so far (a benchmark's finder of what holds memory; bench/run-100k.sh). Off by default: the
/// full collection costs time.
/// </summary>
internal static class MemoryLog
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("EVALDSL_MEMORY_LOG") == "1";

    public static void Stage(TextWriter error, string stage)
    {
        if (!Enabled) return;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaldsl: memory: {stage}: heap {heap / 1048576.0:0.0} MB, working set {process.WorkingSet64 / 1048576.0:0.0} MB, peak {process.PeakWorkingSet64 / 1048576.0:0.0} MB"));
    }
}
