using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The chat-completions JSON of an OpenAI-compatible server, as EvalDsl writes and reads it, for a direct call
/// (<see cref="OpenAiCompatibleClient"/>) and a batch line (<see cref="Batch.BatchDispatcher"/>) alike: the request
/// body, the shape check of a reply (so that a hostile or broken server gives one clear per-call error instead of an
/// exception from deep inside a JSON reader), and the reply it holds.
/// </summary>
internal static class ChatCompletionWire
{
    private static readonly JsonDocumentOptions ReplyOptions = new() { MaxDepth = 256 };

    /// <summary>
    /// The writer options of a request: text as it is (no <c>\u003C</c> for <c>&lt;</c>, no escape for a letter outside
    /// ASCII), as the OpenAI SDK wrote it: a request is no HTML page, and a judge's prompt is mostly markup and prose.
    /// </summary>
    public static readonly JsonWriterOptions Writing = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Regex LoneSurrogateEscape = new(
        @"(?<=(?:^|[^\\])(?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// Writes the body of a chat-completions request for <paramref name="model"/> (to a writer made with
    /// <see cref="Writing"/>): the messages (role, text),
    /// temperature and seed; a request that continues its final assistant message (<c>reply after "…"</c>) also gets
    /// <c>"continue_final_message": true</c> and <c>"add_generation_prompt": false</c>, the fields vLLM continues a
    /// message with (Ollama continues a final assistant message by itself and ignores them).
    /// </summary>
    public static void WriteRequest(Utf8JsonWriter json, string model, ModelRequest request)
    {
        json.WriteStartObject();
        json.WriteString("model", model);
        json.WriteStartArray("messages");
        foreach (var m in request.Messages)
        {
            json.WriteStartObject();
            json.WriteString("role", m.Role);
            json.WriteString("content", m.Text);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (request.Temperature is { } t) json.WriteNumber("temperature", (float)t);
        if (request.Seed is { } s) json.WriteNumber("seed", s);
        if (request.ContinuesFinalMessage)
        {
            json.WriteBoolean("continue_final_message", true);
            json.WriteBoolean("add_generation_prompt", false);
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// The reply of a successful response body: parsed once (with each escaped lone surrogate repaired first when
    /// there may be one, and invalid UTF-8 read as U+FFFD), its shape checked, its reply read.
    /// </summary>
    /// <exception cref="MalformedReplyException">The body is not a chat completion (retryable: a proxy's error page may pass).</exception>
    public static ChatResponse ReadReply(ReadOnlyMemory<byte> body, string? mediaType)
    {
        if (TryParse(body, mediaType, out var parsed))
        {
            using (parsed)
            {
                return Checked(parsed.RootElement);
            }
        }

        // Invalid UTF-8 becomes U+FFFD here, and escaped lone surrogates (which no writer can encode) too.
        var text = Encoding.UTF8.GetString(body.Span);
        if (IsEventStream(text, mediaType)) throw new MalformedReplyException(EventStream, retryable: true);
        JsonDocument json;
        try
        {
            // The repair changes only escapes inside strings: the repaired text parses, and has the shape, that the text has.
            json = JsonDocument.Parse(RepairEscapes(text), ReplyOptions);
        }
        catch (JsonException)
        {
            throw new MalformedReplyException(Check(text, mediaType) ?? "the server's reply is not JSON", retryable: true);
        }
        using (json)
        {
            return Checked(json.RootElement);
        }
    }

    private static ChatResponse Checked(JsonElement root) =>
        Shape(root) is { } problem ? throw new MalformedReplyException(problem, retryable: true) : Reply(root);

    /// <summary>What is wrong with the body of a batch line's successful response (absent: <see cref="JsonValueKind.Undefined"/>), or null when it is a chat completion.</summary>
    public static string? Problem(JsonElement body) =>
        body.ValueKind == JsonValueKind.Undefined ? EmptyReply : Shape(body);

    /// <summary>
    /// The reply of a chat completion whose shape is right (<see cref="Shape"/>): its text is <c>content</c> (a string,
    /// or the text parts of an array, joined), else the <c>refusal</c>, an answer to the conversation like any reply;
    /// each tool call is a <see cref="FunctionCallContent"/> (a spec offers no tools: the reader fails such a reply).
    /// </summary>
    public static ChatResponse Reply(JsonElement completion)
    {
        var message = completion.GetProperty("choices")[0].GetProperty("message");
        var text = "";
        if (message.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String) text = content.GetString() ?? "";
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var parts = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String) parts.Append(t.GetString());
                }
                text = parts.ToString();
            }
        }
        if (string.IsNullOrWhiteSpace(text) && message.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String) text = refusal.GetString() ?? "";
        var reply = new ChatMessage(ChatRole.Assistant, text);
        if (message.TryGetProperty("tool_calls", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                var name = tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object &&
                    f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() ?? "tool" : "tool";
                reply.Contents.Add(new FunctionCallContent(Guid.NewGuid().ToString("N"), name));
            }
        }
        return new ChatResponse(reply);
    }

