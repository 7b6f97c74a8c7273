using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using EvalDsl.LanguageServer.Protocol;
using StreamJsonRpc;
using LanguageDiagnostic = EvalDsl.Diagnostics.Diagnostic;
using LanguageSeverity = EvalDsl.Diagnostics.DiagnosticSeverity;

namespace EvalDsl.LanguageServer;

/// <summary>
/// The LSP methods, each a mapping from the protocol onto the workspace and the editor services of EvalDsl.Language.
/// Analysis runs on one background loop: a change marks the workspace dirty, and changes that arrive while an analysis
/// runs are folded into the next one (that is the debounce: no typing is ever analysed twice behind itself).
/// </summary>
internal sealed class EvalLanguageServer
{
    private readonly SpecWorkspace _workspace;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly HashSet<string> _published = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private JsonRpc? _rpc;
    private readonly object _compileGate = new();
    private (EvalCompilation Compilation, IReadOnlyDictionary<string, int> Versions)? _last;
    private bool _shutdown;
    private TimeSpan _debounce = TimeSpan.Zero;

    public EvalLanguageServer(SpecWorkspace workspace) => _workspace = workspace;

    /// <summary>Completes with the exit code when the client sends <c>exit</c>: 0 after <c>shutdown</c>, else 1 (as LSP says).</summary>
    public Task<int> Exited => _exit.Task;

    public void Attach(JsonRpc rpc) => _rpc = rpc;

    public Task RunAnalysisAsync(CancellationToken cancel) => Task.Run(() => AnalysisLoopAsync(cancel), cancel);

