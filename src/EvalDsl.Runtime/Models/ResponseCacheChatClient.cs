using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// The response cache, the outermost layer of a live binding's chain: one file per call key (the request, its sample
/// seed included, hashed with the model's identity), read unless the call is fresh, written when the reply is usable.
/// </summary>
internal sealed class ResponseCacheChatClient : DelegatingChatClient
{
    private readonly string _directory;
    private readonly Func<string, string> _clean;
    private readonly Action _hit;

    /// <param name="inner">The rest of the chain.</param>
    /// <param name="directory">The cache folder.</param>
    /// <param name="clean">Cleans a cached reply as a live one is (an entry written before a secret was configured, or by hand).</param>
    /// <param name="hit">Called for each call the cache answers.</param>
    public ResponseCacheChatClient(IChatClient inner, string directory, Func<string, string> clean, Action hit) : base(inner)
    {
        _directory = directory;
        _clean = clean;
        _hit = hit;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = ModelCall.Of(options);
        var path = Path.Combine(_directory, call.Key.Substring(0, 2), call.Key + ".json");
        if (!call.Fresh && TryRead(path, out var cached) && call.Accepts(cached))
        {
            _hit();
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, _clean(cached)));
        }
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        if (call.Accepts(response.Text)) Write(path, response.Text);
        return response;
    }

    private static bool TryRead(string path, out string text)
    {
        text = "";
        try
        {
            if (!File.Exists(path)) return false;
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            text = json.RootElement.GetProperty("reply").GetString() ?? "";
            return text.Length > 0;
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Write(string path, string text)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(temp, RuntimeJson.Reply(text), new UTF8Encoding(false));
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: a folder that cannot be written (a full disk) only costs calls, and
            // leaves no half-written temp file behind.
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
