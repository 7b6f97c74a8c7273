using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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

    /// <summary>A SHA-256 of the canonical request, optionally salted with the model's identity (for the cache).</summary>
    public string Key(string? identity = null)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
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
        return Convert.ToHexString(SHA256.HashData(stream.ToArray())).ToLowerInvariant();
    }
}
