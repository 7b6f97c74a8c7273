using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvalDsl.Testing;

/// <summary>
/// A real OpenAI-compatible HTTP server (ASP.NET Core minimal API on Kestrel) bound to <c>127.0.0.1</c> on a
/// free port, serving scripted models, for tests, benchmarks and recording the example recordings.
/// </summary>
/// <remarks>
/// <para>Endpoints under <see cref="BaseUrl"/> (<c>http://127.0.0.1:PORT/v1</c>):</para>
/// <list type="bullet">
/// <item><c>POST /v1/chat/completions</c>: OpenAI chat-completions JSON; with <c>"stream": true</c> a server-sent-event
/// stream of <c>chat.completion.chunk</c> objects ending with <c>data: [DONE]</c> (plus a usage chunk when
/// <c>stream_options.include_usage</c> is true).</item>
/// <item><c>GET /v1/models</c>: the registered model names.</item>
/// <item>The OpenAI Batch API: <c>POST /v1/files</c>, <c>GET /v1/files/{id}/content</c>, <c>POST /v1/batches</c>,
/// <c>GET /v1/batches/{id}</c> (see <c>LoopbackModelServer.Batches.cs</c>).</item>
/// </list>
/// <para>With <see cref="ConcurrencyLimit"/> set, a chat request beyond that many at once gets 429 before any other step.</para>
/// <para>Models are functions from the request to the reply text (<see cref="Register"/>); the ones of
/// <see cref="ScriptedModels.BuiltIn"/> are registered from the start.</para>
/// <para>A chat request goes through these steps, in order: it is counted and logged (even if it then fails);
/// <see cref="Latency"/> is waited; the API key is checked (<see cref="RequiredApiKey"/>, 401); an injected hang
/// (<see cref="HangNext"/>), an injected failure (<see cref="FailNext"/>) or a random failure
/// (<see cref="SetFaultRate"/>) is applied, in that order; an unknown model gets 404; a raw model (<see cref="RegisterRaw"/>)
/// or a hostile one (<see cref="RegisterHostile"/>, <see cref="HostileReply"/>) answers its exact bytes; otherwise the model answers.
/// Errors carry an OpenAI-style body <c>{"error":{"message","type","param","code"}}</c>.</para>
/// <para>Every member is thread-safe. Logging is off. The response ids count up from 1 and <c>created</c> is a fixed
/// time, so recordings made against this server do not change from run to run.</para>
/// </remarks>
public sealed partial class LoopbackModelServer : IAsyncDisposable
{
    /// <summary>The <c>created</c> timestamp of every response (2025-04-29T00:00:00Z, the day the sycophantic update was rolled back).</summary>
    public const long CreatedTimestamp = 1745884800;

    private int _inFlight;
    private int _maxConcurrent;
    private int _admitted;
    private int _throttled;
    private int? _concurrencyLimit;
    private readonly List<int> _arrivals = new();

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Func<ChatRequestInfo, string>> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, HostileReply> _hostile = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<ChatRequestInfo, RawReply>> _raw = new(StringComparer.Ordinal);
    private long _hugeCharacters = 160_000_000;
    private readonly object _gate = new();
    private readonly List<ChatRequestInfo> _requests = new();
    private readonly Dictionary<string, int> _callsPerModel = new(StringComparer.Ordinal);
    private int _callCount;
    private int _faultCount;
    private int _responseId;
    private int _failNext;
    private int _failStatus = 500;
    private TimeSpan? _failRetryAfter;
    private int _hangNext;
    private double _faultRate;
    private Random? _faultRandom;
    private int[] _faultStatuses = Array.Empty<int>();
    private long _latencyTicks;
    private long _hangTicks = TimeSpan.FromSeconds(100).Ticks;
    private volatile string? _requiredApiKey;
    private int _disposed;

    private LoopbackModelServer(WebApplication app)
    {
        _app = app;
        foreach (var (name, reply) in ScriptedModels.BuiltIn) _models[name] = reply;
        app.MapPost("/v1/chat/completions", HandleLimitedChatAsync);
        app.MapGet("/v1/models", HandleModelsAsync);
        MapBatchEndpoints(app);
    }

