using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// Every model call goes through here, down the chain of its binding: the response cache
/// (<see cref="ResponseCacheChatClient"/>), recording (<see cref="RecordingChatClient"/>), then the resilience pipeline
/// (<see cref="CallPipeline"/>: give-ups, retries, one concurrency limit over all bindings, the per-call timeout) around
/// the binding's own client — an OpenAI-compatible endpoint, a recording (<see cref="ReplayChatClient"/>) or any
/// registered client. Every reply and message is cleaned of every configured secret on its way up.
/// </summary>
internal sealed class ModelCaller
{
    private readonly RunOptions _options;
    private readonly TimeProvider _time;
    private readonly ReplyReader _reader;
    private readonly ConcurrencyLimiter _slots;
    private readonly ConditionalWeakTable<ModelBinding, IChatClient> _chains = new();
    private readonly ConcurrentDictionary<string, Recorder> _recorders = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (StrongBox<int> Failures, StrongBox<int> Timeouts)> _inARow = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AdaptiveLimit> _limits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Batch.BatchDispatcher> _batches = new(StringComparer.Ordinal);
    private int _calls;
    private int _replayed;
    private int _cached;

    /// <param name="options">How calls are made.</param>
    /// <param name="time">The clock of backoffs, timeouts and Retry-After dates (tests pass a fake one); the system's by default.</param>
    public ModelCaller(RunOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _reader = new ReplyReader(options, _time);
        _slots = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Concurrency),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Calls that reached a live model.</summary>
    public int LiveCalls => _calls;

    /// <summary>Calls answered by a recording.</summary>
    public int ReplayedCalls => _replayed;

    /// <summary>Calls answered by the response cache.</summary>
    public int CachedCalls => _cached;

    /// <summary>The adaptive concurrency limit of the binding named <paramref name="name"/> (kept by name, as the give-up counts).</summary>
    public AdaptiveLimit Limit(string name) => _limits.GetOrAdd(name, _ => new AdaptiveLimit(Math.Max(1, _options.Concurrency)));

    /// <summary>
    /// The state of the calls for a progress line: each binding whose adaptive limit is below the ceiling, as
    /// <c>limit 5/8 target</c>; empty when every limit is at its ceiling.
    /// </summary>
    public string Status()
    {
        var parts = new System.Collections.Generic.List<string>();
        foreach (var pair in System.Linq.Enumerable.OrderBy(_limits, p => p.Key, StringComparer.Ordinal))
        {
            var limit = pair.Value.Limit;
            if (limit < pair.Value.Ceiling) parts.Add($"limit {limit}/{pair.Value.Ceiling} {pair.Key}");
        }
        foreach (var pair in System.Linq.Enumerable.OrderBy(_batches, p => p.Key, StringComparer.Ordinal)) parts.AddRange(pair.Value.Status());
        return string.Join(", ", parts);
    }

    /// <summary>Where a batch run journals its batch ids (set before the first call; null: not journalled).</summary>
    public Batch.IBatchLog? BatchLog { get; set; }

    /// <summary>Asks <paramref name="binding"/> (see <see cref="ModelCall"/>).</summary>
    public Task<CallResult> CallAsync(ModelBinding binding, ModelRequest request, Func<string, bool>? accept, bool fresh, CancellationToken cancellationToken) =>
        CallAsync(new ModelCall(binding, request, accept, fresh), cancellationToken);

    /// <summary>
    /// Makes <paramref name="call"/>. An unusable answer (<see cref="ModelCall.Accept"/>) is neither cached nor recorded.
    /// </summary>
    /// <exception cref="ModelFatalException">The model is down or refuses every call: the run should stop.</exception>
    public async Task<CallResult> CallAsync(ModelCall call, CancellationToken cancellationToken)
    {
        // The client reads no more of a reply than this call may use.
        OpenAiCompatibleClient.MaxReplyCharacters.Value = _options.MaxReplyCharacters;
        try
        {
            var response = await Chain(call.Binding).GetResponseAsync(call.Request.ToChatMessages(), call.ToOptions(), cancellationToken).ConfigureAwait(false);
            return CallResult.Ok(response.Text);
        }
        catch (ModelCallException ex)
        {
            return CallResult.Failed(ex.Message);
        }
        catch (ReplayMissException ex)
        {
            return CallResult.Failed(Secrets.Redact(ex.Message));
        }
    }

    private IChatClient Chain(ModelBinding binding) => _chains.GetValue(binding, Build);

    // Outermost first. Give-up counts are kept by binding name: a runner that binds the name anew (generated tests
    // share this caller) continues the count.
    private IChatClient Build(ModelBinding binding)
    {
        var (failures, timeouts) = _inARow.GetOrAdd(binding.Name, _ => (new StrongBox<int>(), new StrongBox<int>()));
        var pipeline = CallPipeline.Build(binding, _options, _slots, _time, failures, timeouts, binding.IsReplay ? null : Limit(binding.Name));
        var chain = new ChatClientBuilder(binding.Client);
        if (_options.CacheDirectory is { } cache && !binding.IsReplay)
        {
            chain.Use(inner => new ResponseCacheChatClient(inner, cache, _reader.Clean, () => Interlocked.Increment(ref _cached)));
        }
        if (_options.RecordDirectory is { } record)
        {
            var folder = Path.Combine(record, binding.Name);
            chain.Use(inner => new RecordingChatClient(inner, folder, () => _recorders.GetOrAdd(binding.Name, _ => new Recorder(folder))));
        }
        // Under --batch a live binding's calls wait for a batch round instead; a recording is read directly.
        if (_options.Batch && !binding.IsReplay && binding.BatchEndpoint is { } endpoint)
        {
            var dispatcher = _batches.GetOrAdd(binding.Name, _ => new Batch.BatchDispatcher(binding, endpoint, _options, _time, _reader, BatchLog, () => Interlocked.Increment(ref _calls)));
            chain.Use(inner => new Batch.BatchChatClient(inner, dispatcher));
            return chain.Build();
        }
        chain.Use(inner => new ResilientChatClient(inner, binding, pipeline, _reader, _options.CallTimeout,
            () => Interlocked.Increment(ref binding.IsReplay ? ref _replayed : ref _calls)));
        return chain.Build();
    }
}
