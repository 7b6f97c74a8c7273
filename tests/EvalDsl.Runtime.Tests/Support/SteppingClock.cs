using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.Extensions.Time.Testing;

namespace EvalDsl.Runtime.Tests.Support;

/// <summary>
/// A fake clock that moves itself: every wait that is not the per-call timeout (a retry's backoff) passes at once,
/// and is recorded; the per-call timeout passes at once only when <c>timeoutsElapse</c> is set (a server that never
/// answers), and otherwise never, so a call over real HTTP is not timed out while it is in flight.
/// </summary>
internal sealed class SteppingClock : FakeTimeProvider
{
    private readonly TimeSpan _timeout;
    private readonly bool _timeoutsElapse;
    private readonly List<TimeSpan> _waits = new();

    /// <param name="callTimeout">The caller's per-call timeout: a timer of this length is the timeout (so no backoff may be this long).</param>
    /// <param name="timeoutsElapse">Whether the timeout passes at once.</param>
    public SteppingClock(TimeSpan callTimeout, bool timeoutsElapse = false)
    {
        _timeout = callTimeout;
        _timeoutsElapse = timeoutsElapse;
        Started = GetUtcNow();
    }

    /// <summary>When the clock was made.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>How far the clock has moved.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Started;

    /// <summary>The waits so far, in order, the timeouts left out.</summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits) return _waits.ToArray();
        }
    }

    public void ClearWaits()
    {
        lock (_waits) _waits.Clear();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Scheduled(dueTime);
        return timer;
    }

    // A timer is set when it is made or changed (a CancellationTokenSource's CancelAfter makes it first, then changes it).
    private void Scheduled(TimeSpan dueTime)
    {
        if (dueTime <= TimeSpan.Zero) return;
        var isTimeout = dueTime == _timeout;
        if (!isTimeout)
        {
            lock (_waits) _waits.Add(dueTime);
        }
        // Moved off the thread that is still setting the timer: its callback must not run before the timer is set.
        if (!isTimeout || _timeoutsElapse) ThreadPool.QueueUserWorkItem(_ => Advance(dueTime));
    }

    private sealed class ObservedTimer : ITimer
    {
        private readonly ITimer _inner;
        private readonly SteppingClock _clock;

        public ObservedTimer(ITimer inner, SteppingClock clock)
        {
            _inner = inner;
            _clock = clock;
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = _inner.Change(dueTime, period);
            _clock.Scheduled(dueTime);
            return changed;
        }

        public void Dispose() => _inner.Dispose();

        public System.Threading.Tasks.ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
