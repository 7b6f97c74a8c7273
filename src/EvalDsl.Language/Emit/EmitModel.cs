using System.Collections.Generic;

namespace EvalDsl.Emit;

// What the Suite.sbncs template reads: every value already a C# token or literal, so the template decides layout
// only and no spec text can reach it as template source.

internal sealed record EmitSuite(string Namespace, string ClassName, string SuiteTitle, string Version, string HintName,
    IReadOnlyList<EmitCase> Cases, IReadOnlyList<EmitBehavior> Behaviors);

internal sealed record EmitBehavior(string Field, string Phrase, string Means, IReadOnlyList<string> Shows, IReadOnlyList<string> Lacks, IReadOnlyList<string> Cites);

internal sealed record EmitCase(
    string Method, string Field, string DisplayName, string Severity, IReadOnlyList<string> Tags, string? LineDirective,
    string Title, string Row, string File, int Line, int Column, int Samples, string Pass, string Temperature, string Model, string Judge,
    IReadOnlyList<EmitVariant> Variants, IReadOnlyList<EmitExpectation> Expectations);

internal sealed record EmitVariant(IReadOnlyList<string> Labels, string System, IReadOnlyList<EmitTurn> Turns);

internal sealed record EmitTurn(string Role, string Text);

internal sealed record EmitExpectation(int Index, string Blocking, string Negated, string Check, string Phrase, string Text, string Pattern,
    string Flags, string VaryName, string Behavior, int Line, int Column);
