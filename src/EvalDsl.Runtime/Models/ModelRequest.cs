using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>A model request reduced to what determines its answer: messages, temperature and seed.</summary>
internal sealed record ModelRequest(IReadOnlyList<TranscriptMessage> Messages, double? Temperature, long? Seed)
{
    public static ModelRequest From(IEnumerable<ChatMessage> messages, ChatOptions? options) => new(
        messages.Select(m => new TranscriptMessage(m.Role.Value, m.Text ?? "")).ToList(),
        options?.Temperature is { } t ? Math.Round(t, 4) : null,
        options?.Seed);

    public IEnumerable<ChatMessage> ToChatMessages() => Messages.Select(m => new ChatMessage(new ChatRole(m.Role), m.Text));

    /// <summary>The request ends with an assistant message the model is to continue (<c>reply after "…"</c>): no other request does.</summary>
    public bool ContinuesFinalMessage => Messages.Count > 0 && Messages[Messages.Count - 1].Role == "assistant";

    public ChatOptions ToOptions() => new() { Temperature = Temperature is { } t ? (float)t : null, Seed = Seed };

    // The canonical request of each key is written here: a thread's buffer, reused (a judge's request is kilobytes, and
    // a replay computes a key for every request; a buffer grown anew each time was a good part of a replay's CPU time).
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_canonical;

    /// <summary>A SHA-256 of the canonical request, optionally salted with the model's identity (for the cache).</summary>
    public string Key(string? identity = null)
    {
        var buffer = t_canonical ??= new ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (identity is not null) json.WriteString("model", identity);
            json.WriteStartArray("messages");
            foreach (var m in Messages)
            {
                json.WriteStartArray();
                json.WriteStringValue(m.Role);
                json.WriteStringValue(m.Text);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            if (Temperature is { } t) json.WriteString("temperature", t.ToString("R", CultureInfo.InvariantCulture));
            if (Seed is { } s) json.WriteNumber("seed", s);
            json.WriteEndObject();
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }
}
