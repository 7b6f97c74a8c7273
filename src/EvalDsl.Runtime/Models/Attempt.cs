using System;

namespace EvalDsl.Runtime.Models;

/// <summary>What one attempt of a model call gave: a reply, or an error and whether asking again may help (and when).</summary>
internal sealed record Attempt(string? Text, string? Error, bool Retryable, TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Text is not null;

    /// <summary>The server refused the attempt for its rate limit (HTTP 429): the binding's adaptive limit backs off.</summary>
    public bool Throttled { get; init; }

    public static Attempt Reply(string text) => new(text, null, Retryable: false);

    public static Attempt Failed(string error, bool retryable, TimeSpan? retryAfter = null) => new(null, error, retryable, retryAfter);
}
