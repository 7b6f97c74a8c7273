using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Polly;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The breaker of a binding: when <see cref="CallPipeline.GiveUpAfter"/> outcomes in a row fail the way it counts,
/// the one that makes it so becomes a <see cref="ModelFatalException"/> and the run stops with one clear line instead
/// of waiting out every call. A reply resets the count; a failure of another kind leaves it as it is.
/// </summary>
/// <remarks>
/// Not Polly's circuit breaker: that one opens on a failure ratio over a sampling window (a reply or a failure of
/// another kind in the window keeps it closed), and once open it rejects calls without making them, while a model
/// that is given up on is given up on at the failure itself and the next call is still made.
/// </remarks>
internal sealed class GiveUpStrategy : ResilienceStrategy<Attempt>
{
    private readonly StrongBox<int> _inARow;
    private readonly Func<Outcome<Attempt>, bool> _counts;
    private readonly Func<Outcome<Attempt>, ResilienceContext, string> _message;

    /// <param name="inARow">The count, shared by every pipeline of the binding's name.</param>
    /// <param name="counts">Whether an outcome that is not a reply counts.</param>
    /// <param name="message">The give-up message, from the outcome that made the count.</param>
    public GiveUpStrategy(StrongBox<int> inARow, Func<Outcome<Attempt>, bool> counts, Func<Outcome<Attempt>, ResilienceContext, string> message)
    {
        _inARow = inARow;
        _counts = counts;
        _message = message;
    }

    protected override async ValueTask<Outcome<Attempt>> ExecuteCore<TState>(Func<ResilienceContext, TState, ValueTask<Outcome<Attempt>>> callback, ResilienceContext context, TState state)
    {
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Result is { Succeeded: true })
        {
            Volatile.Write(ref _inARow.Value, 0);
        }
        else if (_counts(outcome) && Interlocked.Increment(ref _inARow.Value) >= CallPipeline.GiveUpAfter)
        {
            return Polly.Outcome.FromException<Attempt>(new ModelFatalException(_message(outcome, context)));
        }
        return outcome;
    }
}
