using System;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// An OpenAI-compatible server answered with a status other than 2xx (<see cref="OpenAiCompatibleClient"/>):
/// <see cref="ReplyReader"/> reads the status, the <c>Retry-After</c> header and the error message of the body.
/// </summary>
internal sealed class ServerStatusException : Exception
{
    public ServerStatusException(int status, string? retryAfter, string body)
        : base("the server answered HTTP " + status.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
        Status = status;
        RetryAfter = retryAfter;
        Body = body;
    }

    /// <summary>The HTTP status.</summary>
    public int Status { get; }

    /// <summary>The <c>Retry-After</c> header as sent (its values joined with commas), or null.</summary>
    public string? RetryAfter { get; }

    /// <summary>The body as text (read up to the reply limit).</summary>
    public string Body { get; }
}
