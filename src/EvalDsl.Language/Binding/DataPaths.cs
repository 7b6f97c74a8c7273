using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using EvalDsl.Syntax;

namespace EvalDsl.Binding;

/// <summary>
/// Resolves <c>{a.b}</c> and <c>{a[0]}</c> placeholders in one row of a data set: into the JSON object or array a
/// JSONL file holds in column <c>a</c>. A string leaf is its text; any other leaf (a number, true, an object…) is its
/// JSON text, as a top-level value that is not a string is.
/// </summary>
internal static class DataPaths
{
    /// <summary>The value of <paramref name="path"/> in kept row <paramref name="row"/>, or null with why it does not resolve.</summary>
    public static string? Resolve(BoundDataSet data, int row, string path, out string? why)
    {
        why = null;
        if (data.Columns is null || !PlaceholderPath.TryParse(path, out var root, out var steps)) { why = "it is not a data path"; return null; }
        var column = IndexOf(data.Columns, root);
        if (column < 0) { why = $"there is no column '{root}'"; return null; }
        if (steps.Count == 0) return data.Rows[row][column];

        if (data.Nested?[row][column] is not { } current)
        {
            why = $"column '{root}' holds {Describe(data.Rows[row][column])}, not a JSON object or array";
            return null;
        }
        var at = root;
        foreach (var step in steps)
        {
            if (step.Key is { } key)
            {
                if (current.ValueKind != JsonValueKind.Object) { why = $"'{at}' is {Kind(current)}, not an object"; return null; }
                if (!current.TryGetProperty(key, out var next)) { why = $"'{at}' has no key '{DataFiles.Excerpt(key)}'"; return null; }
                current = next;
            }
            else
            {
                if (current.ValueKind != JsonValueKind.Array) { why = $"'{at}' is {Kind(current)}, not an array"; return null; }
                var length = current.GetArrayLength();
                if (step.Index >= length)
                {
                    why = $"'{at}' has no item [{step.Index.ToString(CultureInfo.InvariantCulture)}] (it has {length.ToString(CultureInfo.InvariantCulture)})";
                    return null;
                }
                current = current[step.Index];
            }
            at += step.ToString();
        }
        return current.ValueKind == JsonValueKind.String ? current.GetString()! : current.GetRawText();
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var c = 0; c < columns.Count; c++) if (columns[c] == name) return c;
        return -1;
    }

    private static string Describe(string text) => text.Length == 0 ? "an empty text" : "text";

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
