using System;

namespace EvalDsl.Roslyn;

/// <summary>The names of the generator's steps, for tests that check what a run did.</summary>
public static class TrackingNames
{
    /// <summary>Each .eval AdditionalFile read as text.</summary>
    public const string Specs = "EvalDsl.Specs";
    /// <summary>Each spec parsed.</summary>
    public const string Parsed = "EvalDsl.Parsed";
    /// <summary>Data files (CSV, JSONL) read as text.</summary>
    public const string DataFiles = "EvalDsl.DataFiles";
    /// <summary>The .eval AdditionalFiles marked EvalDslUse (used by a spec, not specs of the project) read as text.</summary>
    public const string UsedFiles = "EvalDsl.UsedFiles";
    /// <summary>The .editorconfig AdditionalFiles (severity settings) read as text.</summary>
    public const string Severities = "EvalDsl.Severities";
    /// <summary>Global options (namespace).</summary>
    public const string Options = "EvalDsl.Options";
    /// <summary>All specs bound together and emitted.</summary>
    public const string Compiled = "EvalDsl.Compiled";
    /// <summary>One generated file per suite.</summary>
    public const string Suites = "EvalDsl.Suites";
}

/// <summary>An AdditionalFile's path and text (null when it cannot be read).</summary>
internal sealed record FileInput(string Path, string? Text);

/// <summary>
/// A parsed spec: equal when its input (path and text) is equal, so an unchanged spec is a cached step. The parsed
/// spec rides along; it is never changed after parsing.
/// </summary>
internal sealed class ParsedSpec : IEquatable<ParsedSpec>
{
    public ParsedSpec(FileInput input, SpecSyntax spec)
    {
        Input = input;
        Spec = spec;
    }

    public FileInput Input { get; }
    public SpecSyntax Spec { get; }

    public bool Equals(ParsedSpec? other) => other is not null && Input.Equals(other.Input);

    public override bool Equals(object? obj) => Equals(obj as ParsedSpec);

    public override int GetHashCode() => Input.GetHashCode();
}

/// <summary>One generated test class.</summary>
/// <param name="HintName">The file name.</param>
/// <param name="Text">The C# source (empty when <paramref name="Problem"/> says why the suite cannot be built).</param>
/// <param name="Problem">An EVAL0109 message at the suite's title instead of the file, or null.</param>
/// <param name="Path">The spec of the suite.</param>
/// <param name="Line">The 1-based line of its title.</param>
/// <param name="Column">The 1-based column of its title.</param>
internal sealed record GeneratedSuite(string HintName, string Text, string? Problem = null, string? Path = null, int Line = 0, int Column = 0);
