using System.Collections.Generic;

namespace EvalDsl.Emit;

// What the Suite.sbncs template reads: the layout of the test class (its methods, fields and traits), every value
// already a C# token or literal, so the template decides layout only and no spec text can reach it as template
// source. The cases themselves are the plan (EvalDsl.Plan), written as literals by PlanLiterals.

internal sealed record EmitSuite(string Namespace, string ClassName, string SuiteTitle, string Version, string HintName,
    IReadOnlyList<EmitCase> Cases, IReadOnlyList<EmitBehavior> Behaviors)
{
    /// <summary>One test per <c>pass N% of rows</c> case, deciding over the fields of its rows.</summary>
    public IReadOnlyList<EmitDataset> Datasets { get; init; } = System.Array.Empty<EmitDataset>();
}

internal sealed record EmitBehavior(string Field, string Phrase, string Means, IReadOnlyList<string> Shows, IReadOnlyList<string> Lacks, IReadOnlyList<string> Cites);

/// <summary>One test method: its name, the field holding its case, its traits, and the case as a C# expression.</summary>
internal sealed record EmitCase(
    string Method, string Field, string DisplayName, string Severity, IReadOnlyList<string> Tags, string? LineDirective, string Initializer);

/// <summary>The test of a <c>pass N% of rows</c> case: its name, traits, and the fields of its rows' cases.</summary>
internal sealed record EmitDataset(
    string Method, string DisplayName, string Severity, IReadOnlyList<string> Tags, string? LineDirective, IReadOnlyList<string> Fields);
