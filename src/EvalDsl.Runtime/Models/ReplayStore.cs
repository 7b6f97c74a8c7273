using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The exchanges of a recording, by request key.
/// </summary>
/// <remarks>
/// A line that carries its request's key (<see cref="Exchange.Key"/>, written by recordings since keys were added) is
/// indexed by that key without its messages being read: loading reads only each line's key, which makes the replay of
/// a large recording start quickly. The key is only an index, never trusted: a line is served after its request,
/// read when the key is asked for, gives that key. A line without a key (an older recording) is read whole and its key
/// computed, as before. When a request's key finds no line whose request gives it (a miss, or a key that a hand edit
/// of the messages left stale), the recording is read again whole and every key computed from its request, so that a
/// stale key neither serves a reply it does not belong to nor hides a line that answers the request: a recording
/// answers exactly the requests its lines hold, keys or not.
/// </remarks>
internal sealed class ReplayStore
{
    private readonly string _file;
    private readonly byte[] _bytes;
    private readonly object _gate = new();
    private volatile Dictionary<string, Line> _lines;
    private volatile bool _computed;

    private ReplayStore(string source, string file, byte[] bytes, Dictionary<string, Line> lines, bool computed)
    {
        Source = source;
        _file = file;
        _bytes = bytes;
        _lines = lines;
        _computed = computed;
    }

    public string Source { get; }

    /// <summary>The distinct request keys of the recording.</summary>
    public int Count => _lines.Count;

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
        var bytes = File.ReadAllBytes(file);
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        var stored = false;
        foreach (var line in Lines(bytes))
        {
            if (StoredKey(bytes.AsSpan(line.Start, line.Length)) is { } key)
            {
                lines[key] = line;
                stored = true;
                continue;
            }
            IndexByRequest(lines, file, bytes, line);
        }
        return new ReplayStore(path, file, bytes, lines, computed: !stored);
    }

    public bool TryGet(ModelRequest request, out string reply)
    {
        var key = request.Key();
        if (_lines.TryGetValue(key, out var line))
        {
            if (line.Reply is { } known)
            {
                reply = known;
                return true;
            }
            if (Read(_file, _bytes, line) is { } exchange && exchange.Request.Key() == key)
            {
                reply = exchange.Reply;
                return true;
            }
        }
        if (!_computed) Compute();
        if (_lines.TryGetValue(key, out line) && line.Reply is { } computed)
        {
            reply = computed;
            return true;
        }
        reply = null!;
        return false;
    }

    // Every key computed from its line's request, as a recording without keys is loaded: once, on the first request
    // the stored keys do not answer.
    private void Compute()
    {
        lock (_gate)
        {
            if (_computed) return;
            var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
            foreach (var line in Lines(_bytes)) IndexByRequest(lines, _file, _bytes, line);
            _lines = lines;
            _computed = true;
        }
    }

    /// <summary>Reads <paramref name="line"/> whole and indexes it, with its reply, by the key its request gives.</summary>
    private static void IndexByRequest(Dictionary<string, Line> lines, string file, byte[] bytes, Line line)
    {
        if (Read(file, bytes, line) is { } exchange) lines[exchange.Request.Key()] = line with { Reply = exchange.Reply };
    }

    /// <summary>The exchanges of <paramref name="file"/> in order (the recorder's start, which computes every key).</summary>
    internal static IEnumerable<Exchange> ReadExchanges(string file)
    {
        var bytes = File.ReadAllBytes(file);
        foreach (var line in Lines(bytes))
        {
            if (Read(file, bytes, line) is { } exchange) yield return exchange;
        }
    }

    /// <summary>The length of a key: a SHA-256 in lowercase hexadecimal.</summary>
    private const int KeyLength = 64;

    /// <summary>A line of the file: its number (from 1), where its bytes are, and its reply once read.</summary>
    private readonly record struct Line(int Number, int Start, int Length, string? Reply = null);

    // The lines as File.ReadLines gives them (a break is \n, \r or \r\n; a final break ends the last line), without
    // the UTF-8 byte order mark; blank lines are left out.
    private static IEnumerable<Line> Lines(byte[] bytes)
    {
        var start = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var number = 0;
        while (start < bytes.Length)
        {
            var length = bytes.AsSpan(start).IndexOfAny((byte)'\n', (byte)'\r');
            if (length < 0) length = bytes.Length - start;
            number++;
            if (!Blank(bytes.AsSpan(start, length))) yield return new Line(number, start, length);
            var end = start + length;
            start = end + (end + 1 < bytes.Length && bytes[end] == '\r' && bytes[end + 1] == '\n' ? 2 : 1);
        }
    }

    // string.IsNullOrWhiteSpace of the decoded line; a line with a visible ASCII character (every exchange: it opens
    // with "{") is not decoded for it.
    private static bool Blank(ReadOnlySpan<byte> line) =>
        line.IndexOfAnyInRange((byte)0x21, (byte)0x7F) < 0 && string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(line));

    private static readonly SearchValues<byte> LowerHex = SearchValues.Create("0123456789abcdef"u8);

    // The "key" of a line: the key a recording writes first (the rest of the line is not looked at: it is read, and
    // its error reported, when the key is asked for); else the string "key" of a line that is one JSON object (its
    // other members skipped, not read). Null for any other line, which is then read whole at once, with the message of
    // its error if it has one.
    private static string? StoredKey(ReadOnlySpan<byte> line)
    {
        var start = "{\"key\":\""u8;
        if (line.StartsWith(start) && line.Length > start.Length + KeyLength && line[start.Length + KeyLength] == (byte)'"'
            && line.Slice(start.Length, KeyLength).IndexOfAnyExcept(LowerHex) < 0)
        {
            return Encoding.ASCII.GetString(line.Slice(start.Length, KeyLength));
        }
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            string? key = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKey = reader.ValueTextEquals("key"u8);
                reader.Read();
                if (isKey) key = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                else reader.Skip();
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
            return key;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static Exchange? Read(string file, byte[] bytes, Line line)
    {
        // Decoded as File.ReadLines decodes a line (an invalid byte becomes U+FFFD), so that a line reads as it always did.
        var text = Encoding.UTF8.GetString(bytes, line.Start, line.Length);
        try
        {
            return JsonSerializer.Deserialize(text, RuntimeJson.Info<Exchange>(Exchange.Json));
        }
        catch (JsonException ex)
        {
            throw new ModelSetupException($"{file} line {line.Number} is not a recorded exchange ({ex.Message.Split('.')[0]})");
        }
    }
}
