using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace EvalDsl.Runtime.Models;

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
        var key = request.Key();
        var line = JsonSerializer.Serialize(new Exchange
        {
            Key = key,
            Messages = request.Messages.ToList(),
            Temperature = request.Temperature,
            Seed = request.Seed,
            Reply = reply,
        }, RuntimeJson.Info<Exchange>(Exchange.Json));
        lock (_gate)
        {
            if (!_written.Add(key)) return;
            File.AppendAllText(_path, line + "\n", new UTF8Encoding(false));
        }
    }
}
