using System;

namespace EvalDsl.Runtime.Models;

/// <summary>A reply of the server that is not a usable chat completion: not JSON, the wrong shape, too large.</summary>
internal sealed class MalformedReplyException : Exception
{
    public MalformedReplyException(string message, bool retryable) : base(message) => Retryable = retryable;

    /// <summary>Whether asking again may help (a proxy's error page may pass; a reply too large will not shrink).</summary>
    public bool Retryable { get; }
}
