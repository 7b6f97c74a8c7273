using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The client of one OpenAI-compatible binding: <c>POST {BaseUrl}/chat/completions</c> with the body of
/// <see cref="ChatCompletionWire"/>, the binding's own key (or none) and headers; it reads at most a bounded number
/// of bytes of a reply, and a successful one only when it is a chat completion. EvalDsl's requests are small
/// (messages, temperature, seed), so it writes and reads them itself instead of through an SDK's pipeline, whose
/// layers were a large share of a fast run's CPU time.
/// </summary>
internal sealed class OpenAiCompatibleClient : IChatClient
{
    /// <summary>The base URL of a reference without one.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://api.openai.com/v1");

    /// <summary>The longest reply text, in characters, of the calls made in this async flow (set by <see cref="ModelCaller"/>).</summary>
    internal static readonly AsyncLocal<int?> MaxReplyCharacters = new();

    // The body of each request is written here: a thread's buffer, reused.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_body;

    private readonly HttpMessageInvoker _http;
    private readonly Uri _url;
    private readonly string _model;
    private readonly string? _authorization;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly ChatClientMetadata _metadata;

    /// <param name="baseUrl">The server's base URL (…/v1); its query string is kept.</param>
    /// <param name="model">The model asked.</param>
    /// <param name="key">The binding's key, sent as a bearer token; null sends no <c>Authorization</c> at all.</param>
    /// <param name="headers">The binding's headers, each replacing a header of the same name.</param>
    public OpenAiCompatibleClient(Uri baseUrl, string model, string? key, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        _url = CompletionsUrl(baseUrl);
        _model = model;
        _authorization = key is null ? null : "Bearer " + key;
        _headers = headers;
        _metadata = new ChatClientMetadata("openai", baseUrl, model);
        _http = new HttpMessageInvoker(new SocketsHttpHandler());
    }

    /// <summary><c>{baseUrl}/chat/completions</c>: the path appended to the base URL's path (one slash between), its query string kept.</summary>
    public static Uri CompletionsUrl(Uri baseUrl) =>
        new(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/chat/completions" + baseUrl.Query);

    /// <summary>The most bytes of a reply read for a reply of <paramref name="characters"/> characters (every character escaped, plus room for the envelope).</summary>
    public static long BodyLimit(int characters) => Math.Min((long)characters * 6 + 64 * 1024, int.MaxValue / 2);

    /// <exception cref="ServerStatusException">The server answered with a status other than 2xx.</exception>
    /// <exception cref="MalformedReplyException">The reply is not a chat completion, or is larger than a reply may be.</exception>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // The request as EvalDsl reduces it (messages, temperature, seed): all that goes on the wire.
        var request = ModelRequest.From(messages, options);
        using var message = new HttpRequestMessage(HttpMethod.Post, _url) { Content = Body(request) };
        var headers = message.Headers;
        // What the OpenAI SDK sent before: some gateways turn away a request without a user agent.
        headers.TryAddWithoutValidation("Accept", "application/json");
        headers.TryAddWithoutValidation("User-Agent", "EvalDsl");
        if (_authorization is not null) headers.TryAddWithoutValidation("Authorization", _authorization);
        foreach (var header in _headers)
        {
            headers.Remove(header.Key);
            headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var characters = MaxReplyCharacters.Value ?? RunOptions.DefaultMaxReplyCharacters;
        var limit = BodyLimit(characters);
        var (bytes, cut) = await ReadAtMostAsync(response.Content, limit, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // An error body is only a message: a cut one still says what went wrong.
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
            throw new ServerStatusException((int)response.StatusCode, retryAfter, Encoding.UTF8.GetString(bytes));
        }
        if (cut)
        {
            throw new MalformedReplyException(
                $"the server's reply is larger than {Megabytes(limit)}, more than a reply of at most {characters.ToString("N0", CultureInfo.InvariantCulture)} characters takes (--max-reply); it was cut off unread",
                retryable: false);
        }
        return ChatCompletionWire.ReadReply(bytes, response.Content.Headers.ContentType?.MediaType);
    }

    private ByteArrayContent Body(ModelRequest request)
    {
        var buffer = t_body ??= new ArrayBufferWriter<byte>(4 * 1024);
        buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(buffer, ChatCompletionWire.Writing))
        {
            ChatCompletionWire.WriteRequest(json, _model, request);
        }
        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        return content;
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

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

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // EvalDsl grades whole replies: a stream is the one reply, as updates.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null : serviceType == typeof(ChatClientMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() => _http.Dispose();
}
