using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Threading.Tasks;
using StreamJsonRpc;

namespace EvalDsl.LanguageServer.Protocol;

/// <summary>
/// Compile-time JSON metadata of every message the server reads and writes (camel case, nulls left out, as
/// <see cref="Json.Options"/>). The native (AOT) build of evaldsl has no reflection-based serialization, and every
/// build uses this metadata, so a message type missing here fails the language server tests, not only the native tool.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(DidOpenTextDocumentParams))]
[JsonSerializable(typeof(DidChangeTextDocumentParams))]
[JsonSerializable(typeof(DidCloseTextDocumentParams))]
[JsonSerializable(typeof(DidSaveTextDocumentParams))]
[JsonSerializable(typeof(TextDocumentPositionParams))]
[JsonSerializable(typeof(Hover))]
[JsonSerializable(typeof(CompletionList))]
[JsonSerializable(typeof(IReadOnlyList<LspLocation>))]
[JsonSerializable(typeof(ReferenceParams))]
[JsonSerializable(typeof(RenameParams))]
[JsonSerializable(typeof(WorkspaceEdit))]
[JsonSerializable(typeof(CodeActionParams))]
[JsonSerializable(typeof(IReadOnlyList<CodeAction>))]
[JsonSerializable(typeof(TextDocumentParams))]
[JsonSerializable(typeof(IReadOnlyList<DocumentSymbol>))]
[JsonSerializable(typeof(IReadOnlyList<FoldingRange>))]
[JsonSerializable(typeof(SemanticTokens))]
[JsonSerializable(typeof(IReadOnlyList<TextEdit>))]
[JsonSerializable(typeof(PublishDiagnosticsParams))]
[JsonSerializable(typeof(LogMessageParams))]
internal sealed partial class LspJson : JsonSerializerContext
{
    /// <summary>
    /// Sends a notification whose params are <paramref name="parameters"/>, one object. StreamJsonRpc marks the call as
    /// reflecting over the untyped argument; its System.Text.Json formatter writes it with the options' metadata,
    /// which is this context's (the native tool's language server test sends and compares these notifications).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The formatter serializes the argument with LspJson's source-generated metadata.")]
    public static Task NotifyAsync<T>(JsonRpc rpc, string method, T parameters)
        where T : class => rpc.NotifyWithParameterObjectAsync(method, parameters);
}

/// <summary><c>window/logMessage</c>'s parameters (type 1 is an error).</summary>
internal sealed record LogMessageParams(int Type, string Message);
