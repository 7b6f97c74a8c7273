using System;
using System.Collections.Generic;
using EvalDsl.Text;

namespace EvalDsl.Diagnostics;

/// <summary>One reported problem: rule, effective severity, location and message. Plain data, no Roslyn types.</summary>
public sealed class Diagnostic
{
    internal Diagnostic(DiagnosticDescriptor descriptor, DiagnosticSeverity severity, SourceLocation location, string message, IReadOnlyList<DiagnosticRelatedLocation>? related = null)
    {
        RelatedLocations = related ?? Array.Empty<DiagnosticRelatedLocation>();
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        Severity = severity;
        Location = location ?? throw new ArgumentNullException(nameof(location));
        Message = message ?? throw new ArgumentNullException(nameof(message));
    }

    /// <summary>The rule.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The rule's ID.</summary>
    public string Id => Descriptor.Id;

    /// <summary>The effective severity after configuration.</summary>
    public DiagnosticSeverity Severity { get; }

    /// <summary>Where it points.</summary>
    public SourceLocation Location { get; }

    /// <summary>The message, a sentence or two of product text.</summary>
    public string Message { get; }

    /// <summary>Other places the message names, each with what it is (the first declaration of a duplicate, the earlier expectation a later one repeats or contradicts); empty for most.</summary>
    public IReadOnlyList<DiagnosticRelatedLocation> RelatedLocations { get; }

    internal Diagnostic WithSeverity(DiagnosticSeverity severity) => new(Descriptor, severity, Location, Message, RelatedLocations);

    /// <summary>The severity word: error, warning or info.</summary>
    public static string SeverityWord(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };

    /// <summary>The MSBuild line format: <c>path(line,col): severity ID: message</c>.</summary>
    public override string ToString() =>
        $"{Location.Path}({Location.Line},{Location.Column}): {SeverityWord(Severity)} {Id}: {Message}";
}

/// <summary>Another place a diagnostic names: where, and what stands there.</summary>
public sealed class DiagnosticRelatedLocation
{
    internal DiagnosticRelatedLocation(SourceLocation location, string message)
    {
        Location = location;
        Message = message;
    }

    /// <summary>Where it is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What stands there, one short sentence (e.g. "The first declaration of 'x'.").</summary>
    public string Message { get; }
}
