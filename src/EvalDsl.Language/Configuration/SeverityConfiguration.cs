using EvalDsl.Diagnostics;

namespace EvalDsl.Configuration;

/// <summary>Applies configured severities: the rule's own key, then its category, then all analyzer rules.</summary>
internal static class SeverityConfiguration
{
    public static DiagnosticSeverity Effective(Diagnostic diagnostic, IDiagnosticOptions? options)
    {
        var descriptor = diagnostic.Descriptor;
        if (options is null || !descriptor.IsConfigurable) return diagnostic.Severity;
        var path = diagnostic.Location.Path;
        var value = options.GetOption(path, $"dotnet_diagnostic.{descriptor.Id}.severity")
                    ?? options.GetOption(path, $"dotnet_analyzer_diagnostic.category-{descriptor.Category}.severity")
                    ?? options.GetOption(path, "dotnet_analyzer_diagnostic.severity");
        // The most specific key written wins, even when it says "default".
        return Parse(value) ?? descriptor.DefaultSeverity;
    }

    /// <summary>none/silent hide, suggestion (or info) is info, warning, error; default (or anything unknown) is null.</summary>
    public static DiagnosticSeverity? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "none" or "silent" => DiagnosticSeverity.Hidden,
        "suggestion" or "info" => DiagnosticSeverity.Info,
        "warning" => DiagnosticSeverity.Warning,
        "error" => DiagnosticSeverity.Error,
        _ => null,
    };
}
