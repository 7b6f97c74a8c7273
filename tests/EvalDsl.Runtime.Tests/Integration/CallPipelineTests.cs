using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Models;
using EvalDsl.Runtime.Tests.Support;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary>The layers of a model call (retry, timeout, give-ups, concurrency limit, recording) against the real loopback server, on a fake clock.</summary>
public sealed class CallPipelineTests : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ModelBinding Binding(string name = "target", string model = "echo") => ModelClients.Create(name, ModelReference.Parse($"openai:{model}@{_server.BaseUrl}"));

    private static ModelRequest Request(string text) => new(new[] { new TranscriptMessage("user", text) }, null, 0);

    private static RunOptions Options(int retries = 6, int concurrency = 8) => new() { CallTimeout = CallTimeout, MaxRetries = retries, Concurrency = concurrency };

    [Fact]
    public async Task A_retry_waits_the_Retry_After_of_the_server_on_the_clock()
    {
        var clock = new SteppingClock(CallTimeout);
        _server.FailNext(2, 429, retryAfter: TimeSpan.FromSeconds(7));
        var answer = await new ModelCaller(Options(), clock).CallAsync(Binding(), Request("hello"), null, fresh: true, CancellationToken.None);
        Assert.Equal("hello", answer.Text);
        Assert.Equal(new[] { TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(7) }, clock.Waits);
        Assert.Equal(TimeSpan.FromSeconds(14), clock.Elapsed);
        Assert.Equal(3, _server.CallCount);
    }

    [Fact]
    public async Task A_timeout_is_retried_and_counts_toward_giving_up()
    {
        var clock = new SteppingClock(CallTimeout, timeoutsElapse: true);
        var caller = new ModelCaller(Options(retries: 0), clock);
        var binding = Binding();
        _server.HangNext(3);
        Assert.Equal("no answer within 5 s (timeout) (after 1 attempt)", (await caller.CallAsync(binding, Request("a"), null, fresh: true, CancellationToken.None)).Error);
        Assert.Equal("no answer within 5 s (timeout) (after 1 attempt)", (await caller.CallAsync(binding, Request("b"), null, fresh: true, CancellationToken.None)).Error);
        var fatal = await Assert.ThrowsAsync<ModelFatalException>(() => caller.CallAsync(binding, Request("c"), null, fresh: true, CancellationToken.None));
        Assert.Equal($"target model openai:echo@{_server.BaseUrl} does not answer: 3 calls in a row got no answer within 5 s", fatal.Message);
        Assert.Equal(TimeSpan.FromSeconds(15), clock.Elapsed);
    }

    [Fact]
    public async Task Three_timeouts_in_a_row_give_up_in_the_middle_of_a_calls_retries()
    {
        var clock = new SteppingClock(CallTimeout, timeoutsElapse: true);
        _server.HangNext(10);
        var fatal = await Assert.ThrowsAsync<ModelFatalException>(() => new ModelCaller(Options(retries: 6), clock).CallAsync(Binding(), Request("a"), null, fresh: true, CancellationToken.None));
        Assert.Equal($"target model openai:echo@{_server.BaseUrl} does not answer: 3 calls in a row got no answer within 5 s", fatal.Message);
        // Three timeouts and the two backoffs between them; no fourth attempt.
        Assert.Equal(2, clock.Waits.Count);
        Assert.Equal(TimeSpan.FromSeconds(15) + clock.Waits[0] + clock.Waits[1], clock.Elapsed);
    }

    [Fact]
    public async Task The_breaker_gives_up_after_three_calls_in_a_row_that_failed_after_their_retries()
    {
        var caller = new ModelCaller(Options(retries: 0), new SteppingClock(CallTimeout));
        var binding = Binding();
        _server.FailNext(3, 503);
        const string error = "the server answered HTTP 503: The server is overloaded (injected by the loopback server). (after 1 attempt)";
        Assert.Equal(error, (await caller.CallAsync(binding, Request("a"), null, fresh: true, CancellationToken.None)).Error);
        Assert.Equal(error, (await caller.CallAsync(binding, Request("b"), null, fresh: true, CancellationToken.None)).Error);
        var fatal = await Assert.ThrowsAsync<ModelFatalException>(() => caller.CallAsync(binding, Request("c"), null, fresh: true, CancellationToken.None));
        Assert.Equal($"target model openai:echo@{_server.BaseUrl} failed 3 calls in a row, each after its retries (last: {error})", fatal.Message);
        Assert.Equal(3, _server.CallCount);
    }

    [Fact]
    public async Task A_reply_resets_the_count_and_a_failure_no_retry_can_mend_leaves_it()
    {
        var caller = new ModelCaller(Options(retries: 0), new SteppingClock(CallTimeout));
        var binding = Binding();
        async Task<CallResult> Call(string text) => await caller.CallAsync(binding, Request(text), null, fresh: true, CancellationToken.None);

        _server.FailNext(2, 503);
        Assert.All(new[] { await Call("a"), await Call("b") }, r => Assert.False(r.Succeeded));
        Assert.Equal("c", (await Call("c")).Text);
        _server.FailNext(2, 503);
        Assert.All(new[] { await Call("d"), await Call("e") }, r => Assert.False(r.Succeeded));
        _server.FailNext(1, 400);
        Assert.Equal("the server rejected the request (HTTP 400: Injected failure with status 400.)", (await Call("f")).Error);
        _server.FailNext(1, 503);
        var fatal = await Assert.ThrowsAsync<ModelFatalException>(() => Call("g"));
        Assert.StartsWith("target model openai:echo@", fatal.Message);
        Assert.Contains("failed 3 calls in a row", fatal.Message);
    }

    [Fact]
    public async Task The_give_up_counts_are_kept_per_binding()
    {
        var caller = new ModelCaller(Options(retries: 0), new SteppingClock(CallTimeout));
        _server.FailNext(4, 503);
        for (var i = 0; i < 2; i++)
        {
            Assert.False((await caller.CallAsync(Binding("target"), Request("t" + i), null, fresh: true, CancellationToken.None)).Succeeded);
            Assert.False((await caller.CallAsync(Binding("judge"), Request("j" + i), null, fresh: true, CancellationToken.None)).Succeeded);
        }
    }

    [Fact]
    public async Task The_concurrency_limit_never_lets_more_calls_be_in_flight_over_all_bindings()
    {
        _server.Latency = TimeSpan.FromMilliseconds(40);
        var caller = new ModelCaller(Options(concurrency: 2));
        var target = Binding("target");
        var judge = Binding("judge");
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            caller.CallAsync(i % 2 == 0 ? target : judge, Request("m" + i), null, fresh: true, CancellationToken.None)));
        Assert.All(answers.Select((a, i) => (a, i)), x => Assert.Equal("m" + x.i, x.a.Text));
        Assert.Equal(16, _server.CallCount);
        Assert.InRange(_server.MaxConcurrent, 1, 2);
    }

    [Fact]
    public async Task A_cancelled_run_ends_a_call_that_would_back_off_for_an_hour()
    {
        using var cancel = new CancellationTokenSource();
        // The system clock: the backoff really waits, until the cancellation ends it.
        var caller = new ModelCaller(new RunOptions { RetryBaseDelay = TimeSpan.FromHours(1), RetryMaxDelay = TimeSpan.FromHours(1), MaxRetries = 3 });
        _server.FailNext(1, 503);
        var call = caller.CallAsync(Binding(), Request("a"), null, fresh: true, cancel.Token);
        while (_server.CallCount == 0) await Task.Delay(10);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task A_recording_that_cannot_be_written_stops_the_run()
    {
        using var folder = new TempFolder();
        var file = folder.Write("not-a-folder", "");
        var caller = new ModelCaller(new RunOptions { RecordDirectory = file });
        var fatal = await Assert.ThrowsAsync<ModelFatalException>(() => caller.CallAsync(Binding(), Request("a"), null, fresh: true, CancellationToken.None));
        Assert.StartsWith($"cannot write the recording {Path.Combine(file, "target")}: ", fatal.Message);
        Assert.Equal(1, _server.CallCount);
    }
}
