using System;
using System.ClientModel;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// Every model call goes through here: the response cache, one concurrency limit over all bindings, a per-call
/// timeout, retries with exponential backoff and jitter that honour Retry-After (429, 5xx, timeouts, lost
/// connections), recording, and redaction of every configured secret from every reply and message.
/// </summary>
internal sealed class ModelCaller
{
    private readonly RunOptions _options;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Recorder> _recorders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _timeoutsInARow = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failuresInARow = new(StringComparer.Ordinal);

    /// <summary>
    /// A model that times out on this many attempts in a row, or fails this many calls in a row after all their
    /// retries, is down: the run stops with one clear line instead of waiting out every call (a hung server would
    /// otherwise cost calls × retries × timeout).
    /// </summary>
    internal const int GiveUpAfter = 3;
    private int _calls;
    private int _replayed;
    private int _cached;

    public ModelCaller(RunOptions options)
    {
        _options = options;
        _slots = new SemaphoreSlim(Math.Max(1, options.Concurrency));
    }

    /// <summary>Calls that reached a live model.</summary>
    public int LiveCalls => _calls;

    /// <summary>Calls answered by a recording.</summary>
    public int ReplayedCalls => _replayed;

    /// <summary>Calls answered by the response cache.</summary>
    public int CachedCalls => _cached;

    /// <summary>How the caller waits between retries (tests observe the delays instead of sleeping).</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    /// <summary>
    /// Asks <paramref name="binding"/>. <paramref name="accept"/> decides whether an answer is usable (a judge's JSON);
    /// an unusable answer is neither cached nor recorded. <paramref name="fresh"/> skips the cache read (a retry of an unusable answer).
    /// </summary>
    public async Task<CallResult> CallAsync(ModelBinding binding, ModelRequest request, Func<string, bool>? accept, bool fresh, CancellationToken cancellationToken)
    {
        // The HTTP layer reads no more of a reply than this call may use.
        EndpointHandler.MaxReplyCharacters.Value = _options.MaxReplyCharacters;
        var cacheFile = _options.CacheDirectory is { } dir && !binding.IsReplay ? CachePath(dir, request.Key(binding.Identity)) : null;
        if (cacheFile is not null && !fresh && TryReadCache(cacheFile, out var cached) && (accept is null || accept(cached)))
        {
            Interlocked.Increment(ref _cached);
            return CallResult.Ok(Clean(cached));
        }

        string? lastError = null;
        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan? retryAfter = null;
            var retryable = false;
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.CallTimeout);
                Interlocked.Increment(ref binding.IsReplay ? ref _replayed : ref _calls);
                try
                {
                    var response = await binding.Client.GetResponseAsync(request.ToChatMessages(), request.ToOptions(), timeout.Token).ConfigureAwait(false);
                    var text = response.Text ?? "";
                    // A refusal is the model's answer to the conversation: it is graded like any reply.
                    if (string.IsNullOrWhiteSpace(text) && response.RawRepresentation is OpenAI.Chat.ChatCompletion { Refusal: { Length: > 0 } refusal }) text = refusal;
                    // Replies are cleaned as they arrive, so no writer downstream (console, reports, journal, cache, recordings) sees a key.
                    text = Clean(text);
                    var calls = response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>().Select(c => c.Name).ToList();
                    if (string.IsNullOrWhiteSpace(text) && calls.Count > 0)
                    {
                        // Specs offer no tools: asking again gets the same tool call.
                        lastError = $"the model answered with a tool call ({Secrets.Redact(string.Join(", ", calls.Distinct()))}) instead of text; a spec offers no tools, so there is no reply to grade";
                    }
                    else if (string.IsNullOrWhiteSpace(text))
                    {
                        lastError = "the model returned an empty reply";
                        retryable = true;
                    }
                    else
                    {
                        if (accept is null || accept(text))
                        {
                            if (cacheFile is not null) WriteCache(cacheFile, text);
                            if (_options.RecordDirectory is { } record) Recorder(record, binding.Name).Append(request, text);
                        }
                        _timeoutsInARow[binding.Name] = 0;
                        _failuresInARow[binding.Name] = 0;
                        return CallResult.Ok(text);
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    lastError = $"no answer within {Seconds(_options.CallTimeout)} s (timeout)";
                    retryable = true;
                    if (_timeoutsInARow.AddOrUpdate(binding.Name, 1, (_, n) => n + 1) >= GiveUpAfter)
                    {
                        throw new ModelFatalException($"{binding.Name} model {binding.Identity} does not answer: {GiveUpAfter} calls in a row got no answer within {Seconds(_options.CallTimeout)} s");
                    }
                }
                catch (ReplayMissException ex)
                {
                    return CallResult.Failed(Secrets.Redact(ex.Message));
                }
                catch (ClientResultException ex) when (ex.Status != 0)
                {
                    (lastError, retryable, retryAfter) = Classify(binding, ex);
                }
                catch (Exception ex) when (Find<MalformedReplyException>(ex) is { } malformed)
                {
                    lastError = malformed.Message;
                    retryable = malformed.Retryable;
                }
                catch (Exception ex) when (IsConnectionFailure(ex))
                {
                    lastError = $"cannot reach the server ({Secrets.Redact(Innermost(ex).Message)})";
                    retryable = true;
                    // A server that is not there will not be there for any call: give up after two quick retries.
                    if (attempt >= 2) throw new ModelFatalException($"{binding.Name} model: {lastError}");
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A reply the checks let through that the OpenAI client still cannot read (a field of the wrong type):
                    // an error of this call, never of the run.
                    lastError = $"the server's reply is not a chat completion the OpenAI client can read ({FirstSentence(Secrets.Redact(ex.Message))})";
                    retryable = true;
                }
            }
            finally
            {
                _slots.Release();
            }

