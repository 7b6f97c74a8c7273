using System;
using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Parsing;
using EvalDsl.Text;

namespace EvalDsl.Formatting;

/// <summary>
/// Lays out a spec file in the house style: two spaces of indentation per open block, single spaces between the
/// tokens of a statement (none before a comma), aligned columns in inline data tables and <c>vary</c> blocks, at
/// most one blank line in a row, none just inside a block's braces, and exactly one after each block at the top
/// level or in a suite (so one between cases). Strings, regexes, comments and text blocks are kept exactly as
/// written, and the file's line breaks (<c>\n</c> or <c>\r\n</c>) and byte order mark are kept. A file with a
/// syntax error (EVAL0001, EVAL0002, EVAL0005) is returned unchanged.
/// </summary>
public static class SpecFormatter
{
    /// <summary>
    /// Formats a spec's text. Returns <paramref name="text"/> itself when it has a syntax error; formatting the
    /// result again returns it unchanged.
    /// </summary>
    /// <param name="text">The whole file's text.</param>
    /// <returns>The formatted text.</returns>
    public static string Format(string text)
    {
        TryFormat("", text, out var formatted, out _);
        return formatted;
    }

    /// <summary>
    /// Formats a spec's text, saying whether it could: a file with a syntax error is left as it is and its syntax
    /// errors are handed back (with <paramref name="path"/> in their locations).
    /// </summary>
    /// <param name="path">The file's path, for the locations of syntax errors.</param>
    /// <param name="text">The whole file's text.</param>
    /// <param name="formatted">The formatted text, or <paramref name="text"/> when the file has a syntax error.</param>
    /// <param name="syntaxErrors">The syntax errors that kept the file from being formatted; empty when it was formatted.</param>
    /// <returns><see langword="true"/> when the file was formatted (whether or not anything changed).</returns>
    public static bool TryFormat(string path, string text, out string formatted, out IReadOnlyList<Diagnostic> syntaxErrors)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        if (text is null) throw new ArgumentNullException(nameof(text));

        var bom = text.Length > 0 && text[0] == '\uFEFF' ? "\uFEFF" : "";
        var source = new SourceText(path, SourceDecoder.StripBom(text));
        var tree = Parser.Parse(source, out var lines);
        var errors = new List<Diagnostic>();
        foreach (var diagnostic in tree.Diagnostics)
        {
            if (diagnostic.Descriptor == DiagnosticDescriptors.SyntaxError || diagnostic.Descriptor == DiagnosticDescriptors.UnterminatedString ||
                diagnostic.Descriptor == DiagnosticDescriptors.UnclosedBlock || diagnostic.Descriptor == DiagnosticDescriptors.NotText)
            {
                errors.Add(diagnostic);
            }
        }
        syntaxErrors = errors;
        if (errors.Count > 0)
        {
            formatted = text;
            return false;
        }

        formatted = bom + new Layout(source, lines).Run();
        return true;
    }
}
