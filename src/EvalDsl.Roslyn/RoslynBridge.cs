using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EvalDsl.Configuration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using EvalDiagnostic = EvalDsl.Diagnostics.Diagnostic;
using EvalSeverity = EvalDsl.Diagnostics.DiagnosticSeverity;
using RoslynDiagnostic = Microsoft.CodeAnalysis.Diagnostic;
using RoslynSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace EvalDsl.Roslyn;

/// <summary>The checker's diagnostics as Roslyn diagnostics: descriptors, severities and .eval locations.</summary>
internal static class RoslynBridge
{
    private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors = RoslynDescriptors.All.ToDictionary(d => d.Id, d => d);

    public static IEnumerable<DiagnosticDescriptor> All => Descriptors.Values;

    public static RoslynSeverity ToRoslyn(EvalSeverity severity) => severity switch
    {
        EvalSeverity.Error => RoslynSeverity.Error,
        EvalSeverity.Warning => RoslynSeverity.Warning,
        EvalSeverity.Info => RoslynSeverity.Info,
        _ => RoslynSeverity.Hidden,
    };

    /// <summary>The diagnostic at its .eval location (in the file at <paramref name="path"/>, default the diagnostic's path) with its effective severity.</summary>
    public static RoslynDiagnostic ToRoslyn(EvalDiagnostic diagnostic, SourceText? text, string? path = null)
    {
        var l = diagnostic.Location;
        var lines = new LinePositionSpan(new LinePosition(l.Line - 1, l.Column - 1), new LinePosition(l.EndLine - 1, l.EndColumn - 1));
        var length = text is null ? 0 : Math.Max(0, Math.Min(l.Length, text.Length - l.Offset));
        var span = text is null || l.Offset > text.Length ? new TextSpan(0, 0) : new TextSpan(l.Offset, length);
        var location = Location.Create(path ?? l.Path, span, lines);
        var descriptor = Descriptors[diagnostic.Id];
        return RoslynDiagnostic.Create(descriptor, location, ToRoslyn(diagnostic.Severity), additionalLocations: null, properties: null, diagnostic.Message);
    }
}