    /// <summary>Starts a server on <c>127.0.0.1</c> and a free port, with the built-in scripted models registered.</summary>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static async Task<LoopbackModelServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = Array.Empty<string>(),
            ApplicationName = typeof(LoopbackModelServer).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.ClearProviders();
        // No Ctrl+C / SIGTERM handling: the server lives inside someone else's process.
        builder.Services.AddSingleton<IHostLifetime, NoHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        // An explicit endpoint wins over ASPNETCORE_URLS and friends, so only loopback is ever bound.
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));

        var server = new LoopbackModelServer(builder.Build());
        await server._app.StartAsync().ConfigureAwait(false);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        var uri = new Uri(address);
        server.Port = uri.Port;
        server.BaseUrl = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{uri.Port}/v1");
        return server;
    }

    /// <summary>The OpenAI base URL of this server, for example <c>http://127.0.0.1:41234/v1</c>.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The bound TCP port.</summary>
    public int Port { get; private set; }

    /// <summary>The registered model names, sorted.</summary>
    public IReadOnlyList<string> Models => _models.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>How many chat-completion requests arrived (including failed ones) since start or <see cref="ResetCounts"/>.</summary>
    public int CallCount => Volatile.Read(ref _callCount);

    /// <summary>How many requests got an injected fault (<see cref="FailNext"/>, <see cref="SetFaultRate"/> or <see cref="HangNext"/>).</summary>
    public int FaultCount => Volatile.Read(ref _faultCount);

    /// <summary>The most chat-completion requests that were in progress at the same moment (since start or <see cref="ResetCounts"/>).</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

    /// <summary>
    /// When set, the server answers at most this many chat requests at once, as a provider's concurrency limit: a
    /// request that arrives while that many are being answered gets 429 (<c>rate_limit_exceeded</c>) at once, without a
    /// Retry-After, and is counted in <see cref="ThrottledCount"/> but not in <see cref="CallCount"/> or <see cref="Requests"/>.
    /// A request leaves the count before its reply is sent, so a client that sends its next request when a reply
    /// arrives is never refused for the request it just got the answer of. Null (the default): no limit.
    /// </summary>
    public int? ConcurrencyLimit
    {
        get
        {
            lock (_gate) return _concurrencyLimit;
        }
        set
        {
            lock (_gate) _concurrencyLimit = value;
        }
    }

    /// <summary>How many requests <see cref="ConcurrencyLimit"/> refused with 429 (since start or <see cref="ResetCounts"/>).</summary>
    public int ThrottledCount => Volatile.Read(ref _throttled);

    /// <summary>
    /// Under <see cref="ConcurrencyLimit"/>, for every chat request in arrival order, how many requests were being
    /// answered with it counted (a refused one counts itself: the concurrency the client asked for).
    /// </summary>
    public IReadOnlyList<int> ArrivalConcurrency
    {
        get
        {
            lock (_gate) return _arrivals.ToArray();
        }
    }

    /// <summary>A snapshot of every chat-completion request received, in arrival order.</summary>
    public IReadOnlyList<ChatRequestInfo> Requests
    {
        get
        {
            lock (_gate) return _requests.ToArray();
        }
    }

    /// <summary>Extra time before every chat-completion response (default zero), to simulate a model's latency.</summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set => Interlocked.Exchange(ref _latencyTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>
    /// How long a hung request (<see cref="HangNext"/>) waits before it gives up itself and answers 504 (default 100 s,
    /// longer than any sensible client timeout). The wait ends early when the client disconnects or the server stops.
    /// </summary>
    public TimeSpan HangDuration
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _hangTicks));
        set => Interlocked.Exchange(ref _hangTicks, Math.Max(0, value.Ticks));
    }

    /// <summary>
    /// When set, the server continues no message, as api.openai.com and servers without vLLM's fields: a request that
    /// ends with an assistant message or asks for <c>continue_final_message</c> gets 400 (<c>invalid_request_error</c>).
    /// By default a continuing request reaches the scripted model, whose reply is the continuation (see <see cref="ChatRequestInfo.Prefill"/>).
    /// </summary>
    public bool RejectsContinuation { get; set; }

    /// <summary>When set, every request must carry <c>Authorization: Bearer &lt;key&gt;</c>, else it gets 401 (<c>invalid_api_key</c>).</summary>
    public string? RequiredApiKey
    {
        get => _requiredApiKey;
        set => _requiredApiKey = value;
    }

    /// <summary>Registers (or replaces) a scripted model.</summary>
    /// <param name="model">The model name clients ask for.</param>
    /// <param name="reply">Computes the reply text from the request; an exception becomes a 500 response.</param>
    public void Register(string model, Func<ChatRequestInfo, string> reply)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(reply);
        _models[model] = reply;
    }

    /// <summary>Registers (or replaces) a model that answers every request the hostile way <paramref name="mode"/> says.</summary>
    /// <param name="model">The model name clients ask for.</param>
    /// <param name="mode">How it answers.</param>
    public void RegisterHostile(string model, HostileReply mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        _hostile[model] = mode;
        _models[model] = _ => string.Empty;
    }

    /// <summary>Registers (or replaces) a model whose every answer is the exact HTTP reply <paramref name="reply"/> computes, sent with its Content-Length (for fuzzing clients).</summary>
    /// <param name="model">The model name clients ask for.</param>
    /// <param name="reply">Computes status, content type and body from the request.</param>
    public void RegisterRaw(string model, Func<ChatRequestInfo, RawReply> reply)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(reply);
        _raw[model] = reply;
        _models[model] = _ => string.Empty;
    }

    /// <summary>How many characters a <see cref="HostileReply.Huge"/> reply has (default 160 million).</summary>
    public long HugeReplyCharacters
    {
        get => Interlocked.Read(ref _hugeCharacters);
        set => Interlocked.Exchange(ref _hugeCharacters, Math.Max(0, value));
    }

    /// <summary>How many chat-completion requests named <paramref name="model"/> (including failed ones).</summary>
    /// <param name="model">The model name.</param>
    /// <returns>The count since start or <see cref="ResetCounts"/>.</returns>
    public int CallsFor(string model)
    {
        lock (_gate) return _callsPerModel.TryGetValue(model, out var n) ? n : 0;
    }

    /// <summary>Clears <see cref="CallCount"/>, <see cref="CallsFor"/>, <see cref="FaultCount"/> and <see cref="Requests"/>; injected faults stay armed.</summary>
    public void ResetCounts()
    {
        lock (_gate)
        {
            _requests.Clear();
            _callsPerModel.Clear();
            _arrivals.Clear();
            Volatile.Write(ref _throttled, 0);
            Volatile.Write(ref _callCount, 0);
            Volatile.Write(ref _faultCount, 0);
            Volatile.Write(ref _maxConcurrent, 0);
        }
    }

    /// <summary>Makes the next <paramref name="count"/> chat requests fail with <paramref name="statusCode"/>.</summary>
    /// <param name="count">How many requests fail (replaces any count still pending).</param>
    /// <param name="statusCode">The HTTP status, e.g. 429, 500, 503.</param>
    /// <param name="retryAfter">When given, sent as <c>Retry-After</c> (whole seconds, rounded up) and <c>retry-after-ms</c>.</param>
    public void FailNext(int count, int statusCode = 500, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        lock (_gate)
        {
            _failNext = count;
            _failStatus = statusCode;
            _failRetryAfter = retryAfter;
        }
    }

    /// <summary>
    /// Makes each chat request fail independently with <paramref name="probability"/>, the status drawn from
    /// <paramref name="statusCodes"/> (default 500). The draws come from <c>new Random(seed)</c> in arrival order, so
    /// sequential requests see the same faults on every run. A probability of 0 turns it off.
    /// </summary>
    /// <param name="probability">The chance of failing, 0 to 1.</param>
    /// <param name="seed">The PRNG seed.</param>
    /// <param name="statusCodes">The statuses to choose from uniformly.</param>
    public void SetFaultRate(double probability, int seed, params int[] statusCodes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probability, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(probability, 1);
        lock (_gate)
        {
            _faultRate = probability;
            _faultRandom = new Random(seed);
            _faultStatuses = statusCodes is { Length: > 0 } ? statusCodes.ToArray() : new[] { 500 };
        }
    }

    /// <summary>Makes the next <paramref name="count"/> chat requests hang (see <see cref="HangDuration"/>) until the client gives up.</summary>
    /// <param name="count">How many requests hang (replaces any count still pending).</param>
    public void HangNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) _hangNext = count;
    }

    /// <summary>Disarms every injected fault (<see cref="FailNext"/>, <see cref="SetFaultRate"/>, <see cref="HangNext"/>) and resets <see cref="Latency"/>.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _failNext = 0;
            _hangNext = 0;
            _faultRate = 0;
            _faultRandom = null;
        }

        Latency = TimeSpan.Zero;
    }

    /// <summary>Stops the server; hung requests are released at once.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync().ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _stopping.Dispose();
        }
    }

    private enum Fault
    {
        None,
        Fail,
        Hang,
    }

    // The concurrency limit, around the chat handler: the reply is held in memory until the request has left the count.
    private async Task HandleLimitedChatAsync(HttpContext context)
    {
        bool limited, admitted;
        lock (_gate)
        {
            limited = _concurrencyLimit is not null;
            admitted = !limited || _admitted < _concurrencyLimit;
            if (limited)
            {
                _arrivals.Add(_admitted + 1);
                if (admitted) _admitted++;
                else Volatile.Write(ref _throttled, _throttled + 1);
            }
        }
        if (!admitted)
        {
            await WriteFaultAsync(context, 429, null).ConfigureAwait(false);
            return;
        }
        if (!limited)
        {
            await HandleChatAsync(context).ConfigureAwait(false);
            return;
        }
        var body = context.Response.Body;
        using var held = new MemoryStream();
        context.Response.Body = held;
        try
        {
            await HandleChatAsync(context).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate) _admitted--;
            context.Response.Body = body;
        }
        held.Position = 0;
        await held.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task HandleChatAsync(HttpContext context)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var token = cancel.Token;
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxConcurrent); inFlight > max; max = Volatile.Read(ref _maxConcurrent))
        {
            if (Interlocked.CompareExchange(ref _maxConcurrent, inFlight, max) == max) break;
        }
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(token).ConfigureAwait(false);
            }

            var apiKey = BearerToken(context.Request);
            var request = OpenAiWire.TryParseRequest(body, apiKey, out var parseError);
            if (request is not null)
            {
                request.Headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                request.PathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
            }
            Record(request ?? new ChatRequestInfo(string.Empty, Array.Empty<ChatMessageInfo>(), body) { ApiKey = apiKey });

            var latency = Latency;
            if (latency > TimeSpan.Zero) await Task.Delay(latency, token).ConfigureAwait(false);

            if (!Authorized(apiKey))
            {
                await WriteErrorAsync(context, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null).ConfigureAwait(false);
                return;
            }

            var (fault, status, retryAfter) = DrawFault();
            if (fault == Fault.Hang)
            {
                await Task.Delay(HangDuration, token).ConfigureAwait(false);
                await WriteErrorAsync(context, 504, "The loopback server hung on purpose and the client did not give up.", "server_error", "timeout", null).ConfigureAwait(false);
                return;
            }

            if (fault == Fault.Fail)
            {
                await WriteFaultAsync(context, status, retryAfter).ConfigureAwait(false);
                return;
            }

            if (request is null)
            {
                await WriteErrorAsync(context, 400, parseError, "invalid_request_error", null, null).ConfigureAwait(false);
                return;
            }

            if (request.Model.Length == 0)
            {
                await WriteErrorAsync(context, 400, "You must provide a model parameter.", "invalid_request_error", null, null).ConfigureAwait(false);
                return;
            }

            if (!_models.TryGetValue(request.Model, out var model))
            {
                await WriteErrorAsync(context, 404, $"The model '{request.Model}' does not exist or you do not have access to it.", "invalid_request_error", "model_not_found", null).ConfigureAwait(false);
                return;
            }

            if (RejectsContinuation && (request.ContinueFinalMessage ||
                (request.Messages.Count > 0 && string.Equals(request.Messages[request.Messages.Count - 1].Role, "assistant", StringComparison.OrdinalIgnoreCase))))
            {
                await WriteErrorAsync(context, 400, "This server does not continue a final assistant message: the last message must be a user message, and continue_final_message is not supported.", "invalid_request_error", "unsupported_parameter", null).ConfigureAwait(false);
                return;
            }

            if (_raw.TryGetValue(request.Model, out var raw))
            {
                var answer = raw(request);
                context.Response.StatusCode = answer.Status;
                context.Response.ContentType = answer.ContentType;
                if (answer.RetryAfter is { } after) context.Response.Headers.RetryAfter = after;
                // With its length, as most servers send a JSON reply (the scripted models' replies are chunked).
                context.Response.ContentLength = answer.Body.Length;
                await context.Response.Body.WriteAsync(answer.Body, token).ConfigureAwait(false);
                return;
            }

            if (_hostile.TryGetValue(request.Model, out var hostile))
            {
                await HostileReplies.WriteAsync(context, hostile, request.Model, HugeReplyCharacters, token).ConfigureAwait(false);
                return;
            }

            string reply;
            try
            {
                reply = model(request);
            }
