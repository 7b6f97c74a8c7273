using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace EvalDsl.Emit;

/// <summary>C# lexical helpers: string literals that round-trip any text, and valid, stable identifiers for any title.</summary>
internal static class CSharp
{
    private static readonly HashSet<string> Keywords = new(System.StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>
    /// A regular C# string literal whose value is exactly <paramref name="value"/>. Quotes and backslashes are escaped;
    /// every control, format (e.g. right-to-left marks), separator, surrogate or private-use character is written as
    /// <c>\uXXXX</c>, so no text can end the literal, start a directive or reorder what a reader sees.
    /// </summary>
    public static string Literal(string? value)
    {
        if (value is null) return "null";
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                // A well-formed pair (an emoji) is printable text.
                sb.Append(c).Append(value[i + 1]);
                i++;
                continue;
            }
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (c < 0x20 || c == 0x7F || category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                    or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                continue;
            }
            sb.Append(c);
        }
        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>A decimal literal that round-trips (e.g. <c>66.5</c>).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// A PascalCase-ish identifier from any title: its letters and digits in words joined by '_' (Unicode letters
    /// kept, everything else a separator); a leading digit gets a '_' prefix; a keyword gets '@'; an empty result is
    /// <paramref name="fallback"/>.
    /// </summary>
    public static string Identifier(string title, string fallback, bool pascal)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var c in title)
        {
            if (IsIdentifierPart(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0) words.Add(word.ToString());
        if (words.Count == 0) return fallback;

        var sb = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (pascal)
            {
                sb.Append(char.ToUpperInvariant(w[0])).Append(w, 1, w.Length - 1);
            }
            else
            {
                if (i > 0) sb.Append('_');
                sb.Append(i == 0 ? char.ToUpperInvariant(w[0]) + w.Substring(1) : w);
            }
        }
        var id = sb.ToString();
        if (!IsIdentifierStart(id[0])) id = "_" + id;
        if (id.Length > 200) id = id.Substring(0, 200);
        return Keywords.Contains(id) ? "@" + id : id;
    }

    /// <summary>Is <paramref name="value"/> a dotted C# namespace (<c>Contoso.Evals</c>)?</summary>
    public static bool IsNamespace(string value) =>
        value.Length > 0 && value.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => char.IsLetterOrDigit(c) || c == '_'));

    /// <summary>Makes names unique in order: the second "X" becomes "X_2".</summary>
    public static List<string> Unique(IEnumerable<string> names, ISet<string>? taken = null)
    {
        var used = taken ?? new HashSet<string>(System.StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var name in names)
        {
            var candidate = name;
            for (var n = 2; !used.Add(candidate); n++) candidate = name + "_" + n.ToString(CultureInfo.InvariantCulture);
            result.Add(candidate);
        }
        return result;
    }

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c)
    {
        if (c == '_') return false;
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber
            or UnicodeCategory.DecimalDigitNumber;
    }
}
