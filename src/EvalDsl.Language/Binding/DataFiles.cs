using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvalDsl.Lexing;

namespace EvalDsl.Binding;

/// <summary>A data file read into columns and rows, or the reason it could not be.</summary>
internal sealed class DataTable
{
    private DataTable(IReadOnlyList<string>? columns, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<IReadOnlyList<JsonElement?>>? nested, string? problem)
    {
        Columns = columns;
        Rows = rows;
        Nested = nested;
        Problem = problem;
    }

    public IReadOnlyList<string>? Columns { get; }
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <summary>A JSONL file's values that are objects or arrays, per row and column (null elsewhere), for <c>{a.b}</c> and <c>{a[0]}</c>.</summary>
    public IReadOnlyList<IReadOnlyList<JsonElement?>>? Nested { get; }

    /// <summary>Why the file cannot be used (EVAL0109), or null.</summary>
    public string? Problem { get; }

    public static DataTable Ok(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<IReadOnlyList<JsonElement?>>? nested = null) =>
        new(columns, rows, nested, null);

    public static DataTable Fail(string problem) => new(null, Array.Empty<IReadOnlyList<string>>(), null, problem);
}

/// <summary>Reads CSV (RFC 4180, header row of names) and JSONL (one object a line) data files.</summary>
internal static class DataFiles
{
    /// <summary>The name of a CSV's first column when its header cell is empty (a pandas index).</summary>
    public const string IndexColumn = "row";

    public static DataTable Read(string path, string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text.Substring(1);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" => ReadCsv(text),
            ".jsonl" or ".ndjson" => ReadJsonl(text),
            _ => DataTable.Fail($"'{path}' is neither a .csv nor a .jsonl file"),
        };
    }

    public static DataTable ReadCsv(string text)
    {
        var records = new List<(List<string> Fields, int Line)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var i = 0;
        var inQuotes = false;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                    inQuotes = false;
                    i++;
                    if (i < text.Length && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
                    {
                        return DataTable.Fail($"line {line}: a quoted field must be followed by a comma or the end of the line");
                    }
                    continue;
                }
                if (c == '\n') line++;
                field.Append(c);
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted:
                    inQuotes = true;
                    fieldStarted = true;
                    i++;
                    break;
                case '"':
                    return DataTable.Fail($"line {line}: a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    i++;
                    break;
                case '\r':
                case '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                    i++;
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    i++;
                    break;
            }
        }
        if (inQuotes) return DataTable.Fail($"line {recordLine}: a quoted field is never closed");
        EndRecord();

        if (records.Count == 0) return DataTable.Fail("the file is empty; it needs a header row of column names");
        var header = records[0].Fields.ConvertAll(h => h.Trim());
        // pandas writes its index with an empty header cell (",claim,truth"): that column is the row label.
        if (header.Count > 1 && header[0].Length == 0)
        {
            if (header.Contains(IndexColumn))
            {
                return DataTable.Fail($"the first header cell is empty, which names its column '{IndexColumn}', but another column is named '{IndexColumn}'");
            }
            header[0] = IndexColumn;
        }
        var columnProblem = CheckColumns(header);
        if (columnProblem is not null) return DataTable.Fail(columnProblem);
        var rows = new List<IReadOnlyList<string>>();
        for (var r = 1; r < records.Count; r++)
        {
            var (values, at) = records[r];
            if (values.Count != header.Count)
            {
                return DataTable.Fail($"line {at} has {values.Count} field{(values.Count == 1 ? "" : "s")} but the header has {header.Count}");
            }
            rows.Add(values);
        }
        return DataTable.Ok(header, rows);

        void EndRecord()
        {
            // A blank line holds no record (RFC 4180 has none; editors leave one at the end).
            if (fields.Count == 0 && field.Length == 0 && !fieldStarted) return;
            fields.Add(field.ToString());
            records.Add((fields, recordLine));
            fields = new List<string>();
            field.Clear();
            fieldStarted = false;
        }
    }

    public static DataTable ReadJsonl(string text)
    {
        List<string>? columns = null;
        var rows = new List<IReadOnlyList<string>>();
        var nested = new List<IReadOnlyList<JsonElement?>>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                return DataTable.Fail($"line {lineNumber} is not valid JSON ({FirstSentence(ex.Message)})");
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return DataTable.Fail($"line {lineNumber} is not a JSON object");
                }
                if (columns is null)
                {
                    columns = new List<string>();
                    foreach (var property in document.RootElement.EnumerateObject()) columns.Add(property.Name);
                    var problem = CheckColumns(columns);
                    if (problem is not null) return DataTable.Fail($"line {lineNumber}: {problem}");
                }
                var row = new string[columns.Count];
                var structure = new JsonElement?[columns.Count];
                for (var c = 0; c < columns.Count; c++)
                {
                    if (!document.RootElement.TryGetProperty(columns[c], out var value))
                    {
                        return DataTable.Fail($"line {lineNumber} has no '{Excerpt(columns[c])}' key, a column of the first line");
                    }
                    row[c] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                    // Cloned: the document is disposed after this line.
                    if (value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) structure[c] = value.Clone();
                }
                rows.Add(row);
                nested.Add(structure);
            }
        }
        if (columns is null) return DataTable.Fail("the file is empty; it needs one JSON object a line");
        return DataTable.Ok(columns, rows, nested);
    }

    private static string? CheckColumns(IReadOnlyList<string> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!LineTokenizer.IsName(column))
            {
                return $"the column '{Excerpt(column)}' is not a name (a letter, then letters, digits, - or _), so no placeholder can use it";
            }
            if (!seen.Add(column)) return $"the column '{Excerpt(column)}' appears twice";
        }
        return null;
    }

    /// <summary>The longest excerpt of a file a message quotes, in characters.</summary>
    public const int ExcerptLength = 40;

    private static readonly Regex Assignment = new(@"([A-Za-z_][A-Za-z0-9_.-]*)(\s*[=:]\s*)[^\s\x00-\x1f,;""']+", RegexOptions.CultureInvariant);
    private static readonly Regex Token = new(@"\b(sk|pk|rk|ghp|gho|github_pat|xox[abprs]|AKIA|AIza)[-_A-Za-z0-9]{6,}|(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{24,}", RegexOptions.CultureInvariant);

    /// <summary>
    /// What a message may quote of a file's content: at most <see cref="ExcerptLength"/> characters, with whatever
    /// looks like a secret masked (<c>NAME=value</c> and <c>name: value</c> pairs, <c>sk-…</c> and other key-like
    /// tokens) and control characters shown as <c>?</c>.
    /// </summary>
    public static string Excerpt(string text)
    {
        // Cut before masking (a 100 MB header stays cheap), mask, then cut to the excerpt's length.
        var head = text.Length > 4 * ExcerptLength ? text.Substring(0, 4 * ExcerptLength) : text;
        var masked = Token.Replace(Assignment.Replace(head, m => m.Groups[1].Value + m.Groups[2].Value + "***"), m => m.Value.Length > 3 && m.Groups[1].Success ? m.Groups[1].Value + "-***" : "***");
        var builder = new StringBuilder(ExcerptLength + 1);
        foreach (var c in masked)
        {
            if (builder.Length == ExcerptLength) break;
            builder.Append(char.IsControl(c) ? '?' : c);
        }
        if (masked.Length > ExcerptLength || head.Length < text.Length) builder.Append('…');
        return builder.ToString();
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return (dot > 0 ? message.Substring(0, dot) : message).TrimEnd('.');
    }
}
