using System;
using System.Collections.Generic;

namespace EvalDsl.Syntax;

/// <summary>
/// In-file suppressions: <c># evaldsl-disable-next-line ID[, ID…]</c> for the next line that is neither blank
/// nor a comment, and <c># evaldsl-disable ID…</c> from its line to the end of the file.
/// </summary>
internal sealed class Suppressions
{
    public static readonly Suppressions None = new(new Dictionary<string, List<int>>(), new Dictionary<string, int>());

    private readonly Dictionary<string, List<int>> _lines;      // ID → 1-based lines
    private readonly Dictionary<string, int> _fromLine;         // ID → first 1-based line disabled for the rest of the file

    private Suppressions(Dictionary<string, List<int>> lines, Dictionary<string, int> fromLine)
    {
        _lines = lines;
        _fromLine = fromLine;
    }

    public bool IsSuppressed(string id, int line) =>
        (_fromLine.TryGetValue(id, out var from) && line >= from) ||
        (_lines.TryGetValue(id, out var lines) && lines.Contains(line));

    /// <summary>Builds the suppressions from comments (1-based line, comment text from <c>#</c>) and a per-line "is code" map.</summary>
    public static Suppressions From(IEnumerable<(int Line, string Comment)> comments, Func<int, bool> isCodeLine, int lineCount)
    {
        Dictionary<string, List<int>>? lines = null;
        Dictionary<string, int>? fromLine = null;
        foreach (var (line, comment) in comments)
        {
            var text = comment.TrimStart('#').Trim();
            const string NextLine = "evaldsl-disable-next-line";
            const string Rest = "evaldsl-disable";
            if (StartsWithWord(text, NextLine))
            {
                var target = line + 1;
                while (target <= lineCount && !isCodeLine(target)) target++;
                if (target > lineCount) continue;
                foreach (var id in Ids(text.Substring(NextLine.Length)))
                {
                    lines ??= new Dictionary<string, List<int>>(StringComparer.OrdinalIgnoreCase);
                    if (!lines.TryGetValue(id, out var list)) lines[id] = list = new List<int>();
                    list.Add(target);
                }
            }
            else if (StartsWithWord(text, Rest))
            {
                foreach (var id in Ids(text.Substring(Rest.Length)))
                {
                    fromLine ??= new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                    if (!fromLine.TryGetValue(id, out var existing) || existing > line) fromLine[id] = line;
                }
            }
        }
        return lines is null && fromLine is null
            ? None
            : new Suppressions(lines ?? new(), fromLine ?? new());
    }

    private static bool StartsWithWord(string text, string word) =>
        text.StartsWith(word, StringComparison.Ordinal) &&
        (text.Length == word.Length || text[word.Length] == ' ' || text[word.Length] == '\t');

    private static IEnumerable<string> Ids(string list) =>
        list.Split(new[] { ',', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
}