    [JsonRpcMethod("initialize", UseSingleObjectParameterDeserialization = true)]
    public InitializeResult Initialize(InitializeParams parameters)
    {
        var folders = parameters.WorkspaceFolders?.Select(f => PathOf(f.Uri)).ToList() ?? new List<string>();
        if (folders.Count == 0 && parameters.RootUri is { } root) folders.Add(PathOf(root));
        if (folders.Count == 0 && parameters.RootPath is { } rootPath) folders.Add(rootPath);
        foreach (var folder in folders) _workspace.AddRoot(folder);
        if (parameters.InitializationOptions is { ValueKind: JsonValueKind.Object } options &&
            options.TryGetProperty("debounceMilliseconds", out var debounce) && debounce.TryGetInt32(out var ms) && ms >= 0)
        {
            _debounce = TimeSpan.FromMilliseconds(ms);
        }

        // A JSON object rather than an anonymous one: its members need no reflection (the native build has none).
        return new InitializeResult(
            new JsonObject
            {
                ["positionEncoding"] = "utf-16",
                ["textDocumentSync"] = new JsonObject { ["openClose"] = true, ["change"] = 2, ["save"] = new JsonObject { ["includeText"] = false } },
                ["hoverProvider"] = true,
                ["completionProvider"] = new JsonObject { ["triggerCharacters"] = new JsonArray(" ", "{") },
                ["definitionProvider"] = true,
                ["referencesProvider"] = true,
                ["renameProvider"] = true,
                ["codeActionProvider"] = new JsonObject { ["codeActionKinds"] = new JsonArray("quickfix") },
                ["documentSymbolProvider"] = true,
                ["foldingRangeProvider"] = true,
                ["semanticTokensProvider"] = new JsonObject
                {
                    ["legend"] = new JsonObject { ["tokenTypes"] = new JsonArray(TokenTypes.Select(t => (JsonNode?)t).ToArray()), ["tokenModifiers"] = new JsonArray() },
                    ["full"] = true,
                },
                ["documentFormattingProvider"] = true,
            },
            new ServerInfo("evaldsl", typeof(EvalLanguageServer).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"));
    }

    [JsonRpcMethod("initialized")]
    public void Initialized() => Schedule();

    [JsonRpcMethod("shutdown")]
    public object? Shutdown()
    {
        _shutdown = true;
        return null;
    }

    [JsonRpcMethod("exit")]
    public void Exit() => _exit.TrySetResult(_shutdown ? 0 : 1);

    [JsonRpcMethod("textDocument/didOpen", UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(DidOpenTextDocumentParams parameters)
    {
        var item = parameters.TextDocument;
        _workspace.Open(new OpenDocument(item.Uri, PathOf(item.Uri), item.Version, item.Text));
        Schedule();
    }

    [JsonRpcMethod("textDocument/didChange", UseSingleObjectParameterDeserialization = true)]
    public void DidChange(DidChangeTextDocumentParams parameters)
    {
        var document = _workspace.Find(PathOf(parameters.TextDocument.Uri));
        if (document is null) return;
        lock (document) document.Apply(parameters.TextDocument.Version, parameters.ContentChanges);
        Schedule();
    }

    [JsonRpcMethod("textDocument/didClose", UseSingleObjectParameterDeserialization = true)]
    public void DidClose(DidCloseTextDocumentParams parameters)
    {
        _workspace.Close(PathOf(parameters.TextDocument.Uri));
        Schedule();
    }

    [JsonRpcMethod("textDocument/didSave", UseSingleObjectParameterDeserialization = true)]
    public void DidSave(DidSaveTextDocumentParams parameters)
    {
        // The open text is what is analysed; a save can change what .editorconfig or the folder listing say.
        _workspace.Invalidate(PathOf(parameters.TextDocument.Uri));
        Schedule();
    }

    [JsonRpcMethod("workspace/didChangeWatchedFiles")]
    public void DidChangeWatchedFiles(JsonElement changes)
    {
        if (changes.ValueKind == JsonValueKind.Object && changes.TryGetProperty("changes", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var change in list.EnumerateArray())
            {
                if (change.TryGetProperty("uri", out var uri) && uri.GetString() is { } u) _workspace.Invalidate(PathOf(u));
            }
        }
        Schedule();
    }

    [JsonRpcMethod("textDocument/hover", UseSingleObjectParameterDeserialization = true)]
    public Hover? Hover(TextDocumentPositionParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        var hover = EditorServices.Hover(Current(path), path, parameters.Position.Line + 1, parameters.Position.Character + 1);
        return hover is null ? null : new Hover(new MarkupContent("markdown", hover.Markdown), RangeOf(hover.Range));
    }

    [JsonRpcMethod("textDocument/completion", UseSingleObjectParameterDeserialization = true)]
    public CompletionList Completion(TextDocumentPositionParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        var items = EditorServices.Complete(Current(path), path, parameters.Position.Line + 1, parameters.Position.Character + 1);
        return new CompletionList(false, items.Select((c, i) => new CompletionItem(
            c.Label,
            c.Kind switch
            {
                EditorCompletionKind.Keyword => 14,
                EditorCompletionKind.Behavior => 3,
                EditorCompletionKind.Persona => 6,
                EditorCompletionKind.DataSet => 7,
                EditorCompletionKind.Column => 5,
                _ => 20,
            },
            c.Detail,
            new TextEdit(RangeOf(c.Range), c.Label),
            i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))).ToList());
    }

    [JsonRpcMethod("textDocument/definition", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<LspLocation> Definition(TextDocumentPositionParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        return EditorServices.Definition(Current(path), path, parameters.Position.Line + 1, parameters.Position.Character + 1).Select(LocationOf).ToList();
    }

    [JsonRpcMethod("textDocument/references", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<LspLocation> References(ReferenceParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        return EditorServices.References(Current(path), path, parameters.Position.Line + 1, parameters.Position.Character + 1, parameters.Context?.IncludeDeclaration ?? true)
            .Select(LocationOf).ToList();
    }

    [JsonRpcMethod("textDocument/rename", UseSingleObjectParameterDeserialization = true)]
    public WorkspaceEdit? Rename(RenameParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        var edits = EditorServices.Rename(Current(path), path, parameters.Position.Line + 1, parameters.Position.Character + 1, parameters.NewName);
        if (edits is null)
        {
            throw new LocalRpcException($"'{parameters.NewName}' cannot be written there, or nothing that can be renamed is there.") { ErrorCode = -32803 };
        }
        return Edit(edits);
    }

    [JsonRpcMethod("textDocument/codeAction", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<CodeAction> CodeAction(CodeActionParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        var compilation = Current(path);
        var first = parameters.Range.Start.Line + 1;
        var last = parameters.Range.End.Line + 1;
        var actions = new List<CodeAction>();
        foreach (var diagnostic in compilation.Diagnostics.Where(d => d.Location.Path == path && d.Location.Line <= last && d.Location.EndLine >= first))
        {
            foreach (var action in EditorServices.CodeActions(compilation, diagnostic))
            {
                actions.Add(new CodeAction(action.Title, "quickfix", new[] { ToLsp(diagnostic) }, action.IsPreferred ? true : null, Edit(action.Edits)));
            }
        }
        return actions;
    }

    /// <summary>The LSP token type of each <see cref="EditorTokenKind"/>, in the enum's order.</summary>
    internal static readonly string[] TokenTypes = { "keyword", "string", "number", "regexp", "comment", "function", "variable", "type", "enumMember", "property" };

    [JsonRpcMethod("textDocument/documentSymbol", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<DocumentSymbol> DocumentSymbol(TextDocumentParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        return EditorServices.Symbols(Current(path), path).Select(ToLsp).ToList();
    }

    [JsonRpcMethod("textDocument/foldingRange", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<FoldingRange> FoldingRange(TextDocumentParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        // The fold ends on the line before the closing brace, so that the brace stays in sight (as editors fold braces).
        return EditorServices.FoldingRanges(Current(path), path)
            .Select(r => new FoldingRange(r.Line - 1, r.EndLine - 2, "region"))
            .Where(f => f.EndLine > f.StartLine)
            .ToList();
    }

    [JsonRpcMethod("textDocument/semanticTokens/full", UseSingleObjectParameterDeserialization = true)]
    public SemanticTokens SemanticTokensFull(TextDocumentParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        var data = new List<int>();
        int line = 0, character = 0;
        foreach (var token in EditorServices.SemanticTokens(Current(path), path))
        {
            var l = token.Range.Line - 1;
            var c = token.Range.Column - 1;
            data.Add(l - line);
            data.Add(l == line ? c - character : c);
            data.Add(token.Range.EndColumn - token.Range.Column);
            data.Add((int)token.Kind);
            data.Add(0);
            line = l;
            character = c;
        }
        return new SemanticTokens(data);
    }

    [JsonRpcMethod("textDocument/formatting", UseSingleObjectParameterDeserialization = true)]
    public IReadOnlyList<TextEdit> Formatting(TextDocumentParams parameters)
    {
        var path = PathOf(parameters.TextDocument.Uri);
        var document = _workspace.Find(path);
        if (document is null) return Array.Empty<TextEdit>();
        string text;
        lock (document) text = document.Text;
        // The formatter of evaldsl fmt: a file with a syntax error comes back unchanged, and so gets no edit.
        var formatted = EvalDsl.Formatting.SpecFormatter.Format(text);
        if (formatted == text) return Array.Empty<TextEdit>();
        return new[] { new TextEdit(new LspRange(new Position(0, 0), document.EndPosition()), formatted) };
    }

    private static DocumentSymbol ToLsp(EditorSymbol symbol) => new(
        symbol.Name.Length == 0 ? "(untitled)" : symbol.Name,
        symbol.Kind switch
        {
            EditorSymbolKind.Suite => 2,
            EditorSymbolKind.Case => 6,
            EditorSymbolKind.Behavior => 12,
            EditorSymbolKind.Persona => 13,
            _ => 18,
        },
        RangeOf(symbol.Range),
        RangeOf(symbol.SelectionRange),
        symbol.Children.Select(ToLsp).ToList());

    /// <summary>The compilation of the document's current text: the last analysis when it saw this version, else a new one.</summary>
    private EvalCompilation Current(string path)
    {
        lock (_compileGate)
        {
            var version = _workspace.VersionOf(path);
            if (_last is { } last && (version is null || (last.Versions.TryGetValue(path, out var seen) && seen == version))) return last.Compilation;
            var (compilation, _, versions) = _workspace.Compile();
            _last = (compilation, versions);
            return compilation;
        }
    }

    private WorkspaceEdit Edit(IEnumerable<EditorTextEdit> edits) => new(edits
        .GroupBy(e => e.Range.Path)
        .ToDictionary(g => _workspace.UriOf(g.Key), g => (IReadOnlyList<TextEdit>)g.Select(e => new TextEdit(RangeOf(e.Range), e.NewText)).ToList()));

    private LspLocation LocationOf(Text.SourceLocation location) => new(_workspace.UriOf(location.Path), RangeOf(location));

    private void Schedule() => _dirty.Writer.TryWrite(true);

    private async Task AnalysisLoopAsync(CancellationToken cancel)
    {
        while (await _dirty.Reader.WaitToReadAsync(cancel).ConfigureAwait(false))
        {
            if (_debounce > TimeSpan.Zero) await Task.Delay(_debounce, cancel).ConfigureAwait(false);
            _dirty.Reader.TryRead(out _);
            try
            {
                await AnalyseAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The front end never throws on any input; should it, the editor hears of it and the loop goes on.
                await LogAsync($"evaldsl: internal error while analysing: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            }
        }
    }

    private async Task AnalyseAsync()
    {
        EvalCompilation compilation;
        IReadOnlyList<string> paths;
        IReadOnlyDictionary<string, int> versions;
        lock (_compileGate)
        {
            (compilation, paths, versions) = _workspace.Compile();
            _last = (compilation, versions);
        }
        var byPath = compilation.Diagnostics.GroupBy(d => d.Location.Path).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var publish = new List<string>();
        foreach (var path in paths)
        {
            // An open file is always published (its squiggles follow its version); another only when it has something, or had.
            if (byPath.ContainsKey(path) || versions.ContainsKey(path) || _published.Contains(path)) publish.Add(path);
        }
        foreach (var path in byPath.Keys)
        {
            if (!publish.Contains(path)) publish.Add(path);
        }
        foreach (var stale in _published.Where(p => !publish.Contains(p)).ToList()) publish.Add(stale);

        foreach (var path in publish)
        {
            var list = byPath.TryGetValue(path, out var found) ? found : new List<LanguageDiagnostic>();
            if (list.Count > 0) _published.Add(path); else _published.Remove(path);
            var message = new PublishDiagnosticsParams(
                _workspace.UriOf(path),
                versions.TryGetValue(path, out var v) ? v : null,
                list.Select(ToLsp).ToList());
            await LspJson.NotifyAsync(_rpc!, "textDocument/publishDiagnostics", message).ConfigureAwait(false);
        }
    }

    private Task LogAsync(string message) =>
        LspJson.NotifyAsync(_rpc!, "window/logMessage", new LogMessageParams(1, message));

    internal LspDiagnostic ToLsp(LanguageDiagnostic d) => new(
        RangeOf(d.Location),
        d.Severity switch
        {
            LanguageSeverity.Error => 1,
            LanguageSeverity.Warning => 2,
            LanguageSeverity.Info => 3,
            _ => 4,
        },
        d.Id,
        new CodeDescription(d.Descriptor.HelpLink),
        "evaldsl",
        d.Message,
        d.RelatedLocations.Count == 0 ? null : d.RelatedLocations.Select(r => new DiagnosticRelatedInformation(LocationOf(r.Location), r.Message)).ToList());

    /// <summary>The compiler counts lines and UTF-16 columns from 1, LSP from 0; the end stays exclusive.</summary>
    internal static LspRange RangeOf(Text.SourceLocation l) =>
        new(new Position(l.Line - 1, l.Column - 1), new Position(l.EndLine - 1, l.EndColumn - 1));

    internal static string PathOf(string uri)
    {
        if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile) return Path.GetFullPath(parsed.LocalPath);
        return uri;
    }
}
