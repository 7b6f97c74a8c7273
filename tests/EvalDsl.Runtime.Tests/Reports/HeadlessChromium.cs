using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace EvalDsl.Runtime.Tests.Reports;

/// <summary>
/// A headless Chromium started for one test, driven over the Chrome DevTools Protocol with nothing but
/// <see cref="ClientWebSocket"/> (no npm, no driver). Disposing it kills the browser and deletes its profile.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where Debian's <c>chromium</c> package installs the browser (CI installs it in <c>.ci/setup</c>).</summary>
    public const string DefaultPath = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly StringBuilder _stderr = new();

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's DevTools endpoint, <c>ws://127.0.0.1:PORT/devtools/browser/…</c>.</summary>
    public Uri BrowserEndpoint { get; private set; } = null!;

    /// <summary>What the browser wrote to stderr so far (for failure messages).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>The browser to use: <c>EVALDSL_CHROMIUM</c> when set, else <see cref="DefaultPath"/>.</summary>
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("EVALDSL_CHROMIUM") is { Length: > 0 } path ? path : DefaultPath;

    /// <summary>Starts the browser on about:blank with a fresh profile and a DevTools port the OS picks.</summary>
    public static async Task<HeadlessChromium> StartAsync(string executable, CancellationToken cancellationToken)
    {
        var profile = Path.Combine(Path.GetTempPath(), "evaldsl-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
            "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var browser = new HeadlessChromium(process, profile);
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (browser._stderr)
            {
                browser._stderr.AppendLine(e.Data);
            }

            var match = DevToolsLine().Match(e.Data);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => listening.TrySetException(
            new InvalidOperationException($"chromium exited (code {SafeExitCode(process)}) before it listened:\n{browser.Stderr}"));

        try
        {
            process.Start();
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            using (cancellationToken.Register(() => listening.TrySetCanceled(cancellationToken)))
            {
                browser.BrowserEndpoint = await listening.Task.ConfigureAwait(false);
            }
        }
        catch
        {
            await browser.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return browser;
    }

    /// <summary>Connects to the first page target (the about:blank tab the browser opened).</summary>
    public async Task<CdpSession> ConnectToPageAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var list = new Uri($"http://127.0.0.1:{BrowserEndpoint.Port}/json/list");
        while (true)
        {
            var json = await http.GetStringAsync(list, cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(json);
            foreach (var target in document.RootElement.EnumerateArray())
            {
                if (target.GetProperty("type").GetString() == "page" &&
                    target.TryGetProperty("webSocketDebuggerUrl", out var url) && url.GetString() is { } ws)
                {
                    return await CdpSession.ConnectAsync(new Uri(ws), cancellationToken).ConfigureAwait(false);
                }
            }

            // The tab may not be registered yet right after start-up.
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        catch (OperationCanceledException)
        {
            // leave it; the profile deletion below may then fail and is retried
        }
        finally
        {
            _process.Dispose();
        }

        for (var attempt = 0; attempt < 10 && Directory.Exists(_profile); attempt++)
        {
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    private static string SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "?";
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}

/// <summary>One CDP event: its method and parameters.</summary>
internal sealed record CdpEvent(string Method, JsonElement Params)
{
    public override string ToString() => Method + " " + Params.GetRawText();
}

/// <summary>A DevTools Protocol connection to one target: commands with replies, and every event received.</summary>
internal sealed class CdpSession : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly List<CdpEvent> _events = new();
    private readonly List<(string Method, TaskCompletionSource<CdpEvent> Waiter)> _waiters = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private CdpSession(ClientWebSocket socket) => _socket = socket;

    /// <summary>Every event received so far, in order.</summary>
    public IReadOnlyList<CdpEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    public static async Task<CdpSession> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var session = new CdpSession(socket);
        session._receiving = Task.Run(session.ReceiveLoopAsync);
        return session;
    }

    /// <summary>Sends a command and returns its <c>result</c>; a CDP error becomes an exception.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters ?? new Dictionary<string, object?>(),
        });
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }

        using (cancellationToken.Register(() => reply.TrySetCanceled(cancellationToken)))
        {
            return await reply.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Registers now for the next event named <paramref name="method"/>; await the task after triggering it.</summary>
    public Task<CdpEvent> NextEventAsync(string method, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<CdpEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_events)
        {
            _waiters.Add((method, waiter));
        }

        cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return waiter.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // closing
        }
        finally
        {
            var closed = new InvalidOperationException("The DevTools connection closed.");
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(closed);
            }

            lock (_events)
            {
                foreach (var (_, waiter) in _waiters)
                {
                    waiter.TrySetException(closed);
                }
            }
        }
    }

    private void Dispatch(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt32(out var id))
        {
            if (_pending.TryRemove(id, out var reply))
            {
                if (root.TryGetProperty("error", out var error))
                {
                    reply.TrySetException(new InvalidOperationException("CDP error: " + error.GetRawText()));
                }
                else
                {
                    reply.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
            }

            return;
        }

        if (root.TryGetProperty("method", out var methodElement) && methodElement.GetString() is { } method)
        {
            var evt = new CdpEvent(method, root.TryGetProperty("params", out var p) ? p.Clone() : default);
            lock (_events)
            {
                _events.Add(evt);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Method == method)
                    {
                        _waiters[i].Waiter.TrySetResult(evt);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // the browser may already be gone
        }

        _socket.Dispose();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
