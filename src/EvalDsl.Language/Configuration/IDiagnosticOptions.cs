namespace EvalDsl.Configuration;

/// <summary>Where severity settings come from: <c>.editorconfig</c> files (read from disk by the CLI, from AdditionalFiles by the build).</summary>
public interface IDiagnosticOptions
{
    /// <summary>The value of an EditorConfig key (e.g. <c>dotnet_diagnostic.EVAL0202.severity</c>) for a spec file, or null.</summary>
    string? GetOption(string specPath, string key);
}
