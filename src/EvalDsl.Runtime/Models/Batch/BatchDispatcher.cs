using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Runtime.Models.Batch;

/// <summary>
/// The batch rounds of one binding under <c>--batch</c>. Calls wait here; once no new call has come for a moment
/// (<see cref="Gather"/>), the waiting calls become one batch (identical requests once: <c>custom_id</c> is the call's
/// key), which is uploaded, created, journalled, polled until it ends, and whose output and error files are mapped
/// back to the calls by <c>custom_id</c>. A call whose line failed in a way a retry may mend (429, 5xx, an unreadable
/// reply, a batch that expired before reaching it) goes into the next round, up to the run's retries; otherwise it
/// fails with the error, as a direct call would. A conversation's next turn is asked only when its reply came, so
/// each turn is a round.
/// </summary>
internal sealed class BatchDispatcher
{
    /// <summary>OpenAI's most requests in one batch.</summary>
    public const int MaxLines = 50_000;

    /// <summary>How long no new call must come before the waiting calls are sent.</summary>
    public static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(200);

    private readonly ModelBinding _binding;
    private readonly BatchEndpoint _endpoint;
    private readonly BatchApi _api;
    private readonly RunOptions _options;
    private readonly TimeProvider _time;
    private readonly ReplyReader _reader;
    private readonly IBatchLog? _log;
    private readonly Action _sent;
    private readonly object _gate = new();
    private readonly List<Pending> _pending = new();
    private readonly ConcurrentDictionary<string, Attempt> _resumed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, (string Status, int Done, int Total)> _rounds = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int _arrivals;
    private int _roundCount;
    private ModelFatalException? _fatal;

    private sealed record Pending(ModelCall Call, TaskCompletionSource<Attempt> Done, int Tries);

    public BatchDispatcher(ModelBinding binding, BatchEndpoint endpoint, RunOptions options, TimeProvider time, ReplyReader reader, IBatchLog? log, Action sent)
    {
        _binding = binding;
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _reader = reader;
        _log = log;
        _sent = sent;
        _api = new BatchApi(binding, endpoint, options, time);
    }

    /// <summary>The rounds in flight, as the progress line shows them: <c>batch 1/2 in_progress 120/200 target</c>.</summary>
    public IEnumerable<string> Status()
    {
        var total = Volatile.Read(ref _roundCount);
        foreach (var pair in _rounds.OrderBy(p => p.Key))
        {
            yield return $"batch {pair.Key}/{total} {pair.Value.Status} {pair.Value.Done}/{pair.Value.Total} {_binding.Name}";
        }
    }

