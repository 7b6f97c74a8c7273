using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

// The LSP 3.17 messages this server reads and writes, as plain records: no LSP type package is served here, and
// the server needs only these. Property names are camel-cased by the formatter's options; null members are left out.
namespace EvalDsl.LanguageServer.Protocol;

internal sealed record Position(int Line, int Character);

internal sealed record LspRange(Position Start, Position End);

internal sealed record LspLocation(string Uri, LspRange Range);

internal sealed record TextDocumentIdentifier(string Uri);

internal sealed record VersionedTextDocumentIdentifier(string Uri, int Version);

internal sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text);

internal sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument);

internal sealed record TextDocumentContentChangeEvent(LspRange? Range, string Text);

internal sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, IReadOnlyList<TextDocumentContentChangeEvent> ContentChanges);

internal sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record DidSaveTextDocumentParams(TextDocumentIdentifier TextDocument, string? Text);

internal sealed record TextDocumentPositionParams(TextDocumentIdentifier TextDocument, Position Position);

internal sealed record CodeDescription(string Href);

internal sealed record DiagnosticRelatedInformation(LspLocation Location, string Message);

internal sealed record LspDiagnostic(
    LspRange Range,
    int Severity,
    string Code,
    CodeDescription? CodeDescription,
    string Source,
    string Message,
    IReadOnlyList<DiagnosticRelatedInformation>? RelatedInformation);

internal sealed record PublishDiagnosticsParams(string Uri, int? Version, IReadOnlyList<LspDiagnostic> Diagnostics);

internal sealed record WorkspaceFolder(string Uri, string Name);

internal sealed record InitializeParams(
    int? ProcessId,
    string? RootUri,
    string? RootPath,
    IReadOnlyList<WorkspaceFolder>? WorkspaceFolders,
    JsonElement? InitializationOptions);

internal sealed record ServerInfo(string Name, string Version);

internal sealed record InitializeResult(object Capabilities, ServerInfo ServerInfo);

internal sealed record MarkupContent(string Kind, string Value);

internal sealed record Hover(MarkupContent Contents, LspRange? Range);

internal sealed record CompletionItem(string Label, int Kind, string? Detail, TextEdit? TextEdit, string? SortText);

internal sealed record CompletionList(bool IsIncomplete, IReadOnlyList<CompletionItem> Items);

internal sealed record TextEdit(LspRange Range, string NewText);

internal sealed record WorkspaceEdit(IReadOnlyDictionary<string, IReadOnlyList<TextEdit>> Changes);

internal sealed record ReferenceContext(bool IncludeDeclaration);

internal sealed record ReferenceParams(TextDocumentIdentifier TextDocument, Position Position, ReferenceContext? Context);

internal sealed record RenameParams(TextDocumentIdentifier TextDocument, Position Position, string NewName);

internal sealed record CodeActionContext(IReadOnlyList<LspDiagnostic> Diagnostics);

internal sealed record CodeActionParams(TextDocumentIdentifier TextDocument, LspRange Range, CodeActionContext Context);

internal sealed record CodeAction(string Title, string Kind, IReadOnlyList<LspDiagnostic>? Diagnostics, bool? IsPreferred, WorkspaceEdit Edit);

internal sealed record TextDocumentParams(TextDocumentIdentifier TextDocument);

internal sealed record DocumentSymbol(string Name, int Kind, LspRange Range, LspRange SelectionRange, IReadOnlyList<DocumentSymbol> Children);

internal sealed record FoldingRange(int StartLine, int EndLine, string Kind);

internal sealed record SemanticTokens(IReadOnlyList<int> Data);

/// <summary>What the formatter writes: camel case, nulls left out.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = LspJson.Default,
    };
}
