namespace EvalDsl.Runtime.Models;

/// <summary>The answer of a model call: its text, or why there is none.</summary>
internal readonly record struct CallResult(string? Text, string? Error)
{
    public bool Succeeded => Text is not null;

    public static CallResult Ok(string text) => new(text, null);

    public static CallResult Failed(string error) => new(null, error);
}