            if (!retryable || attempt >= _options.MaxRetries)
            {
                var tries = attempt + 1;
                var error = $"{lastError}{(retryable ? $" (after {tries} attempt{(tries == 1 ? "" : "s")})" : "")}";
                if (retryable && _failuresInARow.AddOrUpdate(binding.Name, 1, (_, n) => n + 1) >= GiveUpAfter)
                {
                    throw new ModelFatalException($"{binding.Name} model {binding.Identity} failed {GiveUpAfter} calls in a row, each after its retries (last: {error})");
                }
                return CallResult.Failed(error);
            }
            await Delay(Backoff(attempt, retryAfter), cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    private (string Error, bool Retryable, TimeSpan? RetryAfter) Classify(ModelBinding binding, ClientResultException ex)
    {
        var status = ex.Status;
        var detail = ServerMessage(ex);
        switch (status)
        {
            case 401:
            case 403:
                throw new ModelFatalException(binding.KeySource is { } source
                    ? $"{binding.Name} model {binding.Identity} refused the API key (HTTP {status}{detail}); check {source}"
                    : $"{binding.Name} model {binding.Identity} refused the request, which carried no API key (HTTP {status}{detail}); set {ModelClients.KeyVariable(binding.Name)} or pass --key-env {binding.Name}=VARIABLE");
            case 404:
                throw new ModelFatalException($"{binding.Name} model {binding.Identity} was not found on the server (HTTP 404{detail})");
            case 408:
            case 409:
            case 429:
            case >= 500:
                return ($"the server answered HTTP {status}{detail}", true, RetryAfter(ex, _options.RetryMaxDelay));
            default:
                return ($"the server rejected the request (HTTP {status}{detail})", false, null);
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait) return wait < _options.RetryMaxDelay ? wait : _options.RetryMaxDelay;
        var exponential = _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 16));
        var capped = Math.Min(exponential, _options.RetryMaxDelay.TotalMilliseconds);
        // Full jitter in [capped/2, capped]: retries of many callers do not arrive together.
        return TimeSpan.FromMilliseconds(capped * (0.5 + Random.Shared.NextDouble() * 0.5));
    }

    // Capped here, before any TimeSpan arithmetic: a server's "Retry-After: 1e300" must neither overflow nor stall the run.
    private static TimeSpan? RetryAfter(ClientResultException ex, TimeSpan cap)
    {
        var response = ex.GetRawResponse();
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || value is null) return null;
        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return seconds >= cap.TotalSeconds ? cap : TimeSpan.FromSeconds(seconds);
        }
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var when))
        {
            var delta = when - DateTimeOffset.UtcNow;
            return delta <= TimeSpan.Zero ? TimeSpan.Zero : delta > cap ? cap : delta;
        }
        return null;
    }

    // The error message of an OpenAI-style body: {"error":{"message":"…"}}.
    private static string ServerMessage(ClientResultException ex)
    {
        try
        {
            var body = ex.GetRawResponse()?.Content?.ToString();
            if (string.IsNullOrWhiteSpace(body)) return "";
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object &&
                error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString() is { Length: > 0 } text)
            {
                // Redacted before it is cut: a key's prefix must not survive the cut.
                text = Secrets.Redact(text);
                if (text.Length > 200) text = text.Substring(0, char.IsHighSurrogate(text[199]) ? 199 : 200) + "…";
                return ": " + Secrets.WellFormed(text);
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }
        return "";
    }

    /// <summary>A reply as it may be used and written: no secret, no lone surrogate, at most <see cref="RunOptions.MaxReplyCharacters"/> long (and saying so when cut).</summary>
    private string Clean(string text)
    {
        text = Secrets.WellFormed(Secrets.Redact(text));
        var max = Math.Max(1, _options.MaxReplyCharacters);
        if (text.Length <= max) return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        var n = System.Globalization.CultureInfo.InvariantCulture;
        return text.Substring(0, cut) + $"\n[evaldsl: the reply was cut at {max.ToString("N0", n)} of {text.Length.ToString("N0", n)} characters; --max-reply sets the limit]";
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n')[0];
        var stop = line.IndexOf(". ", StringComparison.Ordinal);
        line = (stop > 0 ? line.Substring(0, stop) : line).TrimEnd('.');
        return line.Length > 160 ? line.Substring(0, 160) + "…" : line;
    }

    private static T? Find<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found) return found;
        }
        return null;
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is HttpRequestException or SocketException or IOException ||
        (ex is ClientResultException { Status: 0 }) ||
        (ex.InnerException is not null && IsConnectionFailure(ex.InnerException));

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);

    private Recorder Recorder(string folder, string binding) =>
        _recorders.GetOrAdd(binding, b => new Recorder(Path.Combine(folder, b)));

    private static string CachePath(string directory, string key) => Path.Combine(directory, key.Substring(0, 2), key + ".json");

    private static bool TryReadCache(string path, out string text)
    {
        text = "";
        try
        {
            if (!File.Exists(path)) return false;
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            text = json.RootElement.GetProperty("reply").GetString() ?? "";
            return text.Length > 0;
        }
        catch (Exception ex) when (ex is IOException or JsonException or System.Collections.Generic.KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void WriteCache(string path, string text)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(temp, JsonSerializer.Serialize(new { reply = text }), new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: a folder that cannot be written (a full disk) only costs calls, and
            // leaves no half-written temp file behind.
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
