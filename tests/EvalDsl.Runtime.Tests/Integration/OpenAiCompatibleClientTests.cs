using System;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Models;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary>What EvalDsl's own OpenAI-compatible client sends, as the loopback server receives it over real HTTP.</summary>
public sealed class OpenAiCompatibleClientTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        _server.Register("plain", r => r.Prefill is null ? "Canberra." : "7).");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ModelBinding Binding(string baseUrl) => ModelClients.Create("target", ModelReference.Parse($"openai:plain@{baseUrl}"));

    [Fact]
    public async Task A_call_sends_the_model_messages_temperature_and_seed_to_chat_completions_under_the_base_urls_path_and_query()
    {
        var request = new ModelRequest(new[] { new TranscriptMessage("system", "Be brief."), new TranscriptMessage("user", "What is the capital of Australia?") }, 0.7, 42);
        var answer = await new ModelCaller(new RunOptions()).CallAsync(Binding(_server.BaseUrl + "/?api-version=2024-10-21"), request, null, fresh: true, CancellationToken.None);

        Assert.Equal("Canberra.", answer.Text);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions?api-version=2024-10-21", sent.PathAndQuery);
        Assert.Equal("application/json", sent.Headers["Content-Type"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal(
            """{"model":"plain","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is the capital of Australia?"}],"temperature":0.7,"seed":42}""",
            sent.RawJson);
    }

    [Fact]
    public async Task A_call_that_continues_its_final_assistant_message_says_so_in_the_body()
    {
        var request = new ModelRequest(new[] { new TranscriptMessage("user", "Which is prime? A) 6 B) 7"), new TranscriptMessage("assistant", "The answer is (B) ") }, null, 3);
        var answer = await new ModelCaller(new RunOptions()).CallAsync(Binding(_server.BaseUrl), request, null, fresh: true, CancellationToken.None);

        Assert.Equal("7).", answer.Text);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("/v1/chat/completions", sent.PathAndQuery);
        Assert.Equal(
            """{"model":"plain","messages":[{"role":"user","content":"Which is prime? A) 6 B) 7"},{"role":"assistant","content":"The answer is (B) "}],"seed":3,"continue_final_message":true,"add_generation_prompt":false}""",
            sent.RawJson);
    }

    [Theory]
    [InlineData("https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions")]
    [InlineData("http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1/chat/completions")]
    [InlineData("http://gateway.example/", "http://gateway.example/chat/completions")]
    [InlineData("https://gateway.example/openai/deployments/gpt?api-version=2024-10-21&x=a%20b", "https://gateway.example/openai/deployments/gpt/chat/completions?api-version=2024-10-21&x=a%20b")]
    public void The_url_is_the_base_urls_path_and_chat_completions_with_its_query(string baseUrl, string url) =>
        Assert.Equal(url, OpenAiCompatibleClient.CompletionsUrl(new Uri(baseUrl)).AbsoluteUri);
}
