using System.Collections.Generic;
using System.Linq;
using System.Text;
using EvalDsl.Text;

namespace EvalDsl.Syntax;

/// <summary>A name (identifier) with its range.</summary>
internal sealed record NameSyntax(string Text, TextRange Range)
{
    public override string ToString() => Text;
}

/// <summary>A part of a string: literal text or a <c>{placeholder}</c>.</summary>
internal abstract record StringPart;

/// <summary>Literal text (escapes already processed).</summary>
internal sealed record TextPart(string Text) : StringPart;

/// <summary>A <c>{name}</c> placeholder (or <c>{a.b}</c>, <c>{a[0]}</c>: see <see cref="PlaceholderPath"/>) and the range of its braces.</summary>
internal sealed record PlaceholderPart(string Name, TextRange Range) : StringPart
{
    /// <summary>The data column or vary it starts from.</summary>
    public string Root => PlaceholderPath.RootOf(Name);
}

/// <summary>A string or text block, decoded into parts.</summary>
internal sealed class StringSyntax
{
    public StringSyntax(IReadOnlyList<StringPart> parts, TextRange range, bool isTextBlock, bool hasErrors)
    {
        Parts = parts;
        Range = range;
        IsTextBlock = isTextBlock;
        HasErrors = hasErrors;
    }

    public IReadOnlyList<StringPart> Parts { get; }

    /// <summary>From the opening quote through the closing one (a text block: its opening <c>"""</c>).</summary>
    public TextRange Range { get; }

    public bool IsTextBlock { get; }

    /// <summary>Unterminated, or holding a bad escape or badly indented line.</summary>
    public bool HasErrors { get; }

    public IEnumerable<PlaceholderPart> Placeholders => HasPlaceholders ? Parts.OfType<PlaceholderPart>() : System.Array.Empty<PlaceholderPart>();

    /// <summary>Does any part name a placeholder? (Most strings are one text part; analyzers ask for every string.)</summary>
    public bool HasPlaceholders
    {
        get
        {
            for (var i = 0; i < Parts.Count; i++) if (Parts[i] is PlaceholderPart) return true;
            return false;
        }
    }

    /// <summary>The text with placeholders written back as <c>{name}</c>.</summary>
    public string Template => _template ??= BuildTemplate();

    private string? _template;

    private string BuildTemplate()
    {
        if (Parts.Count == 1 && Parts[0] is TextPart only) return only.Text;
        var sb = new StringBuilder();
        foreach (var part in Parts)
        {
            sb.Append(part switch
            {
                TextPart t => t.Text,
                PlaceholderPart p => "{" + p.Name + "}",
                _ => "",
            });
        }
        return sb.ToString();
    }

    public override string ToString() => Template;
}

/// <summary>A <c>/pattern/flags</c> literal.</summary>
internal sealed record RegexSyntax(string Pattern, string Flags, TextRange Range, bool IsValid)
{
    /// <summary>The <c>{name}</c> placeholders of the pattern, in order, each with where it sits in <see cref="Pattern"/>.</summary>
    public IReadOnlyList<RegexPlaceholder> Placeholders { get; init; } = System.Array.Empty<RegexPlaceholder>();
}

/// <summary>A placeholder in a regex: its part (name and source range) and the characters it takes in the pattern.</summary>
internal sealed record RegexPlaceholder(PlaceholderPart Part, int PatternStart, int PatternLength);

/// <summary>A number or percentage as written.</summary>
internal sealed record NumberSyntax(string Text, decimal? Value, bool IsPercentage, TextRange Range);

internal static class MissingSyntax
{
    /// <summary>A stand-in for a title or phrase string that did not parse (its declaration has a syntax error).</summary>
    public static StringSyntax String(TextRange at) => new(new StringPart[0], new TextRange(at.Start, 0), isTextBlock: false, hasErrors: true);

    /// <summary>A stand-in for a name that did not parse.</summary>
    public static NameSyntax Name(TextRange at) => new("", new TextRange(at.Start, 0));

    public static bool IsMissing(this StringSyntax s) => s.HasErrors && s.Range.Length == 0;

    public static bool IsMissing(this NameSyntax n) => n.Text.Length == 0;
}
