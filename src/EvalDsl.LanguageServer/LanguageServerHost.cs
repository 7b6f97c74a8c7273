using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.LanguageServer.Protocol;
using StreamJsonRpc;

namespace EvalDsl.LanguageServer;

/// <summary>Runs the EvalDsl language server (LSP 3.17, JSON-RPC with <c>Content-Length</c> framing) over two streams.</summary>
public static class LanguageServerHost
{
    /// <summary>
    /// Serves one client until it sends <c>exit</c> or closes <paramref name="input"/>.
    /// </summary>
    /// <param name="input">What the client writes (standard input).</param>
    /// <param name="output">What the client reads (standard output); nothing else may write to it.</param>
    /// <param name="options">
    /// The compilation options for the spec paths bound together (data files, used files, <c>.editorconfig</c>
    /// severities), as <c>evaldsl check</c> would build them for those paths.
    /// </param>
    /// <param name="cancel">Stops the server.</param>
    /// <returns>0 after <c>shutdown</c> and <c>exit</c>; 1 when the client exits without <c>shutdown</c> or goes away.</returns>
    public static async Task<int> RunAsync(Stream input, Stream output, Func<IReadOnlyList<string>, EvalCompilationOptions> options, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        var server = new EvalLanguageServer(new SpecWorkspace(options));
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = Json.Options };
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, formatter));
        rpc.AddLocalRpcTarget(server, new JsonRpcTargetOptions { AllowNonPublicInvocation = false });
        server.Attach(rpc);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        rpc.StartListening();
        var analysis = server.RunAnalysisAsync(stop.Token);
        var done = await Task.WhenAny(server.Exited, rpc.Completion).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await analysis.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return done == server.Exited ? await server.Exited.ConfigureAwait(false) : 1;
    }
}