#pragma warning disable CA1031 // a scripted model's bug must reach the client as a 500, not kill the connection
            catch (Exception e)
#pragma warning restore CA1031
            {
                await WriteErrorAsync(context, 500, $"The scripted model '{request.Model}' threw {e.GetType().Name}: {e.Message}", "server_error", null, null).ConfigureAwait(false);
                return;
            }

            var id = "chatcmpl-loopback-" + Interlocked.Increment(ref _responseId).ToString("D6", CultureInfo.InvariantCulture);
            var promptTokens = request.Messages.Sum(m => OpenAiWire.CountTokens(m.Text));
            if (request.Stream)
            {
                await WriteStreamAsync(context, request, id, reply, promptTokens, token).ConfigureAwait(false);
            }
            else
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(OpenAiWire.Completion(id, CreatedTimestamp, request.Model, reply, promptTokens), token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (token.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client gave up (nobody is listening), or the server is stopping: then drop the connection, so a
            // request caught in a hang or a latency wait fails for its client instead of ending as an empty 200.
            if (!context.RequestAborted.IsCancellationRequested) context.Abort();
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task HandleModelsAsync(HttpContext context)
    {
        if (!Authorized(BearerToken(context.Request)))
        {
            await WriteErrorAsync(context, 401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key", null).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(OpenAiWire.ModelList(Models, CreatedTimestamp), context.RequestAborted).ConfigureAwait(false);
    }

    private void Record(ChatRequestInfo request)
    {
        lock (_gate)
        {
            _requests.Add(request);
            _callsPerModel[request.Model] = _callsPerModel.TryGetValue(request.Model, out var n) ? n + 1 : 1;
            Volatile.Write(ref _callCount, _callCount + 1);
        }
    }

    private (Fault Fault, int Status, TimeSpan? RetryAfter) DrawFault()
    {
        lock (_gate)
        {
            var result = (Fault.None, 0, (TimeSpan?)null);
            if (_hangNext > 0)
            {
                _hangNext--;
                result = (Fault.Hang, 504, null);
            }
            else if (_failNext > 0)
            {
                _failNext--;
                result = (Fault.Fail, _failStatus, _failRetryAfter);
            }
            else if (_faultRandom is not null && _faultRate > 0 && _faultRandom.NextDouble() < _faultRate)
            {
                result = (Fault.Fail, _faultStatuses[_faultRandom.Next(_faultStatuses.Length)], null);
            }

            if (result.Item1 != Fault.None) Volatile.Write(ref _faultCount, _faultCount + 1);
            return result;
        }
    }

    private bool Authorized(string? apiKey)
    {
        var required = _requiredApiKey;
        return required is null || string.Equals(apiKey, required, StringComparison.Ordinal);
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }

    private static Task WriteFaultAsync(HttpContext context, int status, TimeSpan? retryAfter)
    {
        var (message, type, code) = status switch
        {
            429 => ("Rate limit reached (injected by the loopback server).", "requests", "rate_limit_exceeded"),
            503 => ("The server is overloaded (injected by the loopback server).", "server_error", "service_unavailable"),
            >= 500 => ("The server had an error while processing your request (injected by the loopback server).", "server_error", (string?)null),
            _ => ($"Injected failure with status {status}.", "invalid_request_error", null),
        };
        return WriteErrorAsync(context, status, message, type, code, retryAfter);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message, string type, string? code, TimeSpan? retryAfter)
    {
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            var seconds = (long)Math.Ceiling(wait.TotalSeconds);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["retry-after-ms"] = ((long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(OpenAiWire.Error(message, type, code), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task WriteStreamAsync(HttpContext context, ChatRequestInfo request, string id, string reply, int promptTokens, CancellationToken token)
    {
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var response = context.Response;

        async Task SendAsync(string data)
        {
            await response.WriteAsync("data: " + data + "\n\n", token).ConfigureAwait(false);
            await response.Body.FlushAsync(token).ConfigureAwait(false);
        }

        await SendAsync(OpenAiWire.Chunk(id, CreatedTimestamp, request.Model, "assistant", string.Empty, null)).ConfigureAwait(false);
        foreach (var piece in SplitForStreaming(reply))
        {
            await SendAsync(OpenAiWire.Chunk(id, CreatedTimestamp, request.Model, null, piece, null)).ConfigureAwait(false);
        }

        await SendAsync(OpenAiWire.Chunk(id, CreatedTimestamp, request.Model, null, null, "stop")).ConfigureAwait(false);
        if (OpenAiWire.WantsStreamUsage(request.RawJson))
        {
            await SendAsync(OpenAiWire.UsageChunk(id, CreatedTimestamp, request.Model, promptTokens, OpenAiWire.CountTokens(reply))).ConfigureAwait(false);
        }

        await SendAsync("[DONE]").ConfigureAwait(false);
    }

    /// <summary>Splits a reply into word-sized pieces (each keeps the whitespace after it), so the pieces concatenate back to the reply.</summary>
    private static IEnumerable<string> SplitForStreaming(string reply)
    {
        var start = 0;
        for (var i = 0; i < reply.Length; i++)
        {
            if (char.IsWhiteSpace(reply[i]) && (i + 1 == reply.Length || !char.IsWhiteSpace(reply[i + 1])))
            {
                yield return reply[start..(i + 1)];
                start = i + 1;
            }
        }

        if (start < reply.Length) yield return reply[start..];
    }

    private sealed class NoHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
