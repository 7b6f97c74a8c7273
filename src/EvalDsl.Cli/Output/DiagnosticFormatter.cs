using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Diagnostics;

namespace EvalDsl.Cli.Output;

/// <summary>Prints diagnostics as MSBuild lines, JSON, SARIF 2.1.0 or GitHub Actions workflow commands.</summary>
internal static class DiagnosticFormatter
{
    public static readonly string[] Formats = { "msbuild", "json", "sarif", "github" };

    public static void Write(string format, IReadOnlyList<Diagnostic> diagnostics, TextWriter output)
    {
        switch (format)
        {
            case "json": WriteJson(diagnostics, output); break;
            case "sarif": WriteSarif(diagnostics, output); break;
            case "github": WriteGitHub(diagnostics, output); break;
            default: foreach (var d in diagnostics) output.WriteLine(d.ToString()); break;
        }
    }

    public static string Summary(IReadOnlyList<Diagnostic> diagnostics, int files)
    {
        int Count(DiagnosticSeverity s) => diagnostics.Count(d => d.Severity == s);
        string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";
        return $"{Plural(files, "file")} checked: {Plural(Count(DiagnosticSeverity.Error), "error")}, {Plural(Count(DiagnosticSeverity.Warning), "warning")}, {Count(DiagnosticSeverity.Info)} info.";
    }

    private static void WriteJson(IReadOnlyList<Diagnostic> diagnostics, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("version", 1);
            json.WriteStartArray("diagnostics");
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("id", d.Id);
                json.WriteString("severity", Diagnostic.SeverityWord(d.Severity));
                json.WriteString("path", d.Location.Path);
                json.WriteNumber("line", d.Location.Line);
                json.WriteNumber("column", d.Location.Column);
                json.WriteNumber("endLine", d.Location.EndLine);
                json.WriteNumber("endColumn", d.Location.EndColumn);
                json.WriteString("message", d.Message);
                json.WriteString("title", d.Descriptor.Title);
                json.WriteString("helpUri", d.Descriptor.HelpLink);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteSarif(IReadOnlyList<Diagnostic> diagnostics, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();
            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "evaldsl");
            json.WriteString("informationUri", "https://github.com/evaldsl/evaldsl");
            json.WriteString("version", typeof(DiagnosticFormatter).Assembly.GetName().Version?.ToString(3));
            json.WriteStartArray("rules");
            foreach (var rule in DiagnosticDescriptors.All)
            {
                json.WriteStartObject();
                json.WriteString("id", rule.Id);
                json.WriteString("name", string.Concat(rule.Title.Split(' ').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w.Substring(1))));
                json.WriteStartObject("shortDescription");
                json.WriteString("text", rule.Title);
                json.WriteEndObject();
                json.WriteStartObject("fullDescription");
                json.WriteString("text", rule.Summary);
                json.WriteEndObject();
                json.WriteString("helpUri", rule.HelpLink);
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(rule.DefaultSeverity));
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("category", rule.Category);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("results");
            foreach (var d in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("ruleId", d.Id);
                json.WriteNumber("ruleIndex", IndexOf(d.Descriptor));
                json.WriteString("level", Level(d.Severity));
                json.WriteStartObject("message");
                json.WriteString("text", d.Message);
                json.WriteEndObject();
                json.WriteStartArray("locations");
                json.WriteStartObject();
                PhysicalLocation(json, d.Location);
                json.WriteEndObject();
                json.WriteEndArray();
                if (d.RelatedLocations.Count > 0)
                {
                    // The other places the message names (a duplicate's first declaration, an earlier expectation).
                    json.WriteStartArray("relatedLocations");
                    for (var i = 0; i < d.RelatedLocations.Count; i++)
                    {
                        json.WriteStartObject();
                        json.WriteNumber("id", i);
                        PhysicalLocation(json, d.RelatedLocations[i].Location);
                        json.WriteStartObject("message");
                        json.WriteString("text", d.RelatedLocations[i].Message);
                        json.WriteEndObject();
                        json.WriteEndObject();
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void PhysicalLocation(Utf8JsonWriter json, EvalDsl.Text.SourceLocation location)
    {
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", Uri(location.Path));
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", location.Line);
        json.WriteNumber("startColumn", location.Column);
        json.WriteNumber("endLine", location.EndLine);
        json.WriteNumber("endColumn", location.EndColumn);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static int IndexOf(DiagnosticDescriptor descriptor)
    {
        for (var i = 0; i < DiagnosticDescriptors.All.Count; i++) if (ReferenceEquals(DiagnosticDescriptors.All[i], descriptor)) return i;
        return -1;
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };

    // A relative URI reference: on Windows a backslash separates folders; elsewhere it is part of a file name.
    private static string Uri(string path)
    {
        var separators = System.IO.Path.DirectorySeparatorChar == '\\' ? new[] { '/', '\\' } : new[] { '/' };
        return string.Join("/", path.Split(separators).Select(System.Uri.EscapeDataString));
    }

    // GitHub Actions workflow commands: ::error file=…,line=…,col=…::message
    private static void WriteGitHub(IReadOnlyList<Diagnostic> diagnostics, TextWriter output)
    {
        foreach (var d in diagnostics)
        {
            var command = d.Severity switch
            {
                DiagnosticSeverity.Error => "error",
                DiagnosticSeverity.Warning => "warning",
                _ => "notice",
            };
            var l = d.Location;
            output.WriteLine($"::{command} file={Property(l.Path)},line={l.Line},col={l.Column},endLine={l.EndLine},endColumn={l.EndColumn},title={d.Id}::{Data($"{d.Id}: {d.Message}")}");
        }
    }

    private static string Data(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string Property(string value) => Data(value).Replace(":", "%3A").Replace(",", "%2C");
}