    /// <summary>Asks the call in the next round; the attempt is its reply, or its error.</summary>
    public async Task<Attempt> AskAsync(ModelCall call, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<Attempt>(TaskCreationOptions.RunContinuationsAsynchronously);
        Enqueue(new Pending(call, done, 0));
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Enqueue(Pending pending)
    {
        lock (_gate)
        {
            if (_fatal is not null)
            {
                pending.Done.TrySetException(_fatal);
                return;
            }
            _pending.Add(pending);
            _arrivals++;
            _arrived.TrySetResult();
            _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        try
        {
            await ResumeAsync().ConfigureAwait(false);
            while (true)
            {
                Task arrived;
                lock (_gate) arrived = _arrived.Task;
                await arrived.ConfigureAwait(false);
                // Gather: wait until no new call came for a moment, so that the calls of one turn go together.
                while (true)
                {
                    int before;
                    lock (_gate) before = _arrivals;
                    await Task.Delay(Gather, _time).ConfigureAwait(false);
                    lock (_gate)
                    {
                        if (_arrivals == before || _pending.Count >= MaxLines) break;
                    }
                }
                List<Pending> round;
                lock (_gate)
                {
                    round = _pending.Take(MaxLines).ToList();
                    _pending.RemoveRange(0, round.Count);
                    if (_pending.Count == 0) _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                // A resumed run's batches answer first (not a fresh call: that one wants the model again).
                var ask = new List<Pending>();
                foreach (var p in round)
                {
                    if (!p.Call.Fresh && _resumed.TryGetValue(p.Call.Key, out var answer)) p.Done.TrySetResult(answer);
                    else ask.Add(p);
                }
                if (ask.Count > 0) _ = RoundAsync(ask);
            }
        }
        catch (ModelFatalException ex)
        {
            Fail(ex);
        }
#pragma warning disable CA1031 // whatever stops the loop must reach the calls waiting on it, never vanish
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(new ModelFatalException($"{_binding.Name} model {_binding.Identity}: the batch run failed: {Secrets.Redact(ex.Message)}"));
        }
    }

    private void Fail(ModelFatalException fatal)
    {
        List<Pending> waiting;
        lock (_gate)
        {
            _fatal ??= fatal;
            waiting = _pending.ToList();
            _pending.Clear();
        }
        foreach (var p in waiting) p.Done.TrySetException(_fatal);
    }

    // The batches an earlier run created and did not see end: polled, not sent again.
    private async Task ResumeAsync()
    {
        if (_log is null) return;
        foreach (var id in _log.OpenBatches(_binding.Name))
        {
            var round = Interlocked.Increment(ref _roundCount);
            Dictionary<string, Attempt> results;
            try
            {
                results = await AwaitBatchAsync(round, id, CancellationToken.None).ConfigureAwait(false);
            }
            catch (ModelFatalException)
            {
                // A batch the server no longer knows, or that failed: its calls are asked again in a new round (and a
                // server that refuses every batch says so there, once).
                _log.BatchEnded(_binding.Name, id);
                continue;
            }
            foreach (var pair in results)
            {
                if (pair.Value.Succeeded) _resumed[pair.Key] = pair.Value;
            }
            _log.BatchEnded(_binding.Name, id);
        }
    }

    private async Task RoundAsync(List<Pending> calls)
    {
        var round = 0;
        try
        {
            var lines = new StringBuilder();
            var keys = new List<string>();
            foreach (var group in calls.GroupBy(p => p.Call.Key, StringComparer.Ordinal))
            {
                keys.Add(group.Key);
                lines.Append(Line(group.Key, group.First().Call.Request)).Append('\n');
            }
            round = Interlocked.Increment(ref _roundCount);
            _rounds[round] = ("uploading", 0, keys.Count);
            var file = await _api.UploadAsync(Encoding.UTF8.GetBytes(lines.ToString()), CancellationToken.None).ConfigureAwait(false);
            var id = await _api.CreateAsync(file, CancellationToken.None).ConfigureAwait(false);
            _log?.BatchCreated(_binding.Name, id, keys.Count);
            for (var i = 0; i < keys.Count; i++) _sent();
            var results = await AwaitBatchAsync(round, id, CancellationToken.None).ConfigureAwait(false);
            foreach (var p in calls)
            {
                var attempt = results.TryGetValue(p.Call.Key, out var a) ? a : Attempt.Failed($"the batch {id} ended without an answer for this call", retryable: true);
                if (attempt.Succeeded) p.Done.TrySetResult(attempt);
                else if (attempt.Retryable && p.Tries < _options.MaxRetries) Enqueue(p with { Tries = p.Tries + 1 });
                else p.Done.TrySetResult(attempt.Retryable ? attempt with { Error = $"{attempt.Error} (after {p.Tries + 1} batch round{(p.Tries == 0 ? "" : "s")})" } : attempt);
            }
            _log?.BatchEnded(_binding.Name, id);
        }
        catch (ModelFatalException ex)
        {
            Fail(ex);
            foreach (var p in calls) p.Done.TrySetException(_fatal ?? ex);
        }
        catch (Execution.JournalWriteException ex)
        {
            // A batch whose id cannot be journalled cannot be resumed: the run stops as for any journal failure.
            foreach (var p in calls) p.Done.TrySetException(ex);
        }
#pragma warning disable CA1031 // a failed round must fail its calls, never leave them waiting
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var fatal = new ModelFatalException($"{_binding.Name} model {_binding.Identity}: the batch run failed: {Secrets.Redact(ex.Message)}");
            Fail(fatal);
            foreach (var p in calls) p.Done.TrySetException(_fatal ?? fatal);
        }
        finally
        {
            _rounds.TryRemove(round, out _);
        }
    }

    // Polls until the batch ends; the answers by custom_id.
    private async Task<Dictionary<string, Attempt>> AwaitBatchAsync(int round, string id, CancellationToken cancellationToken)
    {
        try
        {
            BatchState state;
            while (true)
            {
                state = await _api.GetAsync(id, cancellationToken).ConfigureAwait(false);
                _rounds[round] = (state.Status, state.Completed + state.Failed, state.Total);
                if (state.Ended) break;
                await Task.Delay(_options.BatchPollInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            if (state.Status == "failed")
            {
                throw new ModelFatalException($"{_binding.Name} model {_binding.Identity}: the batch {id} failed{(state.Error is { } e ? ": " + e : "")}");
            }
            var results = new Dictionary<string, Attempt>(StringComparer.Ordinal);
            // Errors first: a line in both files is answered by its output.
            if (state.ErrorFileId is { } errors) Read(await _api.DownloadAsync(errors, cancellationToken).ConfigureAwait(false), results);
            if (state.OutputFileId is { } output) Read(await _api.DownloadAsync(output, cancellationToken).ConfigureAwait(false), results);
            return results;
        }
        finally
        {
            _rounds.TryRemove(round, out _);
        }
    }

    private void Read(string file, Dictionary<string, Attempt> results)
    {
        foreach (var line in file.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("custom_id", out var id) || id.ValueKind != JsonValueKind.String) continue;
                results[id.GetString()!] = Answer(root);
            }
            catch (JsonException)
            {
                // A line that does not read answers no call: that call is asked again in the next round.
            }
        }
    }

    // One line of an output or error file: {custom_id, response: {status_code, body}, error: {code, message}}.
    private Attempt Answer(JsonElement line)
    {
        if (line.TryGetProperty("response", out var response) && response.ValueKind == JsonValueKind.Object &&
            response.TryGetProperty("status_code", out var code) && code.TryGetInt32(out var status))
        {
            var body = response.TryGetProperty("body", out var b) ? b : default;
            if (status is >= 200 and < 300) return Completion(body);
            var detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? ": " + Secrets.Redact(message.GetString() ?? "") : "";
            return status is 408 or 409 or 429 or >= 500
                ? Attempt.Failed($"the server answered HTTP {status.ToString(CultureInfo.InvariantCulture)}{detail}", retryable: true)
                : Attempt.Failed($"the server rejected the request (HTTP {status.ToString(CultureInfo.InvariantCulture)}{detail})", retryable: false);
        }
        if (line.TryGetProperty("error", out var lineError) && lineError.ValueKind == JsonValueKind.Object)
        {
            var message = lineError.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return Attempt.Failed($"the batch line failed: {Secrets.Redact(message ?? lineError.GetRawText())}", retryable: true);
        }
        return Attempt.Failed("the batch line holds neither a response nor an error", retryable: true);
    }

    // A chat completion, read as a direct reply is: its shape checked, a refusal an answer, a tool call none.
    private Attempt Completion(JsonElement body) =>
        ChatCompletionWire.Problem(body) is { } problem ? Attempt.Failed(problem, retryable: true) : _reader.Read(ChatCompletionWire.Reply(body));

    // One input line: {custom_id, method, url, body}, the body the chat-completions request a direct call sends.
    private string Line(string key, ModelRequest request)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, ChatCompletionWire.Writing))
        {
            json.WriteStartObject();
            json.WriteString("custom_id", key);
            json.WriteString("method", "POST");
            json.WriteString("url", "/v1/chat/completions");
            json.WritePropertyName("body");
            ChatCompletionWire.WriteRequest(json, _endpoint.Model, request);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
