using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace EvalDsl.Testing;

/// <summary>How a hostile or broken model server answers a chat request (see <see cref="LoopbackModelServer.RegisterHostile"/>).</summary>
public enum HostileReply
{
    /// <summary>HTTP 200 with JSON cut in the middle.</summary>
    InvalidJson,

    /// <summary>HTTP 200 with a proxy's HTML error page.</summary>
    Html,

    /// <summary>A server-sent-event stream to a request that did not ask for one.</summary>
    EventStream,

    /// <summary><c>{}</c>.</summary>
    EmptyObject,

    /// <summary><c>null</c>.</summary>
    Null,

    /// <summary><c>[1]</c>.</summary>
    Array,

    /// <summary>A chat completion with <c>"choices": []</c>.</summary>
    EmptyChoices,

    /// <summary>A chat completion without <c>choices</c>.</summary>
    MissingChoices,

    /// <summary>A chat completion whose message content is a number.</summary>
    WrongTypes,

    /// <summary>A reply whose text holds an escaped lone surrogate (<c>\ud800</c>) and a raw invalid UTF-8 byte.</summary>
    LoneSurrogate,

    /// <summary>A reply of <see cref="LoopbackModelServer.HugeReplyCharacters"/> characters (160 million by default), streamed.</summary>
    Huge,

    /// <summary>HTTP 429 with <c>Retry-After: 1e300</c>.</summary>
    RetryAfterHuge,

    /// <summary>A tool call and no text.</summary>
    ToolCall,

    /// <summary>A refusal (<c>message.refusal</c>) and no content.</summary>
    Refusal,
}

/// <summary>An exact HTTP reply of a raw model (<see cref="LoopbackModelServer.RegisterRaw"/>).</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="ContentType">The Content-Type header.</param>
/// <param name="Body">The body bytes, sent as they are.</param>
/// <param name="RetryAfter">A Retry-After header to send, or null.</param>
public sealed record RawReply(int Status, string ContentType, byte[] Body, string? RetryAfter = null);

/// <summary>The bodies of <see cref="HostileReply"/>.</summary>
public static class HostileReplies
{
    /// <summary>The refusal of <see cref="HostileReply.Refusal"/>.</summary>
    public const string RefusalText = "I'm sorry, but I can't help with that request.";

    internal static async Task WriteAsync(HttpContext context, HostileReply mode, string model, long hugeCharacters, CancellationToken token)
    {
        var response = context.Response;
        async Task Send(int status, string contentType, string body)
        {
            response.StatusCode = status;
            response.ContentType = contentType;
            await response.WriteAsync(body, token).ConfigureAwait(false);
        }

        string Completion(string message) =>
            "{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion\",\"created\":" + LoopbackModelServer.CreatedTimestamp.ToString(CultureInfo.InvariantCulture) +
            ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":" + message + ",\"logprobs\":null,\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

        switch (mode)
        {
            case HostileReply.InvalidJson:
                await Send(200, "application/json", "{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assis").ConfigureAwait(false);
                break;
            case HostileReply.Html:
                await Send(200, "text/html", "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>").ConfigureAwait(false);
                break;
            case HostileReply.EventStream:
                await Send(200, "text/event-stream", "data: {\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n").ConfigureAwait(false);
                break;
            case HostileReply.EmptyObject:
                await Send(200, "application/json", "{}").ConfigureAwait(false);
                break;
            case HostileReply.Null:
                await Send(200, "application/json", "null").ConfigureAwait(false);
                break;
            case HostileReply.Array:
                await Send(200, "application/json", "[1]").ConfigureAwait(false);
                break;
            case HostileReply.EmptyChoices:
                await Send(200, "application/json", "{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model + "\",\"choices\":[]}").ConfigureAwait(false);
                break;
            case HostileReply.MissingChoices:
                await Send(200, "application/json", "{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model + "\"}").ConfigureAwait(false);
                break;
            case HostileReply.WrongTypes:
                await Send(200, "application/json", Completion("{\"role\":\"assistant\",\"content\":42}")).ConfigureAwait(false);
                break;
            case HostileReply.LoneSurrogate:
            {
                var body = Encoding.UTF8.GetBytes(Completion("{\"role\":\"assistant\",\"content\":\"Canberra \\ud800 is the capital \\udc00 of Australia. RAW\"}"));
                var raw = Encoding.ASCII.GetBytes("RAW");
                var at = body.AsSpan().IndexOf(raw);
                body[at] = 0xC3; // a UTF-8 lead byte followed by no continuation byte
                response.StatusCode = 200;
                response.ContentType = "application/json";
                await response.Body.WriteAsync(body, token).ConfigureAwait(false);
                break;
            }
            case HostileReply.Huge:
            {
                response.StatusCode = 200;
                response.ContentType = "application/json";
                var head = "{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes(head), token).ConfigureAwait(false);
                var chunk = Enumerable.Repeat((byte)'a', 1 << 20).ToArray();
                for (long written = 0; written < hugeCharacters; written += chunk.Length)
                {
                    await response.Body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, hugeCharacters - written)), token).ConfigureAwait(false);
                }
                await response.Body.WriteAsync(Encoding.UTF8.GetBytes("\"},\"finish_reason\":\"stop\"}]}"), token).ConfigureAwait(false);
                break;
            }
            case HostileReply.RetryAfterHuge:
                response.Headers.RetryAfter = "1e300";
                await Send(429, "application/json", OpenAiWire.Error("Slow down (hostile loopback server).", "requests", "rate_limit_exceeded")).ConfigureAwait(false);
                break;
            case HostileReply.ToolCall:
                await Send(200, "application/json", Completion(
                    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Canberra\\\"}\"}}]}")
                    .Replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"tool_calls\"", StringComparison.Ordinal)).ConfigureAwait(false);
                break;
            case HostileReply.Refusal:
                await Send(200, "application/json", Completion("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"" + RefusalText.Replace("'", "\\u0027", StringComparison.Ordinal) + "\"}")).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode));
        }
    }
}
