using System;

namespace EvalDsl.Runtime.Execution;

/// <summary>A journal that cannot be resumed, or a report folder another run holds.</summary>
public sealed class JournalException : Exception
{
    /// <summary>A journal problem, said in one line.</summary>
    public JournalException(string message) : base(message) { }
}
