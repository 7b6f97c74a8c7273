using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalDsl.Runtime.Execution;

/// <summary>
/// The run's journal, <c>journal.jsonl</c> in the report folder: a header naming the specs' fingerprint and the
/// models, then one line per finished sample, flushed to disk at once. A killed run loses at most the sample
/// being written; <c>--resume</c> reads the journal back and skips what it holds.
/// </summary>
internal sealed class Journal : IDisposable
{
    public const string FileName = "journal.jsonl";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly FileStream _stream;
    private readonly object _gate = new();

    private Journal(FileStream stream, IReadOnlyList<SampleResult> finished)
    {
        _stream = stream;
        Finished = finished;
    }

    /// <summary>The samples an earlier run finished (empty for a new journal).</summary>
    public IReadOnlyList<SampleResult> Finished { get; }

    private sealed record Header(string Kind, string Fingerprint, IReadOnlyDictionary<string, string> Models, DateTimeOffset Started);

    private sealed record Entry(string Kind, SampleResult Sample);

    /// <summary>Starts a new journal in <paramref name="folder"/>, replacing any earlier one.</summary>
    public static Journal Create(string folder, string fingerprint, IReadOnlyDictionary<string, string> models)
    {
        Directory.CreateDirectory(folder);
        var stream = new FileStream(Path.Combine(folder, FileName), FileMode.Create, FileAccess.Write, FileShare.Read);
        var journal = new Journal(stream, Array.Empty<SampleResult>());
        journal.WriteLine(JsonSerializer.Serialize(new Header("header", fingerprint, models, DateTimeOffset.UtcNow), Json));
        return journal;
    }

    /// <summary>Opens the journal in <paramref name="folder"/> to continue it; the specs and models must be the same.</summary>
    public static Journal Resume(string folder, string fingerprint, IReadOnlyDictionary<string, string> models)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new JournalException($"there is no run to resume in {folder} ({FileName} is missing); run without --resume to start one");

        var bytes = File.ReadAllBytes(path);
        // A run killed while writing leaves a partial last line: keep what ends with a newline.
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var finished = new List<SampleResult>();
        var lines = Encoding.UTF8.GetString(bytes, 0, complete).Split('\n');
        var sawHeader = false;
        foreach (var line in lines)
        {
            if (line.Length == 0) continue;
            using var document = JsonDocument.Parse(line);
            var kind = document.RootElement.GetProperty("kind").GetString();
            if (kind == "header")
            {
                var header = document.RootElement.Deserialize<Header>(Json)!;
                if (header.Fingerprint != fingerprint)
                {
                    throw new JournalException($"the run journalled in {folder} was made from other specs; run without --resume, or use another --report folder");
                }
                if (!SameModels(header.Models, models))
                {
                    throw new JournalException($"the run journalled in {folder} used other models ({Describe(header.Models)}); resume it with the same ones");
                }
                sawHeader = true;
            }
            else if (kind == "sample")
            {
                finished.Add(document.RootElement.Deserialize<Entry>(Json)!.Sample);
            }
        }
        if (!sawHeader) throw new JournalException($"{path} is not an evaldsl journal");

        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(complete);
        stream.Seek(complete, SeekOrigin.Begin);
        return new Journal(stream, finished);
    }

    public void Append(SampleResult sample) => WriteLine(JsonSerializer.Serialize(new Entry("sample", sample), Json));

    private void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            // Into the operating system at once: a killed process loses nothing written. (Not fsync'd per line:
            // that guards against a power cut, and costs a disk round trip per sample.)
            _stream.Write(bytes, 0, bytes.Length);
            _stream.Flush(flushToDisk: false);
        }
    }

    private static bool SameModels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var pair in a) if (!b.TryGetValue(pair.Key, out var v) || v != pair.Value) return false;
        return true;
    }

    private static string Describe(IReadOnlyDictionary<string, string> models) =>
        string.Join(", ", System.Linq.Enumerable.Select(models, m => m.Key + "=" + m.Value));

    public void Dispose()
    {
        lock (_gate) _stream.Dispose();
    }
}

/// <summary>A journal that cannot be resumed.</summary>
internal sealed class JournalException : Exception
{
    public JournalException(string message) : base(message) { }
}
