using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The HTTP layer of one OpenAI-compatible binding: sends the binding's own key (or none) and headers, reads at most
/// a bounded number of bytes of a reply, and checks that a successful reply is a chat completion before the OpenAI
/// client parses it, so that a hostile or broken server gives one clear per-call error instead of an exception
/// from deep inside a JSON reader.
/// </summary>
internal sealed class EndpointHandler : DelegatingHandler
{
    /// <summary>The longest reply text, in characters, of the calls made in this async flow (set by <see cref="ModelCaller"/>).</summary>
    internal static readonly AsyncLocal<int?> MaxReplyCharacters = new();

    /// <summary>
    /// Whether the calls of this async flow continue their final assistant message (<c>reply after "…"</c>, set by
    /// <see cref="ModelCaller"/>): their request body gets <c>"continue_final_message": true</c> and
    /// <c>"add_generation_prompt": false</c>, the fields vLLM continues a message with (Ollama continues a final
    /// assistant message by itself and ignores them). Added here, below the OpenAI client, which has no such options.
    /// </summary>
    internal static readonly AsyncLocal<bool> ContinueFinalMessage = new();

    private static readonly Regex LoneSurrogateEscape = new(
        @"(?<=(?:^|[^\\])(?:\\\\)*)(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private readonly string? _key;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;

    public EndpointHandler(string? key, IReadOnlyList<KeyValuePair<string, string>> headers) : base(new SocketsHttpHandler())
    {
        _key = key;
        _headers = headers;
    }

    /// <summary>The most bytes of a reply read for a reply of <paramref name="characters"/> characters (every character escaped, plus room for the envelope).</summary>
    public static long BodyLimit(int characters) => Math.Min((long)characters * 6 + 64 * 1024, int.MaxValue / 2);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The OpenAI client always sends a bearer token: a binding without a key sends none at all.
        request.Headers.Authorization = _key is null ? null : new AuthenticationHeaderValue("Bearer", _key);
        foreach (var header in _headers)
        {
            request.Headers.Remove(header.Key);
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        if (ContinueFinalMessage.Value && request.Content is { } content)
        {
            request.Content = await ContinuingAsync(content, cancellationToken).ConfigureAwait(false);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var characters = MaxReplyCharacters.Value ?? RunOptions.DefaultMaxReplyCharacters;
        var limit = BodyLimit(characters);
        var (bytes, cut) = await ReadAtMostAsync(response.Content, limit, cancellationToken).ConfigureAwait(false);
        var contentHeaders = response.Content.Headers;
        if (!response.IsSuccessStatusCode)
        {
            // An error body is only a message: a cut one still says what went wrong.
            response.Content = Copy(bytes, contentHeaders);
            return response;
        }
        if (cut)
        {
            response.Dispose();
            throw new MalformedReplyException(
                $"the server's reply is larger than {Megabytes(limit)}, more than a reply of at most {characters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters takes (--max-reply); it was cut off unread",
                retryable: false);
        }

        // The usual reply (valid UTF-8, a JSON object, no escaped surrogate) is checked and passed on as it came.
        if (CheckBytes(bytes, contentHeaders.ContentType?.MediaType, out var shape))
        {
            if (shape is not null)
            {
                response.Dispose();
                throw new MalformedReplyException(shape, retryable: true);
            }
            response.Content = Copy(bytes, contentHeaders);
            return response;
        }

        // Invalid UTF-8 becomes U+FFFD here, and escaped lone surrogates (which no writer can encode) too.
        var text = Encoding.UTF8.GetString(bytes);
        var problem = Check(text, contentHeaders.ContentType?.MediaType);
        if (problem is not null)
        {
            response.Dispose();
            throw new MalformedReplyException(problem, retryable: true);
        }
        text = RepairEscapes(text);
        response.Content = Copy(Encoding.UTF8.GetBytes(text), contentHeaders);
        return response;
    }

    /// <summary>The reply text with each escaped lone surrogate (<c>\ud800</c> without its pair) escaped as U+FFFD instead.</summary>
    internal static string RepairEscapes(string text) => LoneSurrogateEscape.Replace(text, "\\uFFFD");

    private static async Task<HttpContent> ContinuingAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (System.Text.Json.Nodes.JsonNode.Parse(body) is not System.Text.Json.Nodes.JsonObject json) return Copy(body, content.Headers);
        json["continue_final_message"] = true;
        json["add_generation_prompt"] = false;
        return Copy(Encoding.UTF8.GetBytes(json.ToJsonString()), content.Headers);
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB";

    private static ByteArrayContent Copy(byte[] bytes, HttpContentHeaders headers)
    {
        var content = new ByteArrayContent(bytes);
        foreach (var header in headers)
        {
            if (string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        return content;
    }

    private static async Task<(byte[] Bytes, bool Cut)> ReadAtMostAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        if (content.Headers.ContentLength is { } length && length <= limit)
        {
            // The server said how long its reply is: read it into an array of that size (the HTTP layer never gives more).
            var exact = new byte[length];
            var filled = 0;
            while (filled < exact.Length)
            {
                var n = await stream.ReadAsync(exact.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (n == 0) return (exact.AsSpan(0, filled).ToArray(), false);
                filled += n;
            }
            return (exact, false);
        }

        // A reply of unknown length (chunked) or longer than the limit: read into pooled buffers, at most limit + 1 bytes.
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var total = 0L;
        try
        {
            while (true)
            {
                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, (int)total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var room = (int)Math.Min(buffer.Length - total, limit + 1 - total);
                var read = await stream.ReadAsync(buffer.AsMemory((int)total, room), cancellationToken).ConfigureAwait(false);
                if (read == 0) return (buffer.AsSpan(0, (int)total).ToArray(), false);
                total += read;
                if (total > limit) return (buffer.AsSpan(0, (int)limit).ToArray(), true);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Checks the shape of a successful reply on its bytes, when they need no repair: valid UTF-8 whose first
    /// non-blank byte opens a JSON object that parses and holds no <c>\uD…</c> escape (a lone surrogate would need
    /// one). False when the reply is not such a one (<see cref="Check"/> then reads it as text); else
    /// <paramref name="problem"/> is what <see cref="Check"/> would say of it, or null.
    /// </summary>
    internal static bool CheckBytes(ReadOnlyMemory<byte> body, string? mediaType, out string? problem)
    {
        problem = null;
        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase)) return false;
        var bytes = body.Span;
        var start = bytes.IndexOfAnyExcept(JsonBlanks);
        if (start < 0 || bytes[start] != (byte)'{') return false;
        if (bytes.IndexOf(EscapedHigh) >= 0 || bytes.IndexOf(EscapedHighUpper) >= 0) return false;
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) return false;
        try
        {
            using var json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
            problem = Shape(json.RootElement);
            return true;
        }
        catch (JsonException)
        {
            // Not JSON: the text check says how it begins.
            return false;
        }
    }

    private static ReadOnlySpan<byte> JsonBlanks => " \t\r\n"u8;
    private static ReadOnlySpan<byte> EscapedHigh => "\\ud"u8;
    private static ReadOnlySpan<byte> EscapedHighUpper => "\\uD"u8;

    /// <summary>What is wrong with a successful reply, or null when it has the shape of a chat completion.</summary>
    internal static string? Check(string body, string? mediaType)
    {
        var trimmed = body.TrimStart();
        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("data:", StringComparison.Ordinal) || trimmed.StartsWith("event:", StringComparison.Ordinal))
        {
            return "the server answered with an event stream (text/event-stream) to a request that asked for one JSON reply";
        }
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            return trimmed.Length == 0 ? "the server's reply is empty, not a chat completion" : $"the server's reply is not JSON (it begins \"{Begins(trimmed)}\")";
        }
        using (json)
        {
            return Shape(json.RootElement);
        }
    }

    /// <summary>What is wrong with a parsed reply, or null when it has the shape of a chat completion.</summary>
    private static string? Shape(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return $"the server's reply is {Kind(root)}, not a chat completion object";
        if (!root.TryGetProperty("choices", out var choices)) return "the server's reply is not a chat completion: it has no \"choices\"";
        if (choices.ValueKind != JsonValueKind.Array) return $"the server's reply is not a chat completion: \"choices\" is {Kind(choices)}, not an array";
        if (choices.GetArrayLength() == 0) return "the server's reply is not a chat completion: \"choices\" is empty";
        var first = choices[0];
        if (first.ValueKind != JsonValueKind.Object) return $"the server's reply is not a chat completion: choices[0] is {Kind(first)}, not an object";
        if (!first.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return "the server's reply is not a chat completion: choices[0] has no \"message\" object";
        }
        foreach (var field in new[] { "content", "refusal" })
        {
            if (message.TryGetProperty(field, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) &&
                !(field == "content" && value.ValueKind == JsonValueKind.Array))
            {
                return $"the server's reply is not a chat completion: choices[0].message.{field} is {Kind(value)}, not text";
            }
        }
        if (message.TryGetProperty("tool_calls", out var tools) && tools.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            return $"the server's reply is not a chat completion: choices[0].message.tool_calls is {Kind(tools)}, not an array";
        }
        return null;
    }

    private static string Begins(string text)
    {
        var redacted = Secrets.Redact(text);
        var line = Regex.Replace(redacted.Length > 4000 ? redacted.Substring(0, 4000) : redacted, @"\s+", " ");
        if (line.Length > 40) line = line.Substring(0, 40) + "…";
        return Secrets.WellFormed(line);
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "JSON null",
        JsonValueKind.Array => "a JSON array",
        JsonValueKind.Object => "a JSON object",
        JsonValueKind.String => "a JSON string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "nothing",
    };
}
