using System.Collections.Generic;
using System.Globalization;
using EvalDsl.Lexing;

namespace EvalDsl.Syntax;

/// <summary>One step into a nested JSON value: a key (<c>.name</c>) or an array index (<c>[0]</c>).</summary>
internal readonly record struct PathStep(string? Key, int Index)
{
    public override string ToString() => Key is not null ? "." + Key : "[" + Index.ToString(CultureInfo.InvariantCulture) + "]";
}

/// <summary>
/// The name inside a placeholder's braces: a name (a data column or a vary), then any number of <c>.key</c> and
/// <c>[index]</c> steps into a nested JSONL value, as in <c>{base.correct_letter}</c> or <c>{answers[0]}</c>.
/// </summary>
internal static class PlaceholderPath
{
    /// <summary>Splits <paramref name="text"/> into its root name and its steps; false when it is not a placeholder name.</summary>
    public static bool TryParse(string text, out string root, out IReadOnlyList<PathStep> steps)
    {
        root = "";
        steps = System.Array.Empty<PathStep>();
        var end = 0;
        while (end < text.Length && text[end] != '.' && text[end] != '[') end++;
        if (end == 0 || !LineTokenizer.IsName(text.Substring(0, end))) return false;
        root = text.Substring(0, end);
        if (end == text.Length) return true;

        var list = new List<PathStep>();
        var i = end;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                var key = text.Substring(start, i - start);
                if (!LineTokenizer.IsName(key)) return false;
                list.Add(new PathStep(key, 0));
            }
            else if (text[i] == '[')
            {
                var start = ++i;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9') i++;
                if (i == start || i - start > 9 || i >= text.Length || text[i] != ']') return false;
                list.Add(new PathStep(null, int.Parse(text.Substring(start, i - start), CultureInfo.InvariantCulture)));
                i++;
            }
            else
            {
                return false;
            }
        }
        steps = list;
        return true;
    }

    public static bool IsValid(string text) => TryParse(text, out _, out _);

    /// <summary>The data column or vary a placeholder starts from.</summary>
    public static string RootOf(string text) => TryParse(text, out var root, out _) ? root : text;

    /// <summary>True when the placeholder goes into a nested value (<c>{a.b}</c>, <c>{a[0]}</c>).</summary>
    public static bool IsNested(string text) => text.IndexOf('.') >= 0 || text.IndexOf('[') >= 0;
}
