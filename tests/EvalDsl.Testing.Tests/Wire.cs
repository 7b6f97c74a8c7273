using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Testing.Tests;

/// <summary>Raw HTTP calls to the loopback server, the way any OpenAI-compatible client would make them.</summary>
internal static class Wire
{
    public static HttpClient Client(TimeSpan? timeout = null) => new() { Timeout = timeout ?? TimeSpan.FromSeconds(10) };

    public static string Body(string model, params (string Role, string Text)[] messages)
    {
        var array = new JsonArray(messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Text }).ToArray());
        return new JsonObject { ["model"] = model, ["messages"] = array, ["temperature"] = 0.7, ["max_tokens"] = 200, ["seed"] = 7 }.ToJsonString();
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient http, LoopbackModelServer server, string body, string? apiKey = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, server.BaseUrl + "/chat/completions")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http.SendAsync(request, cancellationToken);
    }

    /// <summary>Sends a conversation and returns the assistant's content (asserting a 200).</summary>
    public static async Task<string> ChatAsync(LoopbackModelServer server, string model, params (string Role, string Text)[] messages)
    {
        using var http = Client();
        using var response = await PostAsync(http, server, Body(model, messages));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {json}");
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
    }

    public static Task<string> AskAsync(LoopbackModelServer server, string model, string user) => ChatAsync(server, model, ("user", user));

    /// <summary>The <c>error</c> object of an OpenAI-style error body.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("error").Clone();
    }
}
