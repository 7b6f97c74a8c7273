using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using EvalDsl.Diagnostics;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl explain [EVALnnnn | "behavior phrase"]</c>: without an argument, list the rules; with an ID, print the
/// rule's documentation; with a built-in behavior's phrase, print what it means, its source and its examples.
/// Exit 2 for anything else. <c>evaldsl behaviors</c> lists the built-in behaviors.
/// </summary>
internal static class ExplainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var id = new Argument<string?>("ID")
        {
            Description = "A diagnostic ID such as EVAL0101, or a built-in behavior such as \"validate doubts\"; without one, the rules are listed",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("explain", "Print the documentation of a diagnostic (what it means, why it matters, a bad and a good example) or of a built-in behavior; without an argument, list the rules.") { id };
        command.SetAction(parse => Execute(parse.GetValue(id), output, error));
        return command;
    }

    public static Command CreateBehaviors(TextWriter output)
    {
        var command = new Command("behaviors", "List the built-in behaviors an expectation can name; evaldsl explain \"PHRASE\" prints one.");
        command.SetAction(_ =>
        {
            var width = EvalCompilation.BuiltInBehaviors.Max(b => b.Phrase.Length);
            foreach (var behavior in EvalCompilation.BuiltInBehaviors) output.WriteLine($"{behavior.Phrase.PadRight(width)}  {FirstSentence(behavior.Means)}");
            return Cli.Success;
        });
        return command;
    }

    private static string FirstSentence(string text)
    {
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text.Substring(0, end + 1);
    }

    private static int Execute(string? argument, TextWriter output, TextWriter error)
    {
        if (argument is null)
        {
            foreach (var rule in DiagnosticDescriptors.All)
            {
                output.WriteLine($"{rule.Id}  {Diagnostic.SeverityWord(rule.DefaultSeverity),-7}  {rule.Title}");
            }
            return Cli.Success;
        }
        var descriptor = DiagnosticDescriptors.Find(argument.Trim());
        if (descriptor is null)
        {
            if (EvalCompilation.FindBuiltInBehavior(argument) is { } behavior)
            {
                WriteBehavior(behavior, output);
                return Cli.Success;
            }
            error.WriteLine($"evaldsl: error: '{argument}' is neither a diagnostic ID nor a built-in behavior. Known IDs: {string.Join(", ", DiagnosticDescriptors.All.Select(d => d.Id))}; evaldsl behaviors lists the behaviors.");
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
        if (!page.EndsWith("\n", StringComparison.Ordinal)) output.WriteLine();
        return Cli.Success;
    }

    private static void WriteBehavior(EvalBehavior behavior, TextWriter output)
    {
        output.WriteLine($"{behavior.Phrase} (built-in behavior)");
        output.WriteLine();
        output.WriteLine($"means  {behavior.Means}");
        foreach (var cite in behavior.Cites) output.WriteLine($"cite   {cite}");
        foreach (var shows in behavior.Shows) output.WriteLine($"shows  {shows}");
        foreach (var lacks in behavior.Lacks) output.WriteLine($"lacks  {lacks}");
    }

    internal static string? Page(string id)
    {
        using var stream = typeof(ExplainCommand).Assembly.GetManifestResourceStream($"docs/{id}.md");
        if (stream is null) return null;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
