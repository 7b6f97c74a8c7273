using System;

namespace EvalDsl.Runtime;

/// <summary>A model that cannot be set up or used at all: a bad reference, a missing key or recording, a refused key. One line for the user.</summary>
public sealed class ModelSetupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelSetupException(string message) : base(message) { }
}
