using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Timeout;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The innermost layer of a binding's chain: runs each call through the binding's resilience pipeline
/// (<see cref="CallPipeline"/>), each attempt against the binding's own client, read by <see cref="ReplyReader"/>.
/// A call that gets no usable reply throws <see cref="ModelCallException"/> with the error the run reports.
/// </summary>
internal sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ModelBinding _binding;
    private readonly ResiliencePipeline<Attempt> _pipeline;
    private readonly ReplyReader _reader;
    private readonly TimeSpan _timeout;
    private readonly Action _attempted;

    /// <param name="inner">The binding's own client.</param>
    /// <param name="binding">The binding (named in fatal errors).</param>
    /// <param name="pipeline">The binding's pipeline.</param>
    /// <param name="reader">Reads each attempt's reply or exception.</param>
    /// <param name="timeout">The per-call timeout the pipeline applies (named in the timeout error).</param>
    /// <param name="attempted">Called as each attempt starts, in its concurrency slot.</param>
    public ResilientChatClient(IChatClient inner, ModelBinding binding, ResiliencePipeline<Attempt> pipeline, ReplyReader reader, TimeSpan timeout, Action attempted)
        : base(inner)
    {
        _binding = binding;
        _pipeline = pipeline;
        _reader = reader;
        _timeout = timeout;
        _attempted = attempted;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = ModelCall.Of(options);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static (context, state) => state.Self.AttemptAsync(context, state.Messages, state.Call),
                context,
                (Self: this, Messages: messages, Call: call)).ConfigureAwait(false);
            if (outcome.Exception is not (null or TimeoutRejectedException)) outcome.ThrowIfException();
            if (outcome.Result is { Text: { } text }) return new ChatResponse(new ChatMessage(ChatRole.Assistant, text));
            throw new ModelCallException(CallPipeline.Error(outcome, context, _timeout));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<Outcome<Attempt>> AttemptAsync(ResilienceContext context, IEnumerable<ChatMessage> messages, ModelCall call)
    {
        // A run that is stopping makes no more calls, and counts none.
        if (context.CancellationToken.IsCancellationRequested) return Polly.Outcome.FromException<Attempt>(new OperationCanceledException(context.CancellationToken));
        var attempt = context.Properties.GetValue(CallPipeline.Attempts, 0);
        context.Properties.Set(CallPipeline.Attempts, attempt + 1);
        _attempted();
        try
        {
            // The binding's client gets the request's own options, not the call that travels in them between the layers.
            var response = await InnerClient.GetResponseAsync(messages, call.Request.ToOptions(), context.CancellationToken).ConfigureAwait(false);
            return Polly.Outcome.FromResult(_reader.Read(response));
        }
        catch (OperationCanceledException ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            // Cancelled by neither the caller nor the timeout (a client's own time limit): an attempt without an answer in time.
            return Polly.Outcome.FromException<Attempt>(new TimeoutRejectedException(ex.Message, _timeout, ex));
        }
        catch (OperationCanceledException ex)
        {
            // The timeout strategy tells the timeout from the caller's cancellation.
            return Polly.Outcome.FromException<Attempt>(ex);
        }
        catch (Exception ex)
        {
            return _reader.Classify(_binding, ex, attempt);
        }
    }
}
