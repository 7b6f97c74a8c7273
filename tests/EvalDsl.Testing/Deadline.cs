using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Testing;

/// <summary>
/// The waits of the tests, each with a deadline that fails the test with a message saying what never happened.
/// A deadline is a guard against a hang, not a timing assertion: give it room for a loaded machine.
/// </summary>
public static class Deadline
{
    /// <summary>How often a condition is polled.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; past <paramref name="deadline"/> throws a <see cref="TimeoutException"/>.</summary>
    /// <param name="condition">What to wait for.</param>
    /// <param name="deadline">How long it may take.</param>
    /// <param name="what">What the condition means, for the message ("two finished samples in the journal").</param>
    public static void Until(Func<bool> condition, TimeSpan deadline, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline) throw Expired(what, deadline);
            Thread.Sleep(Poll);
        }
    }

    /// <summary>The asynchronous <see cref="Until"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan deadline, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline) throw Expired(what, deadline);
            await Task.Delay(Poll).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits <paramref name="task"/>; past <paramref name="deadline"/> throws a <see cref="TimeoutException"/>.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, TimeSpan deadline, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw Expired(what, deadline);
        }
    }

    /// <summary>Awaits <paramref name="task"/>; past <paramref name="deadline"/> throws a <see cref="TimeoutException"/>.</summary>
    public static async Task WithinAsync(Task task, TimeSpan deadline, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(deadline).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw Expired(what, deadline);
        }
    }

    private static TimeoutException Expired(string what, TimeSpan deadline) =>
        new($"Waited {deadline.TotalSeconds:0.#} s for {what}; it did not happen.");
}
