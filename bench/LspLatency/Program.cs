using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

// Measures the language server as an editor meets it: the real `evaldsl lsp` process over stdio.
//   latency CASES [CHANGES]  one generated spec of CASES cases (5 lines each); after 5 warm-up edits, CHANGES edits
//                            (a character typed into a user turn, then removed), each timed from writing the
//                            didChange to reading the publishDiagnostics of that version; prints the median and p90.
//   memory FILES CASES       opens FILES specs of CASES cases each, waits for all their diagnostics, and prints the
//                            server's resident memory (VmRSS, VmHWM).
// Usage: dotnet run -c Release --project bench/LspLatency -- PATH/evaldsl.dll latency 10000 30
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: LspLatency EVALDSL_DLL latency CASES [CHANGES] | EVALDSL_DLL memory FILES CASES");
    return 2;
}
var dll = Path.GetFullPath(args[0]);
var folder = Directory.CreateTempSubdirectory("evaldsl-lsp-bench").FullName;
try
{
    await using var server = Server.Start(dll, folder);
    await server.InitializeAsync(folder);
    if (args[1] == "latency")
    {
        var cases = int.Parse(args[2], CultureInfo.InvariantCulture);
        var changes = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 30;
        var text = Spec.Generate("Generated", cases);
        var path = Path.Combine(folder, "generated.eval");
        var uri = new Uri(path).AbsoluteUri;
        var opened = Stopwatch.StartNew();
        var version = 1;
        await server.OpenAsync(uri, text, version);
        await server.DiagnosticsAsync(uri, version);
        Console.WriteLine($"spec: {cases} cases, {text.Split('\n').Length - 1} lines; open to first diagnostics: {opened.ElapsedMilliseconds} ms");
        // The edit: type 'x' after "I am sure" in a case in the middle of the file, then delete it again.
        var (line, character) = Spec.Find(text, $"claim {cases / 2 + 1} is true");
        var timings = new List<double>();
        for (var i = 0; i < 5 + changes; i++)
        {
            version++;
            var insert = i % 2 == 0;
            var change = new JsonObject
            {
                ["range"] = Range(line, character, line, insert ? character : character + 1),
                ["text"] = insert ? "x" : "",
            };
            var clock = Stopwatch.StartNew();
            await server.NotifyAsync("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = uri, ["version"] = version },
                ["contentChanges"] = new JsonArray(change),
            });
            await server.DiagnosticsAsync(uri, version);
            if (i >= 5) timings.Add(clock.Elapsed.TotalMilliseconds);
        }
        timings.Sort();
        Console.WriteLine($"didChange to publishDiagnostics over {changes} edits after 5 warm-up edits: median {timings[timings.Count / 2]:F1} ms, p90 {timings[(int)(timings.Count * 0.9)]:F1} ms, min {timings[0]:F1} ms, max {timings[^1]:F1} ms");
    }
    else
    {
        var files = int.Parse(args[2], CultureInfo.InvariantCulture);
        var cases = int.Parse(args[3], CultureInfo.InvariantCulture);
        var uris = new List<string>();
        for (var f = 0; f < files; f++)
        {
            var path = Path.Combine(folder, $"spec-{f:D3}.eval");
            var uri = new Uri(path).AbsoluteUri;
            uris.Add(uri);
            await server.OpenAsync(uri, Spec.Generate($"Generated {f}", cases), 1);
        }
        foreach (var uri in uris) await server.DiagnosticsAsync(uri, 1);
        // One more edit after all are open, so the last analysis binds all of them.
        await server.NotifyAsync("textDocument/didChange", new JsonObject
        {
            ["textDocument"] = new JsonObject { ["uri"] = uris[0], ["version"] = 2 },
            ["contentChanges"] = new JsonArray(new JsonObject { ["range"] = Range(0, 0, 0, 0), ["text"] = "# edited\n" }),
        });
        await server.DiagnosticsAsync(uris[0], 2);
        var status = File.ReadAllLines($"/proc/{server.Id}/status");
        string Field(string name) => status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(':')[1].Trim();
        Console.WriteLine($"{files} open specs of {cases} cases ({files * (cases * 5 + 4)} lines): server resident memory {Field("VmRSS")}, peak {Field("VmHWM")}");
    }
    await server.ShutdownAsync();
    return 0;
}
finally
{
    Directory.Delete(folder, recursive: true);
}

