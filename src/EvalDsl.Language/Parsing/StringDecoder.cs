using System;
using System.Collections.Generic;
using System.Text;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>Reports a diagnostic at a range with a message.</summary>
internal delegate void Report(DiagnosticDescriptor descriptor, TextRange range, string message);

/// <summary>The content lines of a text block and its closing line.</summary>
internal sealed record TextBlockLines(IReadOnlyList<TextRange> Content, TextRange? Closing, string ClosingIndent);

/// <summary>Decodes string tokens and text blocks: escapes, placeholders and text-block indentation.</summary>
internal static class StringDecoder
{
    /// <summary>Decodes a <c>"…"</c> string token spanning <paramref name="range"/>.</summary>
    public static StringSyntax DecodeString(string source, TextRange range, Report report)
    {
        var builder = new PartsBuilder();
        var hasErrors = false;
        var end = range.End;
        var terminated = range.Length >= 2 && source[end - 1] == '"' && !EndsWithEscapedQuote(source, range);
        var contentEnd = terminated ? end - 1 : end;
        if (!terminated)
        {
            report(DiagnosticDescriptors.UnterminatedString, new TextRange(range.Start, 1),
                "This string has no closing quote; a string must end on the line where it starts (use a \"\"\" text block for several lines).");
            hasErrors = true;
        }
        hasErrors |= DecodeRun(source, range.Start + 1, contentEnd, builder, report, textBlock: false);
        return new StringSyntax(builder.Build(), range, isTextBlock: false, hasErrors);
    }

    /// <summary>Decodes a text block opened at <paramref name="opener"/>.</summary>
    public static StringSyntax DecodeTextBlock(string source, TextRange opener, TextBlockLines lines, Report report)
    {
        var builder = new PartsBuilder();
        var hasErrors = false;
        // An unterminated text block is reported by the splitter (EVAL0002 at its opener).
        if (lines.Closing is null) hasErrors = true;

        var indent = lines.ClosingIndent;
        for (var i = 0; i < lines.Content.Count; i++)
        {
            if (i > 0) builder.AppendText("\n");
            var line = lines.Content[i];
            var start = line.Start;
            if (lines.Closing is not null)
            {
                if (string.CompareOrdinal(source, start, indent, 0, Math.Min(indent.Length, line.Length)) == 0 && line.Length >= indent.Length)
                {
                    start += indent.Length;
                }
                else if (IsBlank(source, line))
                {
                    start = line.End;
                }
                else
                {
                    var first = start;
                    while (first < line.End && LineTokenizer.IsSpace(source[first])) first++;
                    // The first character left of the closing indentation is the unexpected token; an empty
                    // span is kept for a line that ends too early.
                    var width = char.IsHighSurrogate(source[first]) && first + 1 < line.End ? 2 : 1;
                    report(DiagnosticDescriptors.SyntaxError, new TextRange(first, width),
                        "This text block line is indented less than its closing \"\"\"; indent every line at least as far as the closing \"\"\".");
                    hasErrors = true;
                    start = first;
                }
            }
            hasErrors |= DecodeRun(source, start, line.End, builder, report, textBlock: true);
        }
        return new StringSyntax(builder.Build(), opener, isTextBlock: true, hasErrors);
    }

    private static bool DecodeRun(string source, int i, int end, PartsBuilder builder, Report report, bool textBlock)
    {
        var hasErrors = false;
        while (i < end)
        {
            var c = source[i];
            if (c == '\\')
            {
                if (i + 1 >= end)
                {
                    // In a string this is the end of an unterminated one (EVAL0002 already); a text block line
                    // cannot end in an escape.
                    if (textBlock)
                    {
                        report(DiagnosticDescriptors.InvalidEscape, new TextRange(i, 1),
                            "A backslash at the end of a text block line escapes nothing; write \\\\ for a backslash.");
                        hasErrors = true;
                    }
                    builder.AppendText("\\");
                    i++;
                    continue;
                }
                var next = source[i + 1];
                var escaped = next switch
                {
                    '"' => "\"",
                    '\\' => "\\",
                    'n' => "\n",
                    't' => "\t",
                    '{' => "{",
                    '}' => "}",
                    _ => null,
                };
                if (escaped is null)
                {
                    var width = char.IsSurrogatePair(source, i + 1) ? 3 : 2;
                    report(DiagnosticDescriptors.InvalidEscape, new TextRange(i, width),
                        $"'\\{source.Substring(i + 1, width - 1)}' is not an escape sequence; use \\\" \\\\ \\n \\t \\{{ or \\}}, or write \\\\ for a backslash.");
                    builder.AppendText(source.Substring(i, width));
                    hasErrors = true;
                    i += width;
                }
                else
                {
                    builder.AppendText(escaped);
                    i += 2;
                }
                continue;
            }
            if (c == '{')
            {
                var j = i + 1;
                while (j < end && j - i <= 200 && source[j] != '}' && source[j] != '{' && source[j] != '\\' && !LineTokenizer.IsSpace(source[j])) j++;
                if (j < end && source[j] == '}' && j > i + 1)
                {
                    var name = source.Substring(i + 1, j - i - 1);
                    if (PlaceholderPath.IsValid(name))
                    {
                        builder.AppendPlaceholder(name, TextRange.FromBounds(i, j + 1));
                        i = j + 1;
                        continue;
                    }
                }
            }
            builder.AppendText(c.ToString());
            i++;
        }
        return hasErrors;
    }

    private static bool EndsWithEscapedQuote(string source, TextRange range)
    {
        // "abc\" ends with an escaped quote, not a closing one: count the backslashes before the last quote.
        var backslashes = 0;
        for (var i = range.End - 2; i > range.Start && source[i] == '\\'; i--) backslashes++;
        return backslashes % 2 == 1;
    }

    private static bool IsBlank(string source, TextRange line)
    {
        for (var i = line.Start; i < line.End; i++) if (!LineTokenizer.IsSpace(source[i])) return false;
        return true;
    }

    private sealed class PartsBuilder
    {
        private readonly List<StringPart> _parts = new();
        private readonly StringBuilder _text = new();

        public void AppendText(string text) => _text.Append(text);

        public void AppendPlaceholder(string name, TextRange range)
        {
            Flush();
            _parts.Add(new PlaceholderPart(name, range));
        }

        public IReadOnlyList<StringPart> Build()
        {
            Flush();
            // Kept by the syntax tree for as long as it lives: exactly as long as it is (most strings are one part).
            return _parts.Count == 0 ? System.Array.Empty<StringPart>() : _parts.ToArray();
        }

        private void Flush()
        {
            if (_text.Length == 0) return;
            _parts.Add(new TextPart(_text.ToString()));
            _text.Clear();
        }
    }
}
