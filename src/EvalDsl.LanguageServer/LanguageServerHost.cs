using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
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
        using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(output, input, Formatter()));
        rpc.AddLocalRpcTarget(Methods(), server, new JsonRpcTargetOptions { AllowNonPublicInvocation = false });
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

    // The formatter is marked as needing reflection because it serializes whatever it is handed by reflection unless
    // its options resolve the types; here they resolve every message from LspJson's compile-time metadata (no fallback),
    // which is what the native (AOT) build of evaldsl needs, and every build uses the same.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Every message type has source-generated metadata in LspJson.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Every message type has source-generated metadata in LspJson.")]
    private static SystemTextJsonFormatter Formatter() => new() { JsonSerializerOptions = Json.Options };

    // The [JsonRpcMethod] methods of the server, read from its type (whose public methods the trimmer keeps, since the
    // type is named here). StreamJsonRpc marks this as needing run-time generic code for generic methods and Task<T>
    // results; the server has neither (every method is synchronous and non-generic).
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "EvalLanguageServer's RPC methods are synchronous and non-generic.")]
    private static RpcTargetMetadata Methods() => RpcTargetMetadata.FromClass(typeof(EvalLanguageServer));
}
