using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Polly;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// Reads what one attempt of a call gave: a reply (a refusal counts as one; a tool call or an empty reply does not),
/// or an error, classified as worth a retry or not, or as fatal (a refused key, an unknown model, a server that is not
/// there). Every text it returns is cleaned: no configured secret, no lone surrogate, no more than the longest reply.
/// </summary>
internal sealed class ReplyReader
{
    private readonly RunOptions _options;
    private readonly TimeProvider _time;

    public ReplyReader(RunOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public Attempt Read(ChatResponse response)
    {
        // A refusal is the model's answer to the conversation, graded like any reply: the client gives it as the text.
        var text = response.Text ?? "";
        // Replies are cleaned as they arrive, so no writer downstream (console, reports, journal, cache, recordings) sees a key.
        text = Clean(text);
        // Only an empty reply looks for tool calls.
        var calls = string.IsNullOrWhiteSpace(text) ? response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Select(c => c.Name).ToList() : null;
        if (calls is { Count: > 0 })
        {
            // Specs offer no tools: asking again gets the same tool call.
            return Attempt.Failed($"the model answered with a tool call ({Secrets.Redact(string.Join(", ", calls.Distinct()))}) instead of text; a spec offers no tools, so there is no reply to grade", retryable: false);
        }
        if (string.IsNullOrWhiteSpace(text)) return Attempt.Failed("the model returned an empty reply", retryable: true);
        return Attempt.Reply(text);
    }

    /// <summary>What an exception of attempt number <paramref name="attempt"/> (from 0) means: a failed attempt, or an exception that ends the call (or the run).</summary>
    public Outcome<Attempt> Classify(ModelBinding binding, Exception ex, int attempt)
    {
        if (ex is ReplayMissException) return Polly.Outcome.FromException<Attempt>(ex);
        if (ex is ServerStatusException http) return Http(binding, http);
        if (Find<MalformedReplyException>(ex) is { } malformed) return Polly.Outcome.FromResult(Attempt.Failed(malformed.Message, malformed.Retryable));
        if (IsConnectionFailure(ex))
        {
            var error = $"cannot reach the server ({Secrets.Redact(Innermost(ex).Message)})";
            // A server that is not there will not be there for any call: give up after two quick retries.
            return attempt >= 2
                ? Polly.Outcome.FromException<Attempt>(new ModelFatalException($"{binding.Name} model: {error}"))
                : Polly.Outcome.FromResult(Attempt.Failed(error, retryable: true));
        }
        // Anything else a client throws (a registered client's own error, a reply it cannot read): an error of this
        // call, never of the run.
        return Polly.Outcome.FromResult(Attempt.Failed($"the server's reply is not a chat completion EvalDsl can read ({FirstSentence(Secrets.Redact(ex.Message))})", retryable: true));
    }

    /// <summary>A reply as it may be used and written: no secret, no lone surrogate, at most <see cref="RunOptions.MaxReplyCharacters"/> long (and saying so when cut).</summary>
    public string Clean(string text)
    {
        text = Secrets.WellFormed(Secrets.Redact(text, KnownSecrets()));
        var max = Math.Max(1, _options.MaxReplyCharacters);
        if (text.Length <= max) return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        var n = CultureInfo.InvariantCulture;
        return text.Substring(0, cut) + $"\n[evaldsl: the reply was cut at {max.ToString("N0", n)} of {text.Length.ToString("N0", n)} characters; --max-reply sets the limit]";
    }

    // The secrets of the environment are read once per reader (a run's), not for every reply: reading every variable
    // was a twentieth of a fast run's CPU time. A value registered since (a binding made later) is seen at once.
    private KnownList? _known;

    private sealed record KnownList(int Registrations, IReadOnlyList<string> Values);

    private IReadOnlyList<string> KnownSecrets()
    {
        var registrations = Secrets.Registrations;
        var known = _known;
        if (known is null || known.Registrations != registrations)
        {
            known = new KnownList(registrations, Secrets.Known());
            _known = known;
        }
        return known.Values;
    }

    private Outcome<Attempt> Http(ModelBinding binding, ServerStatusException ex)
    {
        var status = ex.Status;
        var detail = ErrorMessage(ex.Body);
        switch (status)
        {
            case 401:
            case 403:
                return Polly.Outcome.FromException<Attempt>(new ModelFatalException(binding.KeySource is { } source
                    ? $"{binding.Name} model {binding.Identity} refused the API key (HTTP {status}{detail}); check {source}"
                    : $"{binding.Name} model {binding.Identity} refused the request, which carried no API key (HTTP {status}{detail}); set {ModelClients.KeyVariable(binding.Name)} or pass --key-env {binding.Name}=VARIABLE"));
            case 404:
                return Polly.Outcome.FromException<Attempt>(new ModelFatalException($"{binding.Name} model {binding.Identity} was not found on the server (HTTP 404{detail})"));
            case 429:
                return Polly.Outcome.FromResult(Attempt.Failed($"the server answered HTTP {status}{detail}", retryable: true, RetryAfter(ex, _options.RetryMaxDelay)) with { Throttled = true });
            case 408:
            case 409:
            case >= 500:
                return Polly.Outcome.FromResult(Attempt.Failed($"the server answered HTTP {status}{detail}", retryable: true, RetryAfter(ex, _options.RetryMaxDelay)));
            default:
                return Polly.Outcome.FromResult(Attempt.Failed($"the server rejected the request (HTTP {status}{detail})", retryable: false));
        }
    }

    // Capped here, before any TimeSpan arithmetic: a server's "Retry-After: 1e300" must neither overflow nor stall the run.
    private TimeSpan? RetryAfter(ServerStatusException ex, TimeSpan cap)
    {
        if (ex.RetryAfter is not { } value) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return seconds >= cap.TotalSeconds ? cap : TimeSpan.FromSeconds(seconds);
        }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when))
        {
            var delta = when - _time.GetUtcNow();
            return delta <= TimeSpan.Zero ? TimeSpan.Zero : delta > cap ? cap : delta;
        }
        return null;
    }

    /// <summary>
    /// ": " and the message of an OpenAI-style error body (<c>{"error":{"message":"…"}}</c>), redacted and cut to 200
    /// characters; "" when the body holds none.
    /// </summary>
    internal static string ErrorMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        try
        {
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
        return "";
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
        (ex.InnerException is not null && IsConnectionFailure(ex.InnerException));

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
