using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The adaptive concurrency limit of one binding (AIMD, as TCP's congestion window): it starts at the ceiling
/// (<c>--concurrency</c>); an attempt the server refuses for its rate limit (HTTP 429) halves it (multiplicative
/// decrease, never below 1); every window of successful attempts as long as the limit grows it by one (additive
/// increase), back up to the ceiling. A large run so finds the provider's limit instead of hammering it.
/// </summary>
/// <remarks>
/// <para>Only a 429 of an attempt that started after the last decrease decreases: the attempts in flight when the
/// limit fell were sent under the old limit, and their 429s say nothing new (one decrease per "round trip").
/// Each decrease starts an epoch; only successes of the current epoch count toward the next increase.</para>
/// <para>Hence a bound on the 429s a run gets: every 429 belongs to the epoch its attempt started in, and an epoch
/// with limit L has at most L attempts in flight, so an epoch that ends gives at most L 429s, and only an ending
/// epoch gives any (the first 429 of an epoch ends it).</para>
/// </remarks>
internal sealed class AdaptiveLimit
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource<long>> _waiting = new();
    private int _inFlight;
    private int _limit;
    private long _epoch;
    private int _window;
    private int _decreases;

    public AdaptiveLimit(int ceiling)
    {
        Ceiling = Math.Max(1, ceiling);
        _limit = Ceiling;
    }

    /// <summary>The most the limit grows to (<c>--concurrency</c>).</summary>
    public int Ceiling { get; }

    /// <summary>The current limit.</summary>
    public int Limit
    {
        get
        {
            lock (_gate) return _limit;
        }
    }

    /// <summary>How many times the limit was halved.</summary>
    public int Decreases
    {
        get
        {
            lock (_gate) return _decreases;
        }
    }

    /// <summary>Waits for a slot under the current limit; returns the epoch the attempt starts in.</summary>
    public ValueTask<long> AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<long> waiter;
        lock (_gate)
        {
            if (_inFlight < _limit && _waiting.Count == 0)
            {
                _inFlight++;
                return new ValueTask<long>(_epoch);
            }
            waiter = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(waiter);
        }
        if (cancellationToken.CanBeCanceled)
        {
            // A waiter given a slot before the cancellation keeps it (and gives it back as any attempt does).
            var registration = cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
            return new ValueTask<long>(Dispose(waiter.Task, registration));
        }
        return new ValueTask<long>(waiter.Task);
    }

    private async Task<long> Dispose(Task<long> task, CancellationTokenRegistration registration)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        finally
        {
            await registration.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Gives back the slot of an attempt that started in <paramref name="epoch"/>, learning from how it went.</summary>
    public void Release(long epoch, bool succeeded, bool throttled)
    {
        lock (_gate)
        {
            _inFlight--;
            if (throttled && epoch == _epoch)
            {
                _limit = Math.Max(1, _limit / 2);
                _epoch++;
                _window = 0;
                _decreases++;
            }
            else if (succeeded && epoch == _epoch && _limit < Ceiling && ++_window >= _limit)
            {
                _limit++;
                _window = 0;
            }
            while (_inFlight < _limit && _waiting.Count > 0)
            {
                var next = _waiting.Dequeue();
                if (next.TrySetResult(_epoch)) _inFlight++;
            }
        }
    }
}

/// <summary>Runs each attempt in a slot of its binding's <see cref="AdaptiveLimit"/>, and tells the limit how it went.</summary>
internal sealed class AdaptiveLimitStrategy : ResilienceStrategy<Attempt>
{
    private readonly AdaptiveLimit _limit;

    public AdaptiveLimitStrategy(AdaptiveLimit limit) => _limit = limit;

    protected override async ValueTask<Outcome<Attempt>> ExecuteCore<TState>(Func<ResilienceContext, TState, ValueTask<Outcome<Attempt>>> callback, ResilienceContext context, TState state)
    {
        long epoch;
        try
        {
            epoch = await _limit.AcquireAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException ex)
        {
            return Polly.Outcome.FromException<Attempt>(ex);
        }
        var outcome = default(Outcome<Attempt>);
        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            return outcome;
        }
        finally
        {
            _limit.Release(epoch, outcome.Result is { Succeeded: true }, outcome.Result is { Throttled: true });
        }
    }
}
