using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using EvalDsl.Runtime.Models;
using EvalDsl.Runtime.Tests.Support;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary>The model caller against hostile and broken servers over real HTTP: every reply is one call's result, never a crash.</summary>
public sealed class HostileServerTests : IAsyncLifetime
{
    private const string Key = "sk-fuzz-6a0d2c9e41b7f853";

    private static readonly string ValidCompletion =
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Canberra is the capital.\",\"refusal\":null},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

    private static readonly string[] Nasty = { "{", "}", "[", "]", "\"", ":", ",", "\\", "\\ud800", "\\udc00", "\\u0000", "null", "42", "[]", "{}", "true", Key, "\u00e9", "\U0001F600", "\n", "data: ", "<html>" };

    private readonly ConcurrentDictionary<string, RawReply> _bodies = new(StringComparer.Ordinal);
    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        _server.HugeReplyCharacters = 3_000_000;
        foreach (var mode in Enum.GetValues<HostileReply>()) _server.RegisterHostile("hostile-" + mode, mode);
        _server.RegisterRaw("raw", r => _bodies.TryGetValue(r.LastUserMessage, out var body) ? body : new RawReply(500, "text/plain", Array.Empty<byte>()));
        Secrets.Register(Key);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    // Not 30 s, the longest backoff: the clock tells the timeout from a backoff by its length.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(45);

    private static ModelCaller Caller(SteppingClock? clock = null, int maxReply = 100_000) =>
        new(new RunOptions { MaxRetries = 2, MaxReplyCharacters = maxReply, CallTimeout = CallTimeout }, clock ?? new SteppingClock(CallTimeout));

    private ModelBinding Binding(string model) => ModelClients.Create("target", ModelReference.Parse($"openai:{model}@{_server.BaseUrl}"));

    private static ModelRequest Request(string text) => new(new[] { new TranscriptMessage("user", text) }, null, 0);

    [Fact]
    public async Task Retry_After_1e300_is_capped_at_the_longest_backoff()
    {
        var clock = new SteppingClock(CallTimeout);
        var answer = await Caller(clock).CallAsync(Binding("hostile-RetryAfterHuge"), Request("hi"), null, fresh: true, CancellationToken.None);
        Assert.Equal("the server answered HTTP 429: Slow down (hostile loopback server). (after 3 attempts)", answer.Error);
        Assert.Equal(new[] { TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30) }, clock.Waits);
    }

    [Fact]
    public async Task A_malformed_reply_is_retried_and_a_tool_call_or_a_reply_too_large_is_not()
    {
        var caller = Caller();
        var html = await caller.CallAsync(Binding("hostile-Html"), Request("a"), null, fresh: true, CancellationToken.None);
        Assert.EndsWith("(after 3 attempts)", html.Error);
        _server.ResetCounts();
        var tool = await caller.CallAsync(Binding("hostile-ToolCall"), Request("b"), null, fresh: true, CancellationToken.None);
        Assert.Equal("the model answered with a tool call (get_weather) instead of text; a spec offers no tools, so there is no reply to grade", tool.Error);
        var huge = await caller.CallAsync(Binding("hostile-Huge"), Request("c"), null, fresh: true, CancellationToken.None);
        Assert.Equal("the server's reply is larger than 0.6 MB, more than a reply of at most 100,000 characters takes (--max-reply); it was cut off unread", huge.Error);
        Assert.Equal(2, _server.CallCount);
    }

    /// <summary>Hostile shapes and random mutations of a valid completion: each call returns a result that is safe to write.</summary>
    [Fact]
    public async Task Any_reply_of_any_server_is_one_calls_result_and_safe_to_write()
    {
        var hostile = Gen.Enum<HostileReply>().Select(mode => ("hostile-" + mode, (RawReply?)null));
        var mutated = Gen.Select(Gen.Int[0, ValidCompletion.Length], Gen.Int[0, 4], Gen.Int[0, Nasty.Length - 1].Array[1, 4], Gen.OneOf(new[] { "application/json", "text/html", "text/event-stream", "" }), Gen.OneOf(new[] { 200, 200, 200, 400, 429, 500, 503 }))
            .Select((position, kind, pieces, type, status) =>
            {
                var insert = string.Concat(pieces.Select(i => Nasty[i]));
                var body = kind switch
                {
                    0 => ValidCompletion.Substring(0, position),
                    1 => ValidCompletion.Insert(position, insert),
                    2 => ValidCompletion.Replace("Canberra is the capital.", insert, StringComparison.Ordinal),
                    3 => ValidCompletion.Replace("\"Canberra is the capital.\"", insert, StringComparison.Ordinal),
                    _ => insert,
                };
                var bytes = Encoding.UTF8.GetBytes(body);
                if (kind == 4 && bytes.Length > 0) bytes[position % bytes.Length] = 0xFF;
                return ("raw", (RawReply?)new RawReply(status, type, bytes, status == 429 ? "1e300" : null));
            });
        await Gen.Frequency(((int, IGen<(string, RawReply?)>))(1, hostile), (4, mutated)).SampleAsync(async sample =>
        {
            var (model, raw) = sample;
            var id = Guid.NewGuid().ToString("N");
            if (raw is not null) _bodies[id] = raw;
            // A caller of its own: three failed calls in a row end a run on purpose (ModelFatalException), not here.
            var answer = await Caller(maxReply: 10_000).CallAsync(Binding(model), Request(id), null, fresh: true, CancellationToken.None);
            var text = answer.Text ?? answer.Error;
            Assert.False(string.IsNullOrEmpty(text));
            Assert.Equal(Secrets.WellFormed(text!), text);
            Assert.DoesNotContain(Key, text);
            if (answer.Succeeded) Assert.True(text!.Length < 10_200, $"a reply of {text.Length} characters passed a limit of 10,000");
        }, iter: 150, threads: 1);
    }
}
