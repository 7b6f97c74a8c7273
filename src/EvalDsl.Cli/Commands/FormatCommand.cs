using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Text;
using EvalDsl.Cli.Workspace;
using EvalDsl.Formatting;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// <c>evaldsl fmt PATH… [--check]</c>: lays out specs in the house style (<see cref="SpecFormatter"/>). Rewrites the
/// files that change and prints their paths; with <c>--check</c> writes nothing and prints the paths that would
/// change. Exit 0 when nothing (more) is to change, 1 when a file would change (<c>--check</c>) or has a syntax error
/// (it is left as it is), 2 on usage or a path that cannot be read.
/// </summary>
internal static class FormatCommand
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Command Create(TextWriter output, TextWriter error)
    {
        var paths = CheckCommand.PathsArgument();
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing: print the files that are not formatted and exit 1 when there is one (for CI)",
        };
        var command = new Command("fmt",
            "Format .eval specs (files or folders, recursively) in place: two-space indentation, single spaces between words, " +
            "aligned data tables, one blank line between cases. Strings, comments and text blocks are never changed; " +
            "a file with a syntax error is left as it is. Prints the paths of the files it changed.")
        {
            paths,
            check,
        };
        command.SetAction(parse => Execute(parse.GetValue(paths)!, parse.GetValue(check), output, error));
        return command;
    }

    private static int Execute(string[] paths, bool check, TextWriter output, TextWriter error)
    {
        // Expands folders and checks every path is a readable spec before any file is touched.
        var documents = SpecFiles.Load(paths, out var problem);
        if (documents is null)
        {
            error.WriteLine($"evaldsl: error: {problem}");
            return Cli.Usage;
        }

        var changed = 0;
        var broken = 0;
        foreach (var document in documents)
        {
            var path = document.Path;
            string text;
            try
            {
                text = StrictUtf8.GetString(File.ReadAllBytes(path));
            }
            catch (DecoderFallbackException)
            {
                error.WriteLine($"{path}(1,1): error EVAL0006: This is not a spec file: it is not valid UTF-8 text. Not formatted.");
                broken++;
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"evaldsl: error: cannot read '{path}': {ex.Message.TrimEnd('.')}.");
                return Cli.Usage;
            }

            if (!SpecFormatter.TryFormat(path, text, out var formatted, out var syntaxErrors))
            {
                foreach (var e in syntaxErrors)
                {
                    error.WriteLine($"{e.Location.Path}({e.Location.Line},{e.Location.Column}): error {e.Id}: {e.Message}");
                }
                error.WriteLine($"{path}: not formatted: it has {Plural(syntaxErrors.Count, "syntax error")}; fix {(syntaxErrors.Count == 1 ? "it" : "them")} first.");
                broken++;
                continue;
            }
            if (string.Equals(formatted, text, StringComparison.Ordinal)) continue;

            changed++;
            if (!check)
            {
                try
                {
                    Replace(path, formatted);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    error.WriteLine($"evaldsl: error: cannot write '{path}': {ex.Message.TrimEnd('.')}.");
                    return Cli.Usage;
                }
            }
            output.WriteLine(path);
        }

        var files = Plural(documents.Count, "file");
        var summary = check
            ? changed == 0 ? $"{files} checked: all formatted." : $"{files} checked: {changed} not formatted; run evaldsl fmt to format {(changed == 1 ? "it" : "them")}."
            : $"{files} checked: {changed} formatted.";
        if (broken > 0) summary = summary.TrimEnd('.') + $"; {broken} with syntax errors left as {(broken == 1 ? "it was" : "they were")}.";
        error.WriteLine(summary);
        return changed > 0 && check || broken > 0 ? Cli.Failed : Cli.Success;
    }

    // Written beside the file and moved over it, so an interrupted write never leaves half a spec.
    private static void Replace(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".fmt-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            File.WriteAllBytes(temporary, new UTF8Encoding(false).GetBytes(text));
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
