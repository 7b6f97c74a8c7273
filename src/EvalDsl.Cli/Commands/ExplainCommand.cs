using System.CommandLine;
using System.IO;
using System.Linq;
using EvalDsl.Diagnostics;

namespace EvalDsl.Cli.Commands;

/// <summary><c>evaldsl explain EVALnnnn</c>: print a rule's documentation; exit 2 for an unknown ID.</summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string>("ID") { Description = "A diagnostic ID such as EVAL0101" };
        var command = new Command("explain", "Print the documentation of a diagnostic: what it means, why it matters, a bad and a good example.") { id };
        command.SetAction(parse => Execute(parse.GetValue(id)!, output, error));
        return command;
    }

    private static int Execute(string id, TextWriter output, TextWriter error)
    {
        var descriptor = DiagnosticDescriptors.Find(id.Trim());
        if (descriptor is null)
        {
            error.WriteLine($"evaldsl: error: '{id}' is not a diagnostic ID. Known IDs: {string.Join(", ", DiagnosticDescriptors.All.Select(d => d.Id))}.");
            return Cli.Usage;
        }
        var page = Page(descriptor.Id);
        if (page is null)
        {
            output.WriteLine($"{descriptor.Id}: {descriptor.Title} ({Diagnostic.SeverityWord(descriptor.DefaultSeverity)})");
            output.WriteLine(descriptor.Summary);
            return Cli.Success;
        }
        output.Write(page);
        if (!page.EndsWith("\n", System.StringComparison.Ordinal)) output.WriteLine();
        return Cli.Success;
    }

    internal static string? Page(string id)
    {
        using var stream = typeof(ExplainCommand).Assembly.GetManifestResourceStream($"docs/{id}.md");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
