using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>Records every usable reply of a binding with its request (<c>--record DIR</c>), so that <c>replay:DIR/NAME</c> can serve it.</summary>
internal sealed class RecordingChatClient : DelegatingChatClient
{
    private readonly string _folder;
    private readonly Func<Recorder> _recorder;

    /// <param name="inner">The rest of the chain.</param>
    /// <param name="folder">The binding's recording folder, as messages name it.</param>
    /// <param name="recorder">The binding's recorder, made at its first reply (the folder is created then).</param>
    public RecordingChatClient(IChatClient inner, string folder, Func<Recorder> recorder) : base(inner)
    {
        _folder = folder;
        _recorder = recorder;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = ModelCall.Of(options);
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (!call.Accepts(response.Text)) return response;
        try
        {
            _recorder().Append(call.Request, response.Text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A recording that misses replies cannot be replayed: stop rather than spend calls that would be lost.
            throw new ModelFatalException($"cannot write the recording {_folder}: {FileErrors.Reason(ex)}");
        }
        return response;
    }
}
