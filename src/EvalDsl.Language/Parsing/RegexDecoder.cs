using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Parsing;

/// <summary>Decodes a <c>/pattern/flags</c> literal and checks it with .NET's regex parser.</summary>
internal static class RegexDecoder
{
    public static RegexSyntax Decode(string source, TextRange range, Report report)
    {
        var end = range.End;
        var pattern = new StringBuilder();
        var placeholders = new List<RegexPlaceholder>();
        var i = range.Start + 1;
        var closed = false;
        var afterCategory = false;
        while (i < end)
        {
            var c = source[i];
            if (c == '\\' && i + 1 < end)
            {
                if (source[i + 1] == '/') pattern.Append('/');
                else pattern.Append(c).Append(source[i + 1]);
                // \p{Lu} and \P{Lu} name a Unicode category: their braces are the regex's, not a placeholder.
                afterCategory = source[i + 1] is 'p' or 'P';
                i += 2;
                continue;
            }
            if (c == '{' && !afterCategory && Placeholder(source, i, end) is { } length)
            {
                var name = source.Substring(i + 1, length - 2);
                placeholders.Add(new RegexPlaceholder(new PlaceholderPart(name, new TextRange(i, length)), pattern.Length, length));
                pattern.Append(source, i, length);
                i += length;
                continue;
            }
            afterCategory = false;
            i++;
            if (c == '/') { closed = true; break; }
            pattern.Append(c);
        }

        if (!closed)
        {
            report(DiagnosticDescriptors.InvalidRegex, range, "This regular expression is not closed; end it with '/' (write \\/ for a slash inside it).");
            return new RegexSyntax(pattern.ToString(), "", range, IsValid: false);
        }

        var flags = source.Substring(i, end - i);
        var options = RegexOptions.None;
        foreach (var flag in flags)
        {
            switch (flag)
            {
                case 'i': options |= RegexOptions.IgnoreCase; break;
                case 'm': options |= RegexOptions.Multiline; break;
                case 's': options |= RegexOptions.Singleline; break;
                case 'x': options |= RegexOptions.IgnorePatternWhitespace; break;
                default:
                    report(DiagnosticDescriptors.InvalidRegex, range, $"'{flag}' is not a regular expression flag; use i, m, s or x.");
                    return new RegexSyntax(pattern.ToString(), flags, range, IsValid: false);
            }
        }

        try
        {
            _ = new Regex(pattern.ToString(), options, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            report(DiagnosticDescriptors.InvalidRegex, range, $"Invalid regular expression: {Reason(ex.Message)}");
            return new RegexSyntax(pattern.ToString(), flags, range, IsValid: false);
        }
        return new RegexSyntax(pattern.ToString(), flags, range, IsValid: true) { Placeholders = placeholders };
    }

    /// <summary>
    /// The length of a <c>{name}</c> placeholder (<c>{a.b}</c>, <c>{a[0]}</c>) starting at <paramref name="at"/>, or
    /// null. A quantifier (<c>{2}</c>, <c>{2,5}</c>) starts with a digit, so it is never one.
    /// </summary>
    private static int? Placeholder(string source, int at, int end)
    {
        var j = at + 1;
        while (j < end && j - at <= 200 && source[j] is not ('}' or '{' or '\\' or '/') && !char.IsWhiteSpace(source[j])) j++;
        if (j >= end || source[j] != '}' || j == at + 1) return null;
        return PlaceholderPath.IsValid(source.Substring(at + 1, j - at - 1)) ? j - at + 1 : null;
    }

    /// <summary>Options for a valid flags string (the plan's one mapping).</summary>
    public static RegexOptions OptionsOf(string flags) => EvalDsl.Plan.EvalExpectation.OptionsOf(flags);

    // .NET words it "Invalid pattern '[a-' at offset 3. Unterminated [] set." — keep the reason, which is
    // what a spec author can act on.
    private static string Reason(string message)
    {
        var firstLine = message.Split('\n')[0].Trim();
        var dot = firstLine.IndexOf(". ", StringComparison.Ordinal);
        var reason = firstLine.StartsWith("Invalid pattern", StringComparison.Ordinal) && dot >= 0 ? firstLine.Substring(dot + 2) : firstLine;
        return reason.EndsWith(".", StringComparison.Ordinal) ? reason : reason + ".";
    }
}
