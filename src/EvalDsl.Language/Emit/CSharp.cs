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

    /// <summary>
    /// The length (UTF-16 code units) above which <see cref="Value"/> writes a string as UTF-8 data rather than an
    /// ordinary literal.
    /// </summary>
    internal const int Utf8Threshold = 512;

    /// <summary>The call a long <see cref="Value"/> is written with, before its <c>"…"u8</c> literal.</summary>
    internal const string Utf8Call = "global::System.Text.Encoding.UTF8.GetString(";

    /// <summary>
    /// A C# expression (not a constant) whose value is exactly <paramref name="value"/>. A string longer than
    /// <see cref="Utf8Threshold"/> is written as <c>Encoding.UTF8.GetString("…"u8)</c>: a UTF-8 literal is stored as
    /// data in the assembly, not in its user string heap, whose 16 MB is all the ordinary literals of an assembly can
    /// take (CS8103). A string with a lone surrogate has no UTF-8 form and stays an ordinary literal. Both are
    /// escaped as <see cref="Literal"/> escapes them.
    /// </summary>
    public static string Value(string? value) =>
        value is { Length: > Utf8Threshold } && IsWellFormed(value) ? Utf8Call + Literal(value) + "u8)" : Literal(value);

    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) i++;
            else if (char.IsSurrogate(c)) return false;
        }
        return true;
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

    /// <summary>
    /// Members no generated test method may be named: what <see cref="object"/> declares (a test named
    /// <c>Equals</c> would hide or overload it: CS0114, CS0108, xUnit1024) and the suite's partial method.
    /// </summary>
    public static readonly IReadOnlyCollection<string> ReservedMembers = new[]
    {
        "Equals", "Finalize", "GetHashCode", "GetType", "MemberwiseClone", "ReferenceEquals", "ToString", "ConfigureModels",
    };

    /// <summary>
    /// <paramref name="value"/> as a namespace that compiles (keywords escaped: <c>My.@int.Specs</c>), or null
    /// when it is not a dotted name.
    /// </summary>
    public static string? Namespace(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value!.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i].StartsWith("@", System.StringComparison.Ordinal) ? parts[i].Substring(1) : parts[i];
            if (part.Length == 0 || !IsIdentifierStart(part[0]) || !part.All(c => char.IsLetterOrDigit(c) || c == '_')) return null;
            parts[i] = Keywords.Contains(part) ? "@" + part : part;
        }
        return string.Join(".", parts);
    }

    /// <summary>The class names of suites with these titles: valid identifiers, unique in order, none a reserved member.</summary>
    public static List<string> ClassNames(IEnumerable<string> titles) =>
        Unique(titles.Select(t => Identifier(t, "Suite", pascal: true)), new HashSet<string>(ReservedMembers, System.StringComparer.Ordinal));

    /// <summary>The longest file name stem, in UTF-8 bytes: with ".g.cs" and a "_2" it stays far below the 255 bytes file systems allow.</summary>
    internal const int MaxFileStemBytes = 120;

    /// <summary>
    /// A file name (<c>Name.g.cs</c>) for each class: the class name cut to <see cref="MaxFileStemBytes"/> UTF-8 bytes
    /// (a cut one gets a stable hash of the whole name), unique ignoring case (as Roslyn's hint names and many file
    /// systems compare them).
    /// </summary>
    public static List<string> FileNames(IEnumerable<string> classNames)
    {
        var used = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var name in classNames)
        {
            var stem = name;
            if (Encoding.UTF8.GetByteCount(stem) > MaxFileStemBytes)
            {
                var hash = "_" + Hash(name);
                stem = CutToBytes(name, MaxFileStemBytes - hash.Length) + hash;
            }
            var candidate = stem;
            for (var n = 2; !used.Add(candidate); n++) candidate = stem + "_" + n.ToString(CultureInfo.InvariantCulture);
            result.Add(candidate + ".g.cs");
        }
        return result;
    }

    private static string CutToBytes(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.ToCharArray(i, width));
            if (bytes + size > maxBytes) break;
            bytes += size;
            i += width;
        }
        return text.Substring(0, i);
    }

    // FNV-1a over the UTF-16 code units: stable across processes and runtimes (string.GetHashCode is not).
    private static string Hash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = unchecked((hash ^ c) * 16777619u);
        return hash.ToString("x8", CultureInfo.InvariantCulture);
    }

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
