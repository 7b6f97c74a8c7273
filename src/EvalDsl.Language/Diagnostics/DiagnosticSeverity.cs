namespace EvalDsl.Diagnostics;

/// <summary>How serious a diagnostic is. <see cref="Hidden"/> diagnostics are not shown.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Not shown (configured <c>none</c> or <c>silent</c>).</summary>
    Hidden = 0,
    /// <summary>A hint (<c>suggestion</c> in .editorconfig).</summary>
    Info = 1,
    /// <summary>Worth fixing; does not fail <c>check</c>.</summary>
    Warning = 2,
    /// <summary>Fails <c>check</c>, <c>compile</c> and the build.</summary>
    Error = 3,
}
