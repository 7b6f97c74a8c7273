using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.LanguageServer.Tests;

/// <summary>
/// A minimal LSP client written for the tests: it starts the real <c>evaldsl lsp</c> process and speaks JSON-RPC
/// over its standard input and output with <c>Content-Length</c> framing, byte for byte as an editor does.
/// </summary>
internal sealed class LspClient : IAsyncDisposable
{
    /// <summary>A guard against a hung server, not a timing assertion.</summary>
    public static readonly TimeSpan StepDeadline = TimeSpan.FromSeconds(60);

    private readonly RunningChild _child;
    private readonly Stream _input;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly List<JsonObject> _notifications = new();
    private readonly Task _reader;
    private readonly StringBuilder _stderr = new();
    private int _nextId;

    private LspClient(RunningChild child)
    {
        _child = child;
        _input = child.Process.StandardInput.BaseStream;
        _reader = Task.Run(ReadLoopAsync);
        _ = Task.Run(async () =>
        {
            string? line;
            while ((line = await child.StandardError.ReadLineAsync().ConfigureAwait(false)) is not null)
            {
                lock (_stderr) _stderr.AppendLine(line);
            }
        });
    }

    public static LspClient Start(string workingDirectory)
    {
        var start = ChildProcess.Describe("dotnet", workingDirectory, null, new[] { Path.Combine(AppContext.BaseDirectory, "evaldsl.dll"), "lsp", "--stdio" });
        return new LspClient(ChildProcess.Start(start));
    }

    public bool HasExited => _child.Process.HasExited;

    public int ExitCode => _child.ExitCode;

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    /// <summary>initialize (with <paramref name="root"/> as the workspace folder) and initialized; the result.</summary>
    public async Task<JsonObject> InitializeAsync(string root)
    {
        var uri = new Uri(root).AbsoluteUri;
        var result = await RequestAsync("initialize", new JsonObject
        {
            ["processId"] = null,
            ["rootUri"] = uri,
            ["capabilities"] = new JsonObject(),
            ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = uri, ["name"] = "specs" }),
        }).ConfigureAwait(false);
        await NotifyAsync("initialized", new JsonObject()).ConfigureAwait(false);
        return result;
    }

    public async Task<JsonObject> RequestAsync(string method, JsonNode? parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters }).ConfigureAwait(false);
        return await Deadline.WithinAsync(done.Task, StepDeadline, $"the answer to {method}; server stderr: {Stderr}").ConfigureAwait(false);
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public Task OpenAsync(string path, string text, int version = 1) =>
        NotifyAsync("textDocument/didOpen", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = new Uri(path).AbsoluteUri, ["languageId"] = "evaldsl", ["version"] = version, ["text"] = text },
        });

    /// <summary>Waits for the first publishDiagnostics of <paramref name="path"/> that matches, and returns its params.</summary>
    public async Task<JsonObject> DiagnosticsAsync(string path, Func<JsonObject, bool>? where = null)
    {
        var uri = new Uri(path).AbsoluteUri;
        JsonObject? found = null;
        await Deadline.UntilAsync(() =>
        {
            lock (_notifications)
            {
                found = _notifications
                    .Where(n => (string?)n["method"] == "textDocument/publishDiagnostics")
                    .Select(n => n["params"]!.AsObject())
                    .LastOrDefault(p => (string?)p["uri"] == uri && (where is null || where(p)));
            }
            return found is not null;
        }, StepDeadline, $"diagnostics for {Path.GetFileName(path)}; server stderr: {Stderr}").ConfigureAwait(false);
        return found!;
    }

    /// <summary>The diagnostics of <paramref name="path"/> for <paramref name="version"/>.</summary>
    public Task<JsonObject> DiagnosticsAsync(string path, int version) =>
        DiagnosticsAsync(path, p => (int?)p["version"] == version);

    public IReadOnlyList<JsonObject> Notifications(string method)
    {
        lock (_notifications) return _notifications.Where(n => (string?)n["method"] == method).ToList();
    }

    public async Task<int> ShutdownAsync()
    {
        await RequestAsync("shutdown", null).ConfigureAwait(false);
        await NotifyAsync("exit", null).ConfigureAwait(false);
        await _child.WaitAsync(StepDeadline, "evaldsl lsp to exit after shutdown and exit").ConfigureAwait(false);
        return _child.ExitCode;
    }

    /// <summary>Indented JSON, for whole-message assertions.</summary>
    public static string Show(JsonNode? node) => node is null ? "null" : node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\r\n", "\n");

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _input.WriteAsync(header).ConfigureAwait(false);
        await _input.WriteAsync(body).ConfigureAwait(false);
        await _input.FlushAsync().ConfigureAwait(false);
    }

    private async Task ReadLoopAsync()
    {
        var output = _child.StandardOutput.BaseStream;
        while (true)
        {
            var length = -1;
            while (true)
            {
                var line = await ReadHeaderLineAsync(output).ConfigureAwait(false);
                if (line is null) return;
                if (line.Length == 0) break;
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.Substring(15).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            var body = new byte[length];
            await output.ReadExactlyAsync(body).ConfigureAwait(false);
            var message = JsonNode.Parse(body)!.AsObject();
            if (message["id"] is { } id && message["method"] is null)
            {
                if (_pending.TryRemove((int)id, out var waiting)) waiting.TrySetResult(message);
            }
            else
            {
                lock (_notifications) _notifications.Add(message);
                // A request from the server (workspace/configuration, …) gets an empty answer, as a minimal client gives.
                if (message["id"] is { } requestId) await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = requestId.DeepClone(), ["result"] = null }).ConfigureAwait(false);
            }
        }
    }

    private static async Task<string?> ReadHeaderLineAsync(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one).ConfigureAwait(false);
            if (read == 0) return null;
            if (one[0] == '\n') return Encoding.ASCII.GetString(bytes.ToArray()).TrimEnd('\r');
            bytes.Add(one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _child.Dispose();
        try
        {
            await _reader.WaitAsync(StepDeadline).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }
}
