using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvalDsl.Runtime.Execution;

/// <summary>
/// The run's journal, <c>journal.jsonl</c> in the report folder: a header naming the specs' and the judge's
/// fingerprints and the models, then one line per answered model call and one per finished sample, each written to
/// the operating system at once. A killed run loses at most the line being written; <c>--resume</c> reads the journal
/// back, skips the samples it holds and serves the answers of the calls it holds, so no call that had an answer is
/// made again. A line that does not read (a disk that lost a block, a hand edit) is skipped and counted, never fatal.
/// </summary>
internal sealed class Journal : IDisposable
{
    public const string FileName = "journal.jsonl";

    /// <summary>The file that holds the report folder for one run (an advisory lock the operating system drops with the process).</summary>
    public const string LockFileName = ".evaldsl-run.lock";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = RuntimeJson.Resolver,
    };

    private readonly FileStream _stream;
    private readonly string _display;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _calls;
    private int _served;

    private Journal(FileStream stream, string display, IReadOnlyList<SampleResult> finished, Dictionary<string, string> calls, IReadOnlyList<int> skipped)
    {
        _stream = stream;
        _display = display;
        Finished = finished;
        _calls = calls;
        SkippedLines = skipped;
    }

    /// <summary>The samples an earlier run finished (empty for a new journal).</summary>
    public IReadOnlyList<SampleResult> Finished { get; }

    /// <summary>The 1-based numbers of the lines a resume could not read and skipped.</summary>
    public IReadOnlyList<int> SkippedLines { get; }

    /// <summary>Calls answered from the journal rather than by a model.</summary>
    public int ServedCalls => System.Threading.Volatile.Read(ref _served);

    internal sealed record Header(string Kind, string Fingerprint, string? Judge, IReadOnlyDictionary<string, string> Models, DateTimeOffset Started);

    internal sealed record Entry(string Kind, SampleResult Sample);

    internal sealed record Call(string Kind, string Key, string Reply);

    /// <summary>Holds <paramref name="folder"/> for this process until disposed; a second run on it gets a clear error.</summary>
    /// <exception cref="JournalException">Another run holds the folder.</exception>
    /// <exception cref="IOException">The folder cannot be created or written.</exception>
    public static IDisposable Lock(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, LockFileName);
        try
        {
            // On Unix .NET takes an flock(LOCK_EX) for FileShare.None; Windows refuses a second open outright.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException) when (File.Exists(path))
        {
            throw new JournalException($"another evaldsl run is using the report folder {folder}; wait for it to finish, or pass another --report");
        }
    }

    /// <summary>Starts a new journal in <paramref name="folder"/>, replacing any earlier one.</summary>
    public static Journal Create(string folder, string fingerprint, string judge, IReadOnlyDictionary<string, string> models)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var journal = new Journal(stream, path, Array.Empty<SampleResult>(), new Dictionary<string, string>(StringComparer.Ordinal), Array.Empty<int>());
        journal.WriteLine(JsonSerializer.Serialize(new Header("header", fingerprint, judge, models, DateTimeOffset.UtcNow), Json));
        return journal;
    }

    /// <summary>Opens the journal in <paramref name="folder"/> to continue it; the specs, the judge and the models must be the same.</summary>
    public static Journal Resume(string folder, string fingerprint, string judge, IReadOnlyDictionary<string, string> models)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new JournalException($"there is no run to resume in {folder} ({FileName} is missing); run without --resume to start one");

        var bytes = File.ReadAllBytes(path);
        // A run killed while writing leaves a partial last line: keep what ends with a newline.
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var finished = new List<SampleResult>();
        var calls = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<int>();
        var lines = Encoding.UTF8.GetString(bytes, 0, complete).Split('\n');
        Header? header = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0) continue;
            var kind = Read(line, out var root);
            try
            {
                switch (kind)
                {
                    case "header" when header is null:
                        header = root!.Value.Deserialize<Header>(Json);
                        if (header?.Fingerprint is null || header.Models is null) header = null;
                        break;
                    case "sample" when root!.Value.Deserialize<Entry>(Json)?.Sample is { CaseId: not null, Role: not null, Trials: not null, Grades: not null } sample:
                        finished.Add(sample);
                        break;
                    case "call" when root!.Value.Deserialize<Call>(Json) is { Key: not null, Reply.Length: > 0 } call:
                        calls[call.Key] = call.Reply;
                        break;
                    default:
                        skipped.Add(i + 1);
                        break;
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
            {
                skipped.Add(i + 1);
            }
            // Before the header is known, nothing can be trusted: the header comes first.
            if (header is null) throw new JournalException($"{path} does not start with an evaldsl journal header; run without --resume to start again");
        }
        if (header is null) throw new JournalException($"{path} does not start with an evaldsl journal header; run without --resume to start again");
        if (header.Fingerprint != fingerprint)
        {
            throw new JournalException($"the run journalled in {folder} was made from other specs or options; run without --resume, or use another --report folder");
        }
        if (header.Judge != judge)
        {
            throw new JournalException($"the run journalled in {folder} used another judge template or judge settings; resume it with the same --judge-template, or run without --resume");
        }
        if (!SameModels(header.Models, models))
        {
            throw new JournalException($"the run journalled in {folder} used other models ({Describe(header.Models)}); resume it with the same ones");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(complete);
        stream.Seek(complete, SeekOrigin.Begin);
        return new Journal(stream, path, finished, calls, skipped);
    }

    private static string? Read(string line, out JsonElement? root)
    {
        root = null;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String) return null;
            root = document.RootElement.Clone();
            return kind.GetString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The answer an earlier run journalled for the call with this key.</summary>
    public bool TryGetCall(string key, out string reply)
    {
        lock (_gate)
        {
            if (!_calls.TryGetValue(key, out reply!)) return false;
        }
        System.Threading.Interlocked.Increment(ref _served);
        return true;
    }

    public void AppendCall(string key, string reply) => WriteLine(JsonSerializer.Serialize(new Call("call", key, reply), Json));

    public void Append(SampleResult sample) => WriteLine(JsonSerializer.Serialize(new Entry("sample", sample), Json));

    private void WriteLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        lock (_gate)
        {
            try
            {
                // Into the operating system at once: a killed process loses nothing written. (Not fsync'd per line:
                // that guards against a power cut, and costs a disk round trip per line.)
                _stream.Write(bytes, 0, bytes.Length);
                _stream.Flush(flushToDisk: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new JournalWriteException(_display, ex);
            }
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
        lock (_gate)
        {
            try
            {
                _stream.Dispose();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Every line was flushed when written; a failure here has been reported already.
            }
        }
    }
}
