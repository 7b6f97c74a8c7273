using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace EvalDsl.Roslyn;

/// <summary>
/// The Roslyn descriptors of every EvalDsl rule, written out so that release tracking
/// (AnalyzerReleases.Shipped.md / Unshipped.md) sees them; a test keeps them equal to the catalogue in EvalDsl.Language.
/// </summary>
internal static class RoslynDescriptors
{
    // One root for every help link: the catalogue's (check, SARIF and JSON use it too).
    private const string HelpRoot = EvalDsl.Diagnostics.DiagnosticDescriptor.HelpRoot;

    public static readonly DiagnosticDescriptor EVAL0001 = new("EVAL0001", "Syntax error", "{0}", "Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0001.md", customTags: WellKnownDiagnosticTags.NotConfigurable);
    public static readonly DiagnosticDescriptor EVAL0002 = new("EVAL0002", "Unterminated string or text block", "{0}", "Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0002.md", customTags: WellKnownDiagnosticTags.NotConfigurable);
    public static readonly DiagnosticDescriptor EVAL0003 = new("EVAL0003", "Invalid escape sequence", "{0}", "Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0003.md", customTags: WellKnownDiagnosticTags.NotConfigurable);
    public static readonly DiagnosticDescriptor EVAL0004 = new("EVAL0004", "Invalid regular expression", "{0}", "Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0004.md", customTags: WellKnownDiagnosticTags.NotConfigurable);
    public static readonly DiagnosticDescriptor EVAL0005 = new("EVAL0005", "Block not closed", "{0}", "Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0005.md", customTags: WellKnownDiagnosticTags.NotConfigurable);
    public static readonly DiagnosticDescriptor EVAL0006 = new("EVAL0006", "File is not valid UTF-8 text", "{0}", "Syntax", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0006.md", customTags: WellKnownDiagnosticTags.NotConfigurable);
    public static readonly DiagnosticDescriptor EVAL0101 = new("EVAL0101", "Unknown behavior", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0101.md");
    public static readonly DiagnosticDescriptor EVAL0102 = new("EVAL0102", "Duplicate name", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0102.md");
    public static readonly DiagnosticDescriptor EVAL0103 = new("EVAL0103", "Unknown persona or data set", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0103.md");
    public static readonly DiagnosticDescriptor EVAL0104 = new("EVAL0104", "Unknown placeholder", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0104.md");
    public static readonly DiagnosticDescriptor EVAL0105 = new("EVAL0105", "Case has no user turn", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0105.md");
    public static readonly DiagnosticDescriptor EVAL0106 = new("EVAL0106", "Case has no expectations", "{0}", "Binding", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0106.md");
    public static readonly DiagnosticDescriptor EVAL0107 = new("EVAL0107", "Value out of range", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0107.md");
    public static readonly DiagnosticDescriptor EVAL0108 = new("EVAL0108", "Comparative expectation without what it compares", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0108.md");
    public static readonly DiagnosticDescriptor EVAL0109 = new("EVAL0109", "Data table or file problem", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0109.md");
    public static readonly DiagnosticDescriptor EVAL0110 = new("EVAL0110", "Behavior without means", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0110.md");
    public static readonly DiagnosticDescriptor EVAL0111 = new("EVAL0111", "Setting given twice", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0111.md");
    public static readonly DiagnosticDescriptor EVAL0112 = new("EVAL0112", "Case expands to too many tests", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0112.md");
    public static readonly DiagnosticDescriptor EVAL0113 = new("EVAL0113", "Placeholder not resolved here", "{0}", "Binding", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0113.md");
    public static readonly DiagnosticDescriptor EVAL0114 = new("EVAL0114", "Used file missing or unreadable", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0114.md");
    public static readonly DiagnosticDescriptor EVAL0115 = new("EVAL0115", "Files use each other", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0115.md");
    public static readonly DiagnosticDescriptor EVAL0116 = new("EVAL0116", "pass … of rows without data rows", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0116.md");
    public static readonly DiagnosticDescriptor EVAL0120 = new("EVAL0120", "Not an option letter", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0120.md");
    public static readonly DiagnosticDescriptor EVAL0121 = new("EVAL0121", "Unknown reply", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0121.md");
    public static readonly DiagnosticDescriptor EVAL0122 = new("EVAL0122", "Reply suffix that does not apply", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0122.md");
    public static readonly DiagnosticDescriptor EVAL0125 = new("EVAL0125", "answer correctly without an answer", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0125.md");
    public static readonly DiagnosticDescriptor EVAL0135 = new("EVAL0135", "Unknown vary label", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0135.md");
    public static readonly DiagnosticDescriptor EVAL0136 = new("EVAL0136", "Labels that cannot be compared", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0136.md");
    public static readonly DiagnosticDescriptor EVAL0137 = new("EVAL0137", "Label of several varies", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0137.md");
    public static readonly DiagnosticDescriptor EVAL0138 = new("EVAL0138", "Comparison across variants in a for block", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0138.md");
    public static readonly DiagnosticDescriptor EVAL0201 = new("EVAL0201", "Contradictory expectations", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0201.md");
    public static readonly DiagnosticDescriptor EVAL0202 = new("EVAL0202", "Pass threshold stricter than written", "{0}", "Quality", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0202.md");
    public static readonly DiagnosticDescriptor EVAL0203 = new("EVAL0203", "Judge is the model under test", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0203.md");
    public static readonly DiagnosticDescriptor EVAL0204 = new("EVAL0204", "Behavior without examples", "{0}", "Quality", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0204.md");
    public static readonly DiagnosticDescriptor EVAL0205 = new("EVAL0205", "Declaration never used", "{0}", "Quality", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0205.md");
    public static readonly DiagnosticDescriptor EVAL0206 = new("EVAL0206", "Expectation written twice", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0206.md");
    public static readonly DiagnosticDescriptor EVAL0220 = new("EVAL0220", "Reference no judge reads", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0220.md");
    public static readonly DiagnosticDescriptor EVAL0221 = new("EVAL0221", "in every reply over one reply", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0221.md");
    public static readonly DiagnosticDescriptor EVAL0225 = new("EVAL0225", "Answer no expectation reads", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0225.md");
    public static readonly DiagnosticDescriptor EVAL0230 = new("EVAL0230", "Assistant turn directly before reply", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0230.md");
    public static readonly DiagnosticDescriptor EVAL0235 = new("EVAL0235", "for block without expectations", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0235.md");
    public static readonly DiagnosticDescriptor EVAL0140 = new("EVAL0140", "Judge named twice in a jury", "{0}", "Binding", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0140.md");
    public static readonly DiagnosticDescriptor EVAL0240 = new("EVAL0240", "Jury of two judges", "{0}", "Quality", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0240.md");
    public static readonly DiagnosticDescriptor EVAL0301 = new("EVAL0301", "Launch suite misses sycophancy behaviors", "{0}", "Launch", DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0301.md");
    public static readonly DiagnosticDescriptor EVAL0302 = new("EVAL0302", "Suite has no blocking expectation", "{0}", "Launch", DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + "EVAL0302.md");

    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        EVAL0001,
        EVAL0002,
        EVAL0003,
        EVAL0004,
        EVAL0005,
        EVAL0006,
        EVAL0101,
        EVAL0102,
        EVAL0103,
        EVAL0104,
        EVAL0105,
        EVAL0106,
        EVAL0107,
        EVAL0108,
        EVAL0109,
        EVAL0110,
        EVAL0111,
        EVAL0112,
        EVAL0113,
        EVAL0114,
        EVAL0115,
        EVAL0116,
        EVAL0120,
        EVAL0121,
        EVAL0122,
        EVAL0125,
        EVAL0135,
        EVAL0136,
        EVAL0137,
        EVAL0138,
        EVAL0140,
        EVAL0201,
        EVAL0202,
        EVAL0203,
        EVAL0204,
        EVAL0205,
        EVAL0206,
        EVAL0220,
        EVAL0221,
        EVAL0225,
        EVAL0230,
        EVAL0235,
        EVAL0240,
        EVAL0301,
        EVAL0302,
    };
}
