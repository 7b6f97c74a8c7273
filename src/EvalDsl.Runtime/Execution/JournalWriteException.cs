using System;

namespace EvalDsl.Runtime.Execution;

/// <summary>A journal line could not be written (a full disk, a lost permission): the run stops, since it could not be resumed.</summary>
public sealed class JournalWriteException : Exception
{
    /// <summary>The journal at <paramref name="path"/> could not be written because of <paramref name="inner"/>.</summary>
    public JournalWriteException(string path, Exception inner) : base($"cannot write the journal {path}: {FileErrors.Reason(inner)}", inner) { }
}
