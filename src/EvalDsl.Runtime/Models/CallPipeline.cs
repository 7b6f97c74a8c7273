using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The resilience pipeline of one binding, outermost first: give up after <see cref="GiveUpAfter"/> calls in a row
/// that failed after their retries; retry what may pass on a second try (429, 5xx, timeouts, lost connections, an
/// empty or unreadable reply) with exponential backoff and jitter, or after the server's Retry-After; wait for one of
/// the run's concurrency slots (shared by every binding, and not held between attempts); give up after
/// <see cref="GiveUpAfter"/> attempts in a row without an answer in time; the per-call timeout.
/// </summary>
internal static class CallPipeline
{
    /// <summary>
    /// A model that times out on this many attempts in a row, or fails this many calls in a row after all their
    /// retries, is down: the run stops with one clear line instead of waiting out every call (a hung server would
    /// otherwise cost calls × retries × timeout).
    /// </summary>
    public const int GiveUpAfter = 3;

    /// <summary>The attempts a call has made so far (set on its <see cref="ResilienceContext"/>).</summary>
    public static readonly ResiliencePropertyKey<int> Attempts = new("evaldsl.attempts");

    /// <param name="binding">The binding whose calls the pipeline makes (its name and identity are in the give-up messages).</param>
    /// <param name="options">Retries, their delays and the per-call timeout.</param>
    /// <param name="slots">The run's concurrency limit.</param>
    /// <param name="time">The clock of the backoff and the timeout.</param>
    /// <param name="failuresInARow">Calls of the binding's name that failed in a row after their retries.</param>
    /// <param name="timeoutsInARow">Attempts of the binding's name in a row that got no answer in time.</param>
    /// <param name="limit">The binding's adaptive concurrency limit (AIMD on 429s), taken before one of the run's slots; null for none.</param>
    public static ResiliencePipeline<Attempt> Build(ModelBinding binding, RunOptions options, RateLimiter slots, TimeProvider time, StrongBox<int> failuresInARow, StrongBox<int> timeoutsInARow, AdaptiveLimit? limit = null)
    {
        var timeout = options.CallTimeout;
        var builder = new ResiliencePipelineBuilder<Attempt> { TimeProvider = time };
        builder.AddStrategy(_ => new GiveUpStrategy(failuresInARow, IsRetryable,
            (outcome, context) => $"{binding.Name} model {binding.Identity} failed {GiveUpAfter} calls in a row, each after its retries (last: {Error(outcome, context, timeout)})"));
        // Polly's retry needs at least one: --retries 0 has no retry strategy.
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<Attempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => new ValueTask<bool>(IsRetryable(args.Outcome)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(Backoff(options, args.AttemptNumber, args.Outcome.Result?.RetryAfter)),
            });
        }
        if (limit is not null) builder.AddStrategy(_ => new AdaptiveLimitStrategy(limit));
        builder.AddRateLimiter(slots);
        builder.AddStrategy(_ => new GiveUpStrategy(timeoutsInARow, outcome => outcome.Exception is TimeoutRejectedException,
            (_, _) => $"{binding.Name} model {binding.Identity} does not answer: {GiveUpAfter} calls in a row got no answer within {Seconds(timeout)} s"));
        // A generator, not TimeoutStrategyOptions.Timeout: that one must lie between 10 ms and a day, and --timeout takes any positive number.
        builder.AddTimeout(new TimeoutStrategyOptions { TimeoutGenerator = _ => new ValueTask<TimeSpan>(timeout) });
        return builder.Build();
    }

    /// <summary>The error of a call that got no reply, as the run reports it: a retryable one says how many attempts it had.</summary>
    public static string Error(Outcome<Attempt> outcome, ResilienceContext context, TimeSpan timeout)
    {
        var timedOut = outcome.Exception is TimeoutRejectedException;
        var error = timedOut ? $"no answer within {Seconds(timeout)} s (timeout)" : outcome.Result?.Error ?? outcome.Exception?.Message ?? "no reply";
        if (!IsRetryable(outcome)) return error;
        var tries = context.Properties.GetValue(Attempts, 0);
        return $"{error} (after {tries} attempt{(tries == 1 ? "" : "s")})";
    }

    private static bool IsRetryable(Outcome<Attempt> outcome) =>
        outcome.Exception is TimeoutRejectedException || outcome.Result is { Succeeded: false, Retryable: true };

    private static TimeSpan Backoff(RunOptions options, int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait) return wait < options.RetryMaxDelay ? wait : options.RetryMaxDelay;
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        // Full jitter in [capped/2, capped]: retries of many callers do not arrive together.
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() * 0.5));
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
