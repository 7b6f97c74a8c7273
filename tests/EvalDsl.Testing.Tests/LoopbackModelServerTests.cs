using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Testing.Tests;

public class LoopbackModelServerTests
{
    [Fact]
    public async Task Starts_on_loopback_lists_its_models_and_stops_on_dispose()
    {
        var server = await LoopbackModelServer.StartAsync();
        var baseUrl = server.BaseUrl;
        Assert.Matches(new Regex(@"^http://127\.0\.0\.1:\d+/v1$"), baseUrl);
        Assert.Equal(new Uri(baseUrl).Port, server.Port);

        using var http = Wire.Client(TimeSpan.FromSeconds(5));
        using (var models = await http.GetAsync(baseUrl + "/models"))
        {
            Assert.Equal(HttpStatusCode.OK, models.StatusCode);
            using var document = JsonDocument.Parse(await models.Content.ReadAsStringAsync());
            Assert.Equal("list", document.RootElement.GetProperty("object").GetString());
            var ids = document.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToArray();
            Assert.Equal(new[] { "echo", "honest", "judge", "judge-fenced", "judge-prose", "sycophantic" }, ids);
        }

        await server.DisposeAsync();
        await server.DisposeAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(baseUrl + "/models"));
    }

    [Fact]
    public async Task A_chat_completion_has_the_OpenAI_shape_and_the_request_is_logged()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, Wire.Body("echo", ("system", "Be brief."), ("user", "hello there")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal(LoopbackModelServer.CreatedTimestamp, root.GetProperty("created").GetInt64());
        Assert.Equal("echo", root.GetProperty("model").GetString());
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("hello there", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(6, usage.GetProperty("total_tokens").GetInt32());

        var logged = Assert.Single(server.Requests);
        Assert.Equal("echo", logged.Model);
        Assert.Equal(new[] { new ChatMessageInfo("system", "Be brief."), new ChatMessageInfo("user", "hello there") }, logged.Messages);
        Assert.Equal(0.7, logged.Temperature);
        Assert.Equal(200, logged.MaxTokens);
        Assert.Equal(7, logged.Seed);
        Assert.False(logged.Stream);
        Assert.Contains("\"seed\":7", logged.RawJson);
        Assert.Equal(1, server.CallCount);
        Assert.Equal(1, server.CallsFor("echo"));
        Assert.Equal(0, server.CallsFor("honest"));

        server.ResetCounts();
        Assert.Equal(0, server.CallCount);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Content_given_as_an_array_of_text_parts_is_read_and_max_completion_tokens_is_accepted()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        const string body = """
            {"model":"echo","max_completion_tokens":50,"messages":[
              {"role":"user","content":[{"type":"text","text":"first part"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"second part"}]}]}
            """;
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, body);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("first part\nsecond part", document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal(50, Assert.Single(server.Requests).MaxTokens);
    }

    [Fact]
    public async Task A_streamed_completion_is_a_server_sent_event_stream_ending_with_DONE()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        const string body = """{"model":"honest","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"What is the capital of Australia?"}]}""";
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToArray();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var text = new StringBuilder();
        foreach (var chunk in chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0))
        {
            if (chunk.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var piece)) text.Append(piece.GetString());
        }

        Assert.Equal("The capital of Australia is Canberra.", text.ToString());
        Assert.Equal("stop", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(6, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(Assert.Single(server.Requests).Stream);
    }

    [Fact]
    public async Task A_registered_model_answers_from_the_request()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Register("counter", r => $"{r.Model}:{r.Messages.Count}:{r.Temperature}");

        Assert.Equal("counter:2:0.7", await Wire.ChatAsync(server, "counter", ("system", "s"), ("user", "u")));
        Assert.Contains("counter", server.Models);
    }

    [Fact]
    public async Task A_model_that_throws_gives_a_500_with_an_error_body()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Register("broken", _ => throw new InvalidOperationException("boom"));
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, Wire.Body("broken", ("user", "hi")));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("boom", (await Wire.ErrorAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task An_unknown_model_gets_404_model_not_found()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, Wire.Body("gpt-nope", ("user", "hi")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = await Wire.ErrorAsync(response);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Contains("gpt-nope", error.GetProperty("message").GetString());
        Assert.Equal(1, server.CallsFor("gpt-nope"));
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_400_and_is_still_counted()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (await Wire.ErrorAsync(response)).GetProperty("type").GetString());
        Assert.Equal(1, server.CallCount);
    }

    [Fact]
    public async Task FailNext_429_answers_with_Retry_After_and_an_error_body_then_recovers()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.FailNext(2, 429, TimeSpan.FromMilliseconds(1500));
        using var http = Wire.Client();
        var body = Wire.Body("honest", ("user", "What is the capital of Australia?"));

        for (var i = 0; i < 2; i++)
        {
            using var failed = await Wire.PostAsync(http, server, body);
            Assert.Equal(HttpStatusCode.TooManyRequests, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), failed.Headers.RetryAfter?.Delta);
            Assert.Equal("1500", Assert.Single(failed.Headers.GetValues("retry-after-ms")));
            Assert.Equal("rate_limit_exceeded", (await Wire.ErrorAsync(failed)).GetProperty("code").GetString());
        }

        using var ok = await Wire.PostAsync(http, server, body);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(3, server.CallCount);
        Assert.Equal(3, server.CallsFor("honest"));
        Assert.Equal(2, server.FaultCount);
    }

    [Fact]
    public async Task FailNext_500_has_no_Retry_After()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.FailNext(1);
        using var http = Wire.Client();
        using var failed = await Wire.PostAsync(http, server, Wire.Body("echo", ("user", "x")));

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Null(failed.Headers.RetryAfter);
        Assert.Equal("server_error", (await Wire.ErrorAsync(failed)).GetProperty("type").GetString());
    }

    [Fact]
    public async Task RequiredApiKey_rejects_a_missing_or_wrong_key_with_401_and_accepts_the_right_one()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.RequiredApiKey = "sk-loopback";
        using var http = Wire.Client();
        var body = Wire.Body("echo", ("user", "hi"));

        foreach (var key in new[] { null, "sk-wrong" })
        {
            using var denied = await Wire.PostAsync(http, server, body, key);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.Equal("invalid_api_key", (await Wire.ErrorAsync(denied)).GetProperty("code").GetString());
        }

        using var models = await http.GetAsync(server.BaseUrl + "/models");
        Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);

        using var allowed = await Wire.PostAsync(http, server, body, "sk-loopback");
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(3, server.CallCount);
        Assert.Equal(new string?[] { null, "sk-wrong", "sk-loopback" }, server.Requests.Select(r => r.ApiKey));
    }

    [Fact]
    public async Task HangNext_keeps_the_request_open_until_the_client_times_out_then_answers_again()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.HangNext(1);
        var body = Wire.Body("echo", ("user", "are you there?"));

        // The client gives up once the server has drawn the hang, not after a fixed time: on a loaded machine a
        // fixed 300 ms could pass before the request reaches the server, leaving the hang armed for the next one.
        using (var impatient = Wire.Client())
        using (var giveUp = new CancellationTokenSource())
        {
            var pending = Wire.PostAsync(impatient, server, body, cancellationToken: giveUp.Token);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (server.FaultCount == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
            Assert.Equal(1, server.FaultCount);
            Assert.False(pending.IsCompleted, "a hung request must stay open until its client gives up");
            giveUp.Cancel();
            await Assert.ThrowsAnyAsync<TaskCanceledException>(() => pending);
        }

        Assert.Equal("are you there?", await Wire.ChatAsync(server, "echo", ("user", "are you there?")));
        Assert.Equal(2, server.CallCount);
        Assert.Equal(1, server.FaultCount);
    }

    [Fact]
    public async Task A_hang_ends_with_504_when_the_client_outwaits_HangDuration()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.HangDuration = TimeSpan.FromMilliseconds(50);
        server.HangNext(1);
        using var http = Wire.Client();
        using var response = await Wire.PostAsync(http, server, Wire.Body("echo", ("user", "x")));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task Disposing_releases_a_hung_request()
    {
        var server = await LoopbackModelServer.StartAsync();
        server.HangNext(1);
        using var http = Wire.Client();
        var pending = Wire.PostAsync(http, server, Wire.Body("echo", ("user", "x")));
        await Deadline.UntilAsync(() => server.CallCount > 0, TimeSpan.FromSeconds(30), "the hung request to reach the server");

        await server.DisposeAsync();
        try
        {
            using var response = await pending;
            Assert.False(response.IsSuccessStatusCode);
        }
        catch (HttpRequestException)
        {
            // The connection was closed without an answer: that is a released request too.
        }
    }

    [Fact]
    public async Task SetFaultRate_fails_the_same_requests_for_the_same_seed()
    {
        var first = await StatusesAsync(seed: 42);
        var second = await StatusesAsync(seed: 42);

        Assert.Equal(first, second);
        Assert.Contains(200, first);
        Assert.Contains(first, s => s != 200);
        Assert.All(first, s => Assert.Contains(s, new[] { 200, 429, 500, 503 }));
        Assert.NotEqual(first, await StatusesAsync(seed: 7));

        static async Task<int[]> StatusesAsync(int seed)
        {
            await using var server = await LoopbackModelServer.StartAsync();
            server.SetFaultRate(0.2, seed, 429, 500, 503);
            using var http = Wire.Client();
            var statuses = new List<int>();
            for (var i = 0; i < 40; i++)
            {
                using var response = await Wire.PostAsync(http, server, Wire.Body("echo", ("user", "x")));
                statuses.Add((int)response.StatusCode);
            }

            Assert.Equal(40, server.CallCount);
            Assert.Equal(statuses.Count(s => s != 200), server.FaultCount);
            return statuses.ToArray();
        }
    }

    [Fact]
    public async Task ClearFaults_disarms_pending_faults()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.FailNext(5, 503);
        server.HangNext(5);
        server.SetFaultRate(1, 1, 500);
        server.ClearFaults();

        Assert.Equal("x", await Wire.AskAsync(server, "echo", "x"));
        Assert.Equal(0, server.FaultCount);
    }

    [Fact]
    public async Task Latency_still_answers()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.Latency = TimeSpan.FromMilliseconds(50);

        Assert.Equal(TimeSpan.FromMilliseconds(50), server.Latency);
        Assert.Equal("slow hello", await Wire.AskAsync(server, "echo", "slow hello"));
    }

    [Fact]
    public async Task Concurrent_requests_are_all_counted()
    {
        await using var server = await LoopbackModelServer.StartAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Wire.AskAsync(server, "echo", $"m{i}")));

        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"m{i}"), replies);
        Assert.Equal(32, server.CallCount);
        Assert.Equal(32, server.Requests.Count);
        Assert.Equal(32, server.CallsFor("echo"));
    }
}
