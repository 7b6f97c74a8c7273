using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Models;
using EvalDsl.Runtime.Tests.Support;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary>
/// The adaptive concurrency limit (AIMD per binding) against the loopback server's concurrency limit: a server that
/// answers at most K requests at once and 429 above K, on a fake clock (every backoff passes at once).
/// </summary>
public sealed class AdaptiveConcurrencyTests : IAsyncLifetime
{
    private const int Ceiling = 16;
    private const int ServerLimit = 4;
    private const int Samples = 120;

    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly string Spec = $$"""
        suite "Throttled" {
          samples {{Samples}}
          case "echo" {
            user "hello"
            must contain "hello"
          }
        }
        """;

    [Fact]
    public async Task The_limit_halves_on_a_429_of_its_epoch_and_grows_by_one_per_window_of_successes()
    {
        var limit = new AdaptiveLimit(8);
        var epoch = await limit.AcquireAsync(CancellationToken.None);
        var old = await limit.AcquireAsync(CancellationToken.None);
        limit.Release(epoch, succeeded: false, throttled: true);
        Assert.Equal(4, limit.Limit);
        // A 429 of an attempt sent under the old limit says nothing new.
        limit.Release(old, succeeded: false, throttled: true);
        Assert.Equal(4, limit.Limit);
        for (var i = 0; i < 3; i++) limit.Release(await limit.AcquireAsync(CancellationToken.None), succeeded: true, throttled: false);
        Assert.Equal(4, limit.Limit);
        limit.Release(await limit.AcquireAsync(CancellationToken.None), succeeded: true, throttled: false);
        Assert.Equal(5, limit.Limit);
        for (var i = 0; i < 3; i++)
        {
            var e = await limit.AcquireAsync(CancellationToken.None);
            limit.Release(e, succeeded: false, throttled: true);
        }
        Assert.Equal(1, limit.Limit);
        Assert.Equal(4, limit.Decreases);
        for (var i = 0; i < 100; i++) limit.Release(await limit.AcquireAsync(CancellationToken.None), succeeded: true, throttled: false);
        Assert.Equal(8, limit.Limit);
    }

    [Fact]
    public async Task A_waiting_attempt_starts_when_a_slot_is_given_back()
    {
        var limit = new AdaptiveLimit(1);
        var first = await limit.AcquireAsync(CancellationToken.None);
        var second = limit.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);
        limit.Release(first, succeeded: true, throttled: false);
        Assert.Equal(first, await second);
    }

    [Fact]
    public async Task A_run_against_a_server_that_allows_K_calls_at_once_finds_K_and_finishes_every_sample()
    {
        _server.ConcurrencyLimit = ServerLimit;
        // Calls overlap at the server, so that the limit is met whenever the client sends more than K.
        _server.Latency = TimeSpan.FromMilliseconds(5);
        var options = new RunOptions { Concurrency = Ceiling, MaxRetries = 10 };
        var clock = new SteppingClock(options.CallTimeout);
        var caller = new ModelCaller(options, clock);
        var bindings = new ModelBindings().Bind("target", ModelReference.Parse($"openai:echo@{_server.BaseUrl}"));

        var result = await new EvalRunner(bindings, options, caller).RunAsync(Specs.Plan(Spec));

        var stats = Assert.Single(Assert.Single(result.Cases).Expectations).Stats;
        Assert.Equal((Samples, 0, 0), (stats.Passes, stats.Fails, stats.Errors));
        Assert.Equal(Samples, _server.CallCount);

        // The bound, from the algorithm (AdaptiveLimit): every 429 belongs to the epoch its attempt started in, an
        // epoch with limit L has at most L attempts in flight, and only an epoch that ends (by its first 429) has any.
        // The server refuses a call only when the client has more than K in flight, so an epoch ends only at a limit
        // above K: the first halvings from the ceiling (16, then 8), and then each time the limit climbs back from
        // (K + 1) / 2 to K + 1, which takes 2 + 3 + 4 = 9 successes of its epoch, at most Samples / 9 times, each
        // with at most K + 1 attempts in flight.
        const int climb = 2 + 3 + 4;
        var bound = Ceiling + Ceiling / 2 + (ServerLimit + 1) * ((Samples + climb - 1) / climb);
        Assert.InRange(_server.ThrottledCount, 1, bound);

        // Converged: in the second half of the run the client sends K, or K + 1 as it probes, never the ceiling.
        var arrivals = _server.ArrivalConcurrency;
        var late = arrivals.Skip(arrivals.Count / 2).ToList();
        Assert.InRange(late.Max(), ServerLimit, ServerLimit + 1);
        Assert.Matches(@"^limit [1-5]/16 target$", caller.Status());
    }
}
