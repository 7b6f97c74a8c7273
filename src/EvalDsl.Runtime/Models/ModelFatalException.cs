using System;

namespace EvalDsl.Runtime.Models;

/// <summary>A failure that no retry can mend and that would fail every call of the run (a refused key, an unknown model, an unreachable server).</summary>
internal sealed class ModelFatalException : Exception
{
    public ModelFatalException(string message) : base(message) { }
}
