using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
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

/// <summary>One recorded exchange: the request and the model's reply. A line of <c>exchanges.jsonl</c>.</summary>
internal sealed class Exchange
{
    public List<TranscriptMessage> Messages { get; set; } = new();
    public double? Temperature { get; set; }
    public long? Seed { get; set; }
    public string Reply { get; set; } = "";

    public ModelRequest Request => new(Messages, Temperature, Seed);

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>Appends exchanges to <c>DIR/exchanges.jsonl</c>, one JSON object a line, so that <c>replay:DIR</c> can serve them.</summary>
internal sealed class Recorder
{
    private readonly string _path;
    private readonly object _gate = new();
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public Recorder(string folder)
    {
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, "exchanges.jsonl");
        if (File.Exists(_path))
        {
            foreach (var exchange in ReplayStore.ReadExchanges(_path)) _written.Add(exchange.Request.Key());
        }
    }

    public void Append(ModelRequest request, string reply)
    {
        var line = JsonSerializer.Serialize(new Exchange
        {
            Messages = request.Messages.ToList(),
            Temperature = request.Temperature,
            Seed = request.Seed,
            Reply = reply,
        }, Exchange.Json);
        lock (_gate)
        {
            if (!_written.Add(request.Key())) return;
            File.AppendAllText(_path, line + "\n", new UTF8Encoding(false));
        }
    }
}

/// <summary>The exchanges of a recording, by request key.</summary>
internal sealed class ReplayStore
{
    private readonly Dictionary<string, string> _replies;

    private ReplayStore(string source, Dictionary<string, string> replies)
    {
        Source = source;
        _replies = replies;
    }

    public string Source { get; }

    public int Count => _replies.Count;

    /// <summary>Loads <c>PATH/exchanges.jsonl</c> (or PATH itself when it is a file).</summary>
    public static ReplayStore Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, "exchanges.jsonl") : path;
        if (!File.Exists(file))
        {
            throw new ModelSetupException(Directory.Exists(path)
                ? $"the recording folder {path} holds no exchanges.jsonl; record one with --record"
                : $"there is no recording at {path}; record one with --record DIR and replay it with replay:DIR");
        }
        var replies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var exchange in ReadExchanges(file)) replies[exchange.Request.Key()] = exchange.Reply;
        return new ReplayStore(path, replies);
    }

    public bool TryGet(ModelRequest request, out string reply) => _replies.TryGetValue(request.Key(), out reply!);

    internal static IEnumerable<Exchange> ReadExchanges(string file)
    {
        var number = 0;
        foreach (var line in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            Exchange? exchange;
            try
            {
                exchange = JsonSerializer.Deserialize<Exchange>(line, Exchange.Json);
            }
            catch (JsonException ex)
            {
                throw new ModelSetupException($"{file} line {number} is not a recorded exchange ({ex.Message.Split('.')[0]})");
            }
            if (exchange is not null) yield return exchange;
        }
    }
}