    /// <summary>The reply text with each escaped lone surrogate (<c>\ud800</c> without its pair) escaped as U+FFFD instead.</summary>
    internal static string RepairEscapes(string text) => LoneSurrogateEscape.Replace(text, "\\uFFFD");

    /// <summary>
    /// Checks the shape of a successful reply on its bytes, when they need no repair: valid UTF-8 whose first
    /// non-blank byte opens a JSON object that parses and holds no <c>\uD…</c> escape (a lone surrogate would need
    /// one). False when the reply is not such a one (<see cref="Check"/> then reads it as text); else
    /// <paramref name="problem"/> is what <see cref="Check"/> would say of it, or null.
    /// </summary>
    internal static bool CheckBytes(ReadOnlyMemory<byte> body, string? mediaType, out string? problem)
    {
        problem = null;
        if (!TryParse(body, mediaType, out var json)) return false;
        using (json)
        {
            problem = Shape(json.RootElement);
            return true;
        }
    }

    // The usual reply (valid UTF-8, a JSON object, no escaped surrogate), parsed as it came; false for any other.
    private static bool TryParse(ReadOnlyMemory<byte> body, string? mediaType, out JsonDocument json)
    {
        json = null!;
        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)) return false;
        var bytes = body.Span;
        var start = bytes.IndexOfAnyExcept(JsonBlanks);
        if (start < 0 || bytes[start] != (byte)'{') return false;
        if (bytes.IndexOf(EscapedHigh) >= 0 || bytes.IndexOf(EscapedHighUpper) >= 0) return false;
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return false;
        try
        {
            json = JsonDocument.Parse(body, ReplyOptions);
            return true;
        }
        catch (JsonException)
        {
            // Not JSON: the text check says how it begins.
            return false;
        }
    }

    private static ReadOnlySpan<byte> JsonBlanks => " \t\r\n"u8;
    private static ReadOnlySpan<byte> EscapedHigh => "\\ud"u8;
    private static ReadOnlySpan<byte> EscapedHighUpper => "\\uD"u8;

    private const string EventStream = "the server answered with an event stream (text/event-stream) to a request that asked for one JSON reply";
    private const string EmptyReply = "the server's reply is empty, not a chat completion";

    private static bool IsEventStream(string body, string? mediaType)
    {
        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)) return true;
        var trimmed = body.AsSpan().TrimStart();
        return trimmed.StartsWith("data:", StringComparison.Ordinal) || trimmed.StartsWith("event:", StringComparison.Ordinal);
    }

    /// <summary>What is wrong with a successful reply, or null when it has the shape of a chat completion.</summary>
    internal static string? Check(string body, string? mediaType)
    {
        if (IsEventStream(body, mediaType)) return EventStream;
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body, ReplyOptions);
        }
        catch (JsonException)
        {
            var trimmed = body.TrimStart();
            return trimmed.Length == 0 ? EmptyReply : $"the server's reply is not JSON (it begins \"{Begins(trimmed)}\")";
        }
        using (json)
        {
            return Shape(json.RootElement);
        }
    }

    /// <summary>What is wrong with a parsed reply, or null when it has the shape of a chat completion.</summary>
    private static string? Shape(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return $"the server's reply is {Kind(root)}, not a chat completion object";
        if (!root.TryGetProperty("choices", out var choices)) return "the server's reply is not a chat completion: it has no \"choices\"";
        if (choices.ValueKind != JsonValueKind.Array) return $"the server's reply is not a chat completion: \"choices\" is {Kind(choices)}, not an array";
        if (choices.GetArrayLength() == 0) return "the server's reply is not a chat completion: \"choices\" is empty";
        var first = choices[0];
        if (first.ValueKind != JsonValueKind.Object) return $"the server's reply is not a chat completion: choices[0] is {Kind(first)}, not an object";
        if (!first.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return "the server's reply is not a chat completion: choices[0] has no \"message\" object";
        }
        if (message.TryGetProperty("content", out var content) && content.ValueKind is not (JsonValueKind.String or JsonValueKind.Null or JsonValueKind.Array))
        {
            return $"the server's reply is not a chat completion: choices[0].message.content is {Kind(content)}, not text";
        }
        if (message.TryGetProperty("refusal", out var refusal) && refusal.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return $"the server's reply is not a chat completion: choices[0].message.refusal is {Kind(refusal)}, not text";
        }
        if (message.TryGetProperty("tool_calls", out var tools) && tools.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            return $"the server's reply is not a chat completion: choices[0].message.tool_calls is {Kind(tools)}, not an array";
        }
        return null;
    }

    private static string Begins(string text)
    {
        var redacted = Secrets.Redact(text);
        var line = Regex.Replace(redacted.Length > 4000 ? redacted.Substring(0, 4000) : redacted, @"\s+", " ");
        if (line.Length > 40) line = line.Substring(0, 40) + "…";
        return Secrets.WellFormed(line);
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "JSON null",
        JsonValueKind.Array => "a JSON array",
        JsonValueKind.Object => "a JSON object",
        JsonValueKind.String => "a JSON string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
