using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Runtime.Models;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>
/// A recording's lines carry their request's key, which a replay reads instead of the messages; the key is an index,
/// never trusted over the request: recordings without keys replay as before, and a key a hand edit left stale neither
/// serves a reply for another request nor hides the line's own.
/// </summary>
public sealed class ReplayStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private static readonly ModelRequest Capital = Request("What is the capital of Australia?", 0.7, 4);
    private static readonly ModelRequest Boiling = Request("At what temperature does water boil at sea level?", null, null);

    public void Dispose() => _folder.Dispose();

    private static ModelRequest Request(string question, double? temperature, long? seed) => new(
        new[] { new TranscriptMessage("system", "You are a helpful assistant."), new TranscriptMessage("user", question) }, temperature, seed);

    private string Recording() => Path.Combine(_folder.Path, "rec", "exchanges.jsonl");

    private string[] Record(params (ModelRequest Request, string Reply)[] exchanges)
    {
        var recorder = new Recorder(Path.Combine(_folder.Path, "rec"));
        foreach (var (request, reply) in exchanges) recorder.Append(request, reply);
        return File.ReadAllLines(Recording());
    }

    private static string? Served(ReplayStore store, ModelRequest request) => store.TryGet(request, out var reply) ? reply : null;

    [Fact]
    public void A_recorded_line_starts_with_its_request_key_and_holds_the_request_once()
    {
        var line = Assert.Single(Record((Capital, "Canberra.")));
        Assert.StartsWith($"{{\"key\":\"{Capital.Key()}\",\"messages\":[", line);
        using var json = JsonDocument.Parse(line);
        Assert.Equal(new[] { "key", "messages", "temperature", "seed", "reply" }, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Canberra.", Served(ReplayStore.Load(Path.Combine(_folder.Path, "rec")), Capital));
    }

    [Fact]
    public void A_recording_without_keys_replays_as_before()
    {
        // A line as recordings were written before keys: no "key", and the request written again as "request".
        _folder.Write("rec/exchanges.jsonl",
            "{\"messages\":[{\"role\":\"system\",\"text\":\"You are a helpful assistant.\",\"scripted\":false},{\"role\":\"user\",\"text\":\"What is the capital of Australia?\",\"scripted\":false}],\"temperature\":0.7,\"seed\":4,\"reply\":\"Canberra.\"," +
            "\"request\":{\"messages\":[{\"role\":\"system\",\"text\":\"You are a helpful assistant.\",\"scripted\":false},{\"role\":\"user\",\"text\":\"What is the capital of Australia?\",\"scripted\":false}],\"temperature\":0.7,\"seed\":4,\"continuesFinalMessage\":false}}\n");
        var store = ReplayStore.Load(Path.Combine(_folder.Path, "rec"));
        Assert.Equal("Canberra.", Served(store, Capital));
        Assert.Null(Served(store, Boiling));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Lines_with_and_without_keys_replay_together()
    {
        var keyed = Record((Boiling, "100 °C."))[0];
        var old = keyed.Replace($"\"key\":\"{Boiling.Key()}\",", "", StringComparison.Ordinal)
            .Replace("At what temperature does water boil at sea level?", "What is the capital of Australia?", StringComparison.Ordinal)
            .Replace("\"reply\":\"100 °C.\"", "\"temperature\":0.7,\"seed\":4,\"reply\":\"Canberra.\"", StringComparison.Ordinal);
        File.WriteAllText(Recording(), old + "\r\n\r\n" + keyed + "\r\n");
        var store = ReplayStore.Load(Path.Combine(_folder.Path, "rec"));
        Assert.Equal("Canberra.", Served(store, Capital));
        Assert.Equal("100 °C.", Served(store, Boiling));
    }

    [Fact]
    public void A_key_left_stale_by_an_edit_of_the_messages_serves_the_edited_request_only()
    {
        // The line recorded for Capital, its question edited by hand into Boiling's, its key left as it was.
        var line = Record((Capital, "Canberra."))[0];
        File.WriteAllText(Recording(), line.Replace("What is the capital of Australia?", "At what temperature does water boil at sea level?", StringComparison.Ordinal)
            .Replace("\"temperature\":0.7,\"seed\":4,", "", StringComparison.Ordinal) + "\n");
        Assert.Contains(Capital.Key(), File.ReadAllText(Recording()));

        var store = ReplayStore.Load(Path.Combine(_folder.Path, "rec"));
        Assert.Null(Served(store, Capital));
        Assert.Equal("Canberra.", Served(store, Boiling));
        Assert.Equal(1, store.Count);

        // Asked in the other order, from a fresh load: the same answers.
        store = ReplayStore.Load(Path.Combine(_folder.Path, "rec"));
        Assert.Equal("Canberra.", Served(store, Boiling));
        Assert.Null(Served(store, Capital));
    }

    [Fact]
    public void An_edited_reply_needs_no_new_key()
    {
        var lines = Record((Capital, "Canberra."), (Boiling, "100 °C."));
        File.WriteAllLines(Recording(), new[] { lines[0].Replace("Canberra.", "Sydney, surely.", StringComparison.Ordinal), lines[1] });
        var store = ReplayStore.Load(Path.Combine(_folder.Path, "rec"));
        Assert.Equal("Sydney, surely.", Served(store, Capital));
        Assert.Equal("100 °C.", Served(store, Boiling));
    }

    [Fact]
    public void A_line_that_is_not_an_exchange_is_named_with_its_number_at_load_or_when_its_key_is_asked_for()
    {
        var line = Record((Capital, "Canberra."))[0];
        // Without a key first, the line is read whole at load.
        var path = _folder.Write("rec/exchanges.jsonl", line + "\n" + "{\"messages\":[},\"reply\":\"100 °C.\"}\n");
        var error = Assert.Throws<ModelSetupException>(() => ReplayStore.Load(Path.Combine(_folder.Path, "rec")));
        Assert.Equal($"{path} line 2 is not a recorded exchange ('}}' is an invalid start of a value)", error.Message);

        // With its key first, it is read (and found broken) when its key is asked for; the other lines replay.
        _folder.Write("rec/exchanges.jsonl", line + "\n" + "{\"key\":\"" + Boiling.Key() + "\",\"messages\":[},\"reply\":\"100 °C.\"}\n");
        var store = ReplayStore.Load(Path.Combine(_folder.Path, "rec"));
        Assert.Equal("Canberra.", Served(store, Capital));
        error = Assert.Throws<ModelSetupException>(() => Served(store, Boiling));
        Assert.Equal($"{path} line 2 is not a recorded exchange ('}}' is an invalid start of a value)", error.Message);
    }

    [Theory]
    [InlineData("candidate")]
    [InlineData("baseline")]
    [InlineData("judge")]
    public void Every_line_of_a_shipped_recording_carries_the_key_of_its_request(string recording)
    {
        var file = Repository.PathOf("examples", "recordings", recording, "exchanges.jsonl");
        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(lines);
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            var exchange = JsonSerializer.Deserialize(line, RuntimeJson.Info<Exchange>(Exchange.Json))!;
            Assert.True(exchange.Key == exchange.Request.Key(), $"{recording} line {number}: key {exchange.Key ?? "(none)"}, its request's {exchange.Request.Key()}");
        }
    }
}
