using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models.Batch;

/// <summary>
/// The innermost layer of a live binding's chain under <c>--batch</c>, in place of <see cref="ResilientChatClient"/>:
/// the call waits for its batch round (<see cref="BatchDispatcher"/>). The response cache and the recording sit above
/// it, so a cached call never goes into a batch and every batch answer is cached and recorded as a direct one is.
/// </summary>
internal sealed class BatchChatClient : DelegatingChatClient
{
    private readonly BatchDispatcher _dispatcher;

    public BatchChatClient(IChatClient inner, BatchDispatcher dispatcher) : base(inner) => _dispatcher = dispatcher;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var attempt = await _dispatcher.AskAsync(ModelCall.Of(options), cancellationToken).ConfigureAwait(false);
        if (attempt.Text is { } text) return new ChatResponse(new ChatMessage(ChatRole.Assistant, text));
        throw new ModelCallException(attempt.Error ?? "no reply");
    }
}
