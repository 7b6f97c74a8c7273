using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EvalDsl.Testing;

/// <summary>Reads and writes the OpenAI chat-completions JSON without reflection-based serialization.</summary>
internal static class OpenAiWire
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Parses a request body. Returns null and an error message when it is not a usable chat request.</summary>
    public static ChatRequestInfo? TryParseRequest(string body, string? apiKey, out string error)
    {
        error = string.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            error = "The request body is not valid JSON: " + e.Message;
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "The request body must be a JSON object.";
                return null;
            }

            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
            var messages = new List<ChatMessageInfo>();
            if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in list.EnumerateArray())
                {
                    if (message.ValueKind != JsonValueKind.Object) continue;
                    var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? string.Empty : string.Empty;
                    var text = message.TryGetProperty("content", out var c) ? ContentText(c) : string.Empty;
                    messages.Add(new ChatMessageInfo(role, text));
                }
            }

            return new ChatRequestInfo(model, messages, body)
            {
                Temperature = Number(root, "temperature"),
                MaxTokens = (int?)(Integer(root, "max_completion_tokens") ?? Integer(root, "max_tokens")),
                Seed = Integer(root, "seed"),
                Stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
                ContinueFinalMessage = root.TryGetProperty("continue_final_message", out var cf) && cf.ValueKind == JsonValueKind.True,
                AddGenerationPrompt = root.TryGetProperty("add_generation_prompt", out var ag) && ag.ValueKind is JsonValueKind.True or JsonValueKind.False ? ag.ValueKind == JsonValueKind.True : null,
                ApiKey = apiKey,
            };
        }
    }

    /// <summary>Whether the request asked for a final usage chunk in its stream (<c>stream_options.include_usage</c>).</summary>
    public static bool WantsStreamUsage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("stream_options", out var options)
                && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out var include)
                && include.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ContentText(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? string.Empty,
        JsonValueKind.Array => string.Join("\n", content.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object
                && part.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "text"
                && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(part => part.GetProperty("text").GetString() ?? string.Empty)),
        _ => string.Empty,
    };

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static long? Integer(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : null;

    /// <summary>A rough, deterministic token count: words separated by whitespace.</summary>
    public static int CountTokens(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    public static string Completion(string id, long created, string model, string content, int promptTokens)
    {
        var completionTokens = CountTokens(content);
        return Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", created);
            w.WriteString("model", model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", content);
            w.WriteNull("refusal");
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w, promptTokens, completionTokens);
            w.WriteString("system_fingerprint", "fp_loopback");
            w.WriteEndObject();
        });
    }

    /// <summary>One <c>chat.completion.chunk</c>; null <paramref name="content"/> and <paramref name="finishReason"/> are written as absent/null.</summary>
    public static string Chunk(string id, long created, string model, string? role, string? content, string? finishReason) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "fp_loopback");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        if (role is not null) w.WriteString("role", role);
        if (content is not null) w.WriteString("content", content);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finishReason is null) w.WriteNull("finish_reason");
        else w.WriteString("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>The final usage chunk of a stream (empty <c>choices</c>).</summary>
    public static string UsageChunk(string id, long created, string model, int promptTokens, int completionTokens) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "fp_loopback");
        w.WriteStartArray("choices");
        w.WriteEndArray();
        WriteUsage(w, promptTokens, completionTokens);
        w.WriteEndObject();
    });

    public static string ModelList(IEnumerable<string> models, long created) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var model in models)
        {
            w.WriteStartObject();
            w.WriteString("id", model);
            w.WriteString("object", "model");
            w.WriteNumber("created", created);
            w.WriteString("owned_by", "evaldsl-loopback");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>An OpenAI-style error body: <c>{"error":{"message","type","param","code"}}</c>.</summary>
    public static string Error(string message, string type, string? code) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", type);
        w.WriteNull("param");
        if (code is null) w.WriteNull("code");
        else w.WriteString("code", code);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    /// <summary>A flat JSON object of one boolean and one string, as the scripted judge answers.</summary>
    public static string Verdict(string booleanName, bool value, string reason) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean(booleanName, value);
        w.WriteString("reason", reason);
        w.WriteEndObject();
    });

    /// <summary><c>{"more": "A"|"B"|"neither", "reason": reason}</c>: the scripted judge's answer to a "which is more" question.</summary>
    /// <param name="more">A, B or neither.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The JSON object.</returns>
    public static string MoreVerdict(string more, string reason) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("more", more);
        w.WriteString("reason", reason);
        w.WriteEndObject();
    });

    /// <summary><c>{"error": message}</c>: what the scripted judge answers to a request that is not a judge question.</summary>
    public static string JudgeError(string message) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        w.WriteEndObject();
    });

    private static void WriteUsage(Utf8JsonWriter w, int promptTokens, int completionTokens)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", promptTokens);
        w.WriteNumber("completion_tokens", completionTokens);
        w.WriteNumber("total_tokens", promptTokens + completionTokens);
        w.WriteEndObject();
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
