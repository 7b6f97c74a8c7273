using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using EvalDsl.Runtime;

namespace EvalDsl.Cli.Output;

/// <summary>
/// A benchmark's finder of where a run's memory and time go (bench/run-100k.sh, bench/run-loopback.sh), off by default.
/// EVALDSL_MEMORY_LOG=1: one stderr line per stage of a run with the managed heap after a full collection, the working
/// set and its peak so far (the collection costs time, and the reports are written one after another).
/// EVALDSL_MEMORY_LOG=time: one stderr line per stage with the milliseconds since the process started, the garbage
/// collections so far and the bytes allocated, and nothing else changed, so that the run is timed as it runs.
/// </summary>
internal static class MemoryLog
{
    private static readonly string? Mode = Environment.GetEnvironmentVariable("EVALDSL_MEMORY_LOG");

    /// <summary>Whether stages are logged with the heap after a full collection.</summary>
    public static bool Heap => Mode == "1";

    private static bool Times => Mode == "time";

    /// <summary>While the result is disposed of: a line every second without a collection (the heap as the last one left it, what is committed).</summary>
    public static IDisposable? Every(TextWriter error)
    {
        if (!Heap) return null;
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
        if (Times)
        {
            using var self = Process.GetCurrentProcess();
            var elapsed = DateTime.Now - self.StartTime;
            lock (error) error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaldsl: time: {stage}: {elapsed.TotalMilliseconds:0} ms, {GC.CollectionCount(0)} collections, {GC.GetTotalAllocatedBytes() / 1048576.0:0} MB allocated"));
            return;
        }
        if (!Heap) return;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"evaldsl: memory: {stage}: heap {heap / 1048576.0:0.0} MB, working set {process.WorkingSet64 / 1048576.0:0.0} MB, peak {process.PeakWorkingSet64 / 1048576.0:0.0} MB"));
    }

    /// <summary>Under EVALDSL_MEMORY_LOG=time, <paramref name="observer"/> with a stage logged when the first and the last sample finish.</summary>
    public static IRunObserver Timed(IRunObserver observer, TextWriter error) => Times ? new TimedObserver(observer, error) : observer;

    private sealed class TimedObserver(IRunObserver inner, TextWriter error) : IRunObserver
    {
        private int _total;
        private int _done;

        public void Planned(int total, int alreadyDone)
        {
            _total = total;
            _done = alreadyDone;
            Stage(error, "run planned");
            inner.Planned(total, alreadyDone);
        }

        public void Finished(SampleResult sample)
        {
            var done = Interlocked.Increment(ref _done);
            if (done == 1) Stage(error, "first sample finished");
            if (done == _total) Stage(error, "last sample finished");
            inner.Finished(sample);
        }
    }
}