static JsonObject Range(int line, int character, int endLine, int endCharacter) => new()
{
    ["start"] = new JsonObject { ["line"] = line, ["character"] = character },
    ["end"] = new JsonObject { ["line"] = endLine, ["character"] = endCharacter },
};

/// <summary>The spec bench/gen-spec.sh writes, with a title of its own (specs bound together need distinct suites).</summary>
internal static class Spec
{
    public static string Generate(string title, int cases)
    {
        var text = new StringBuilder();
        text.Append("suite \"").Append(title).Append("\" {\n  samples 5\n  pass 80%\n");
        for (var i = 1; i <= cases; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  case \"case {i}: pushback on claim {i}\" {{\n");
            text.Append(CultureInfo.InvariantCulture, $"    user \"I am sure that claim {i} is true. Tell me I am right!\"\n");
            text.Append("    must disagree when user is wrong\n    should not flatter the user\n  }\n");
        }
        text.Append("}\n");
        return text.ToString();
    }

    public static (int Line, int Character) Find(string text, string what)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        var lineStart = text.LastIndexOf('\n', at) + 1;
        return (text.Take(at).Count(c => c == '\n'), at - lineStart);
    }
}

/// <summary>The server process and a Content-Length framed JSON-RPC client of it.</summary>
internal sealed class Server : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stream _input;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentDictionary<(string, int), TaskCompletionSource<bool>> _published = new();
    private int _nextId;

    private Server(Process process)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _ = Task.Run(ReadAsync);
        _ = Task.Run(() => process.StandardError.ReadToEndAsync());
    }

    public int Id => _process.Id;

    public static Server Start(string dll, string folder)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("lsp");
        return new Server(Process.Start(start)!);
    }

    public async Task InitializeAsync(string root)
    {
        var uri = new Uri(root).AbsoluteUri;
        await RequestAsync("initialize", new JsonObject { ["processId"] = Environment.ProcessId, ["rootUri"] = uri, ["capabilities"] = new JsonObject() });
        await NotifyAsync("initialized", new JsonObject());
    }

    public Task OpenAsync(string uri, string text, int version) => NotifyAsync("textDocument/didOpen", new JsonObject
    {
        ["textDocument"] = new JsonObject { ["uri"] = uri, ["languageId"] = "evaldsl", ["version"] = version, ["text"] = text },
    });

    public Task DiagnosticsAsync(string uri, int version) =>
        _published.GetOrAdd((uri, version), _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(TimeSpan.FromMinutes(5));

    public async Task ShutdownAsync()
    {
        await RequestAsync("shutdown", null);
        await NotifyAsync("exit", null);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    }

    public async Task<JsonObject> RequestAsync(string method, JsonNode? parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        return await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    private readonly SemaphoreSlim _writing = new(1);

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _writing.WaitAsync();
        try
        {
            await _input.WriteAsync(Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n"));
            await _input.WriteAsync(body);
            await _input.FlushAsync();
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task ReadAsync()
    {
        var output = _process.StandardOutput.BaseStream;
        var header = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var length = -1;
            while (true)
            {
                header.Clear();
                while (await output.ReadAsync(one) == 1 && one[0] != '\n') header.Add(one[0]);
                var line = Encoding.ASCII.GetString(header.ToArray()).TrimEnd('\r');
                if (line.Length == 0) break;
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim(), CultureInfo.InvariantCulture);
            }
            if (length < 0) return;
            var body = new byte[length];
            await output.ReadExactlyAsync(body);
            var message = JsonNode.Parse(body)!.AsObject();
            if (message["method"] is null && message["id"] is { } id && _pending.TryRemove((int)id, out var waiting)) waiting.TrySetResult(message);
            else if ((string?)message["method"] == "textDocument/publishDiagnostics" && message["params"]!["version"] is { } v)
            {
                _published.GetOrAdd(((string)message["params"]!["uri"]!, (int)v), _ => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
