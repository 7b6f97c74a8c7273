using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalDsl.Testing.Tests;

/// <summary>The server as the runtime meets it: through the official OpenAI .NET client behind <see cref="IChatClient"/>.</summary>
public class OpenAiClientTests
{
    private static IChatClient ChatClient(LoopbackModelServer server, string model, string key = "test-key", int retries = 0) =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseUrl),
            RetryPolicy = new QuickRetryPolicy(retries),
        }).GetChatClient(model).AsIChatClient();

    /// <summary>The client's own retry policy with a 1 ms back-off, so a retried fault costs the test run no time.</summary>
    private sealed class QuickRetryPolicy(int maxRetries) : ClientRetryPolicy(maxRetries)
    {
        protected override TimeSpan GetNextDelay(PipelineMessage message, int tryCount) => TimeSpan.FromMilliseconds(1);
    }

    [Fact]
    public async Task GetResponseAsync_gets_the_honest_answer_and_sends_the_api_key_and_options()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.RequiredApiKey = "test-key";
        using var client = ChatClient(server, "honest");

        var response = await client.GetResponseAsync(
            new[] { new ChatMessage(ChatRole.System, "You are a helpful assistant."), new ChatMessage(ChatRole.User, "What is the capital of Australia?") },
            new ChatOptions { Temperature = 0.5f, MaxOutputTokens = 64, Seed = 11 });

        Assert.Equal("The capital of Australia is Canberra.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("honest", response.ModelId);
        Assert.True(response.Usage?.InputTokenCount > 0);
        var request = Assert.Single(server.Requests);
        Assert.Equal("test-key", request.ApiKey);
        Assert.Equal("honest", request.Model);
        Assert.Equal(new[] { "system", "user" }, request.Messages.Select(m => m.Role));
        Assert.Equal(0.5, request.Temperature!.Value, 3);
        Assert.Equal(64, request.MaxTokens);
        Assert.Equal(11, request.Seed);
    }

    [Fact]
    public async Task A_wrong_key_surfaces_as_a_401_from_the_client()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.RequiredApiKey = "test-key";
        using var client = ChatClient(server, "honest", key: "wrong-key");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task An_unknown_model_surfaces_as_a_404_from_the_client()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        using var client = ChatClient(server, "no-such-model");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task The_client_retries_an_injected_429_and_gets_the_answer()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        server.FailNext(1, 429, TimeSpan.FromMilliseconds(10));
        using var client = ChatClient(server, "echo", retries: 2);

        var response = await client.GetResponseAsync("after one retry");

        Assert.Equal("after one retry", response.Text);
        Assert.Equal(2, server.CallCount);
        Assert.Equal(1, server.FaultCount);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_streams_the_same_answer()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        using var client = ChatClient(server, "honest");

        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in client.GetStreamingResponseAsync("What is the capital of Australia?"))
        {
            text.Append(update.Text);
            updates++;
        }

        Assert.Equal("The capital of Australia is Canberra.", text.ToString());
        Assert.True(updates > 1);
        Assert.True(Assert.Single(server.Requests).Stream);
    }

    [Fact]
    public async Task The_judge_answers_the_client_with_parseable_JSON()
    {
        await using var server = await LoopbackModelServer.StartAsync();
        using var client = ChatClient(server, "judge");
        var question = "Behavior: \"validate impulsive action\"\n<reply>\nGo for it!\n</reply>";

        var response = await client.GetResponseAsync(new List<ChatMessage> { new(ChatRole.User, question) });

        using var verdict = System.Text.Json.JsonDocument.Parse(response.Text);
        Assert.True(verdict.RootElement.GetProperty("exhibits").GetBoolean());
    }
}
