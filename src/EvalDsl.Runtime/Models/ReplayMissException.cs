using System;

namespace EvalDsl.Runtime.Models;

/// <summary>A replay recording has no reply for a request.</summary>
internal sealed class ReplayMissException : Exception
{
    public ReplayMissException(string message) : base(message) { }
}
