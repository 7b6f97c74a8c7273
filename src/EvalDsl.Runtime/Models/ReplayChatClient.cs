using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>An <see cref="IChatClient"/> that answers from a recording and never calls a live model; a request that was not recorded fails with <see cref="ReplayMissException"/>.</summary>
internal sealed class ReplayChatClient : IChatClient
{
    private readonly ReplayStore _store;

    public ReplayChatClient(ReplayStore store) => _store = store;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = ModelRequest.From(messages, options);
        if (!_store.TryGet(request, out var reply))
        {
            throw new ReplayMissException($"the recording {_store.Source} has no reply for this request ({_store.Count} exchanges recorded); the spec or the conversation changed since it was recorded, so record it again with --record");
        }
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { ModelId = "replay" });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { }
}
