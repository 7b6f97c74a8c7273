namespace EvalDsl.Diagnostics;

/// <summary>A rule: its ID, title, default severity and category.</summary>
public sealed class DiagnosticDescriptor
{
    internal DiagnosticDescriptor(string id, string title, DiagnosticSeverity defaultSeverity, string category, string summary)
    {
        Id = id;
        Title = title;
        DefaultSeverity = defaultSeverity;
        Category = category;
        Summary = summary;
    }

    /// <summary>The ID, e.g. <c>EVAL0101</c>.</summary>
    public string Id { get; }

    /// <summary>A short title.</summary>
    public string Title { get; }

    /// <summary>A one-sentence description of when it fires.</summary>
    public string Summary { get; }

    /// <summary>The severity when nothing configures it.</summary>
    public DiagnosticSeverity DefaultSeverity { get; }

    /// <summary>Syntax, Binding, Quality or Launch.</summary>
    public string Category { get; }

    /// <summary>Syntax errors (EVAL0001–EVAL0006) can be neither lowered nor suppressed.</summary>
    public bool IsConfigurable => Category != DiagnosticCategories.Syntax;

    /// <summary>The one root of every rule's documentation page (CLI output, SARIF, the Roslyn descriptors).</summary>
    public const string HelpRoot = "https://github.com/evaldsl/evaldsl/blob/main/docs/diagnostics/";

    /// <summary>The absolute URI of the rule's documentation page: <see cref="HelpRoot"/> + <c>EVALnnnn.md</c>.</summary>
    public string HelpLink => HelpRoot + HelpFile;

    /// <summary>The page's file name inside <c>docs/diagnostics/</c>, e.g. <c>EVAL0101.md</c>.</summary>
    public string HelpFile => Id + ".md";
}

/// <summary>The categories of rules.</summary>
public static class DiagnosticCategories
{
    /// <summary>Text that cannot be read as the language.</summary>
    public const string Syntax = "Syntax";
    /// <summary>Names and values that do not resolve or are out of range.</summary>
    public const string Binding = "Binding";
    /// <summary>Specs that run but may not measure what their author meant.</summary>
    public const string Quality = "Quality";
    /// <summary>Launch-gate coverage.</summary>
    public const string Launch = "Launch";
}
