using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace EvalDsl.Runtime.Models;

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
                exchange = JsonSerializer.Deserialize(line, RuntimeJson.Info<Exchange>(Exchange.Json));
            }
            catch (JsonException ex)
            {
                throw new ModelSetupException($"{file} line {number} is not a recorded exchange ({ex.Message.Split('.')[0]})");
            }
            if (exchange is not null) yield return exchange;
        }
    }
}
