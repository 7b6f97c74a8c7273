using System;

namespace EvalDsl.Runtime.Models;

/// <summary>A call that got no usable reply (after its retries, when retrying could help): the message is the error the run reports for it.</summary>
internal sealed class ModelCallException : Exception
{
    public ModelCallException(string message) : base(message) { }
}
