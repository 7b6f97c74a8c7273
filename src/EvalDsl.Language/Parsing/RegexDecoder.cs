using System;
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
        var i = range.Start + 1;
        var closed = false;
        while (i < end)
        {
            var c = source[i];
            if (c == '\\' && i + 1 < end)
            {
                if (source[i + 1] == '/') pattern.Append('/');
                else pattern.Append(c).Append(source[i + 1]);
                i += 2;
                continue;
            }
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
        return new RegexSyntax(pattern.ToString(), flags, range, IsValid: true);
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
