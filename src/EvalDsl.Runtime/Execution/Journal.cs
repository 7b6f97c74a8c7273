using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Linq;
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
internal sealed class Journal : IDisposable, Models.Batch.IBatchLog
{
    public const string FileName = "journal.jsonl";

    /// <summary>The file that holds the report folder for one run (an advisory lock the operating system drops with the process).</summary>
    public const string LockFileName = ".evaldsl-run.lock";

    internal static readonly JsonSerializerOptions Json = RuntimeJson.WithEnums(new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = RuntimeJson.Resolver,
    }, allowIntegerValues: true);

    private readonly FileStream _stream;
    private readonly string _display;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _calls;
    private int _served;
    private readonly List<(string Binding, string Id)> _openBatches = new();

    // Group commit (WriteAsync): the lines appended while one thread writes wait in _pending, and go to the file in
    // its next write, all at once.
    private byte[] _pending = new byte[16 * 1024];
    private int _pendingLength;
    private byte[] _spare = new byte[16 * 1024];
    private long _end;
    private TaskCompletionSource _collecting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _writing;
    private Exception? _failure;

    private Journal(FileStream stream, string display, IReadOnlyList<SampleResult> finished, Dictionary<string, string> calls, IReadOnlyList<int> skipped)
    {
        _stream = stream;
        _end = stream.Position;
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

    /// <summary>The journal's first line. <see cref="Shard"/> is <c>i/n</c> for a shard's journal (absent for a whole run).</summary>
    internal sealed record Header(string Kind, string Fingerprint, string? Judge, IReadOnlyDictionary<string, string> Models, DateTimeOffset Started)
    {
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Shard { get; init; }
    }

    /// <summary>What a journal file holds: its header, its finished samples, its answered calls and the lines it could not read.</summary>
    internal sealed record Contents(Header Header, IReadOnlyList<SampleResult> Finished, IReadOnlyDictionary<string, string> Calls, IReadOnlyList<int> Skipped, int Complete)
    {
        /// <summary>The batches the journal says were created and not yet ended (binding, batch id).</summary>
        public IReadOnlyList<(string Binding, string Id)> Batches { get; init; } = Array.Empty<(string Binding, string Id)>();
    }

    internal sealed record Entry(string Kind, SampleResult Sample);

    internal sealed record Call(string Kind, string Key, string Reply);

    internal sealed record BatchLine(string Kind, string Binding, string Id, int Lines);

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
    public static Journal Create(string folder, string fingerprint, string judge, IReadOnlyDictionary<string, string> models, string? shard = null)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var journal = new Journal(stream, path, Array.Empty<SampleResult>(), new Dictionary<string, string>(StringComparer.Ordinal), Array.Empty<int>());
        journal.WriteLine(JsonSerializer.Serialize(new Header("header", fingerprint, judge, models, DateTimeOffset.UtcNow) { Shard = shard }, RuntimeJson.Info<Header>(Json)));
        return journal;
    }

    /// <summary>Opens the journal in <paramref name="folder"/> to continue it; the specs, the judge and the models must be the same.</summary>
    public static Journal Resume(string folder, string fingerprint, string judge, IReadOnlyDictionary<string, string> models, string? shard = null)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new JournalException($"there is no run to resume in {folder} ({FileName} is missing); run without --resume to start one");
        var contents = Load(path, "run without --resume to start again");
        var (header, finished, calls, skipped, complete) = contents;
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
        if (header.Shard != shard)
        {
            throw new JournalException(header.Shard is null
                ? $"the run journalled in {folder} is a whole run, not shard {shard}; resume it without --shard, or use another --report folder"
                : $"the run journalled in {folder} is shard {header.Shard}; resume it with --shard {header.Shard}, or use another --report folder");
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        stream.SetLength(complete);
        stream.Seek(complete, SeekOrigin.Begin);
        var resumed = new Journal(stream, path, finished, new Dictionary<string, string>(calls, StringComparer.Ordinal), skipped);
        resumed._openBatches.AddRange(contents.Batches);
        return resumed;
    }

    /// <summary>
    /// Reads the journal at <paramref name="path"/>: a line that does not read is skipped and counted; a file whose
    /// first line is no journal header is a <see cref="JournalException"/> ending with <paramref name="advice"/>.
    /// </summary>
    public static Contents Load(string path, string advice)
    {
        var bytes = File.ReadAllBytes(path);
        // A run killed while writing leaves a partial last line: keep what ends with a newline.
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        var finished = new List<SampleResult>();
        var calls = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<int>();
        var batches = new List<(string Binding, string Id)>();
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
                        header = root!.Value.Deserialize(RuntimeJson.Info<Header>(Json));
                        if (header?.Fingerprint is null || header.Models is null) header = null;
                        break;
                    case "sample" when root!.Value.Deserialize(RuntimeJson.Info<Entry>(Json))?.Sample is { CaseId: not null, Role: not null, Trials: not null, Grades: not null } sample:
                        finished.Add(sample);
                        break;
                    case "call" when root!.Value.Deserialize(RuntimeJson.Info<Call>(Json)) is { Key: not null, Reply.Length: > 0 } call:
                        calls[call.Key] = call.Reply;
                        break;
                    case "batch" when root!.Value.Deserialize(RuntimeJson.Info<BatchLine>(Json)) is { Binding: not null, Id: not null } batch:
                        batches.Add((batch.Binding, batch.Id));
                        break;
                    case "batchEnded" when root!.Value.Deserialize(RuntimeJson.Info<BatchLine>(Json)) is { Binding: not null, Id: not null } ended:
                        batches.Remove((ended.Binding, ended.Id));
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
            if (header is null) throw new JournalException($"{path} does not start with an evaldsl journal header; {advice}");
        }
        if (header is null) throw new JournalException($"{path} does not start with an evaldsl journal header; {advice}");
        return new Contents(header, finished, calls, skipped, complete) { Batches = batches };
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

    /// <summary>Journals an answered call; completes once its line is in the operating system.</summary>
    public async Task AppendCallAsync(string key, string reply) =>
        _ = await WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new Call("call", key, reply), RuntimeJson.Info<Call>(Json))).ConfigureAwait(false);

    /// <summary>Journals an answered call (<see cref="AppendCallAsync"/>), waiting for it.</summary>
    public void AppendCall(string key, string reply) => AppendCallAsync(key, reply).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public IReadOnlyList<string> OpenBatches(string binding)
    {
        lock (_gate) return _openBatches.Where(b => b.Binding == binding).Select(b => b.Id).ToList();
    }

    /// <inheritdoc/>
    public void BatchCreated(string binding, string id, int lines) => _ = WriteLine(JsonSerializer.Serialize(new BatchLine("batch", binding, id, lines), RuntimeJson.Info<BatchLine>(Json)));

    /// <inheritdoc/>
    public void BatchEnded(string binding, string id)
    {
        lock (_gate) _openBatches.Remove((binding, id));
        WriteLine(JsonSerializer.Serialize(new BatchLine("batchEnded", binding, id, 0), RuntimeJson.Info<BatchLine>(Json)));
    }

    /// <summary>Journals a finished sample; returns where its line is (<see cref="JournalledSamples"/> reads it back from there).</summary>
    public JournalLine Append(SampleResult sample) => AppendAsync(sample).GetAwaiter().GetResult();

    /// <summary>Journals a finished sample; completes, with where its line is, once the line is in the operating system.</summary>
    public Task<JournalLine> AppendAsync(SampleResult sample) => WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new Entry("sample", sample), RuntimeJson.Info<Entry>(Json)));

    /// <summary>The journal file's full path.</summary>
    public string FullPath => System.IO.Path.GetFullPath(_display);

    private JournalLine WriteLine(string json) => WriteAsync(Encoding.UTF8.GetBytes(json)).GetAwaiter().GetResult();

    /// <summary>
    /// Writes <paramref name="json"/> (the lines of every call and sample are serialized to UTF-8 at once, not through a
    /// string) as a line, its newline added as it joins the pending lines; the task completes once it is in the operating system, so that a killed process loses nothing
    /// journalled (not fsync'd per line: that guards against a power cut, and costs a disk round trip per line). The
    /// lines of many samples that finish together go in one write: the writer that finds the file idle writes, and
    /// the lines that come while it writes wait, without holding a thread, for its next write, which takes them all
    /// (a system call per line, under a lock that blocked the other threads, was a tenth of the CPU of 2,000 fast
    /// calls at concurrency 64).
    /// </summary>
    private async Task<JournalLine> WriteAsync(byte[] json)
    {
        var length = json.Length + 1;
        long at;
        Task written;
        bool lead;
        lock (_gate)
        {
            if (_failure is not null) throw new JournalWriteException(_display, _failure);
            at = _end;
            _end += length;
            if (_pendingLength + length > _pending.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + length));
            Buffer.BlockCopy(json, 0, _pending, _pendingLength, json.Length);
            _pending[_pendingLength + json.Length] = (byte)'\n';
            _pendingLength += length;
            written = _collecting.Task;
            lead = !_writing;
            _writing = true;
        }
        if (lead) WritePending();
        await written.ConfigureAwait(false);
        return new JournalLine(at, length);
    }

    // Writes what is pending, batch after batch, until nothing is; each batch's waiters go on when it is written.
    private void WritePending()
    {
        while (true)
        {
            byte[] buffer;
            int count;
            TaskCompletionSource batch;
            lock (_gate)
            {
                if (_pendingLength == 0)
                {
                    _writing = false;
                    Monitor.PulseAll(_gate);
                    return;
                }
                (buffer, count, batch) = (_pending, _pendingLength, _collecting);
                (_pending, _spare) = (_spare, buffer);
                _pendingLength = 0;
                _collecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            try
            {
                _stream.Write(buffer, 0, count);
                _stream.Flush(flushToDisk: false);
                batch.SetResult();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                lock (_gate) _failure ??= ex;
                batch.SetException(new JournalWriteException(_display, ex));
            }
        }
    }

    internal static bool SameModels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var pair in a) if (!b.TryGetValue(pair.Key, out var v) || v != pair.Value) return false;
        return true;
    }

    internal static string Describe(IReadOnlyDictionary<string, string> models) =>
        string.Join(", ", System.Linq.Enumerable.Select(models, m => m.Key + "=" + m.Value));

    public void Dispose()
    {
        lock (_gate)
        {
            // A write in progress ends first (every line is waited for by its writer, so none is left pending).
            while (_writing) Monitor.Wait(_gate);
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
