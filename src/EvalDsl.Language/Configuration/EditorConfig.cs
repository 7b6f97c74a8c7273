using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace EvalDsl.Configuration;

/// <summary>One parsed <c>.editorconfig</c> file: whether it is the root, and its sections in order.</summary>
internal sealed class EditorConfigFile
{
    private EditorConfigFile(string directory, bool isRoot, IReadOnlyList<Section> sections)
    {
        Directory = directory;
        IsRoot = isRoot;
        Sections = sections;
    }

    /// <summary>The folder holding the file, with '/' separators and no trailing '/'.</summary>
    public string Directory { get; }

    public bool IsRoot { get; }

    public IReadOnlyList<Section> Sections { get; }

    public sealed class Section
    {
        public Section(string glob, Regex? matcher)
        {
            Glob = glob;
            Matcher = matcher;
        }

        public string Glob { get; }

        /// <summary>Null when the glob is malformed: the section then matches nothing.</summary>
        public Regex? Matcher { get; }

        public Dictionary<string, string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    public static EditorConfigFile Parse(string directory, string text)
    {
        var sections = new List<Section>();
        var isRoot = false;
        Section? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line[0] == '#' || line[0] == ';') continue;
            if (line[0] == '[')
            {
                var close = line.LastIndexOf(']');
                var glob = close > 0 ? line.Substring(1, close - 1) : line.Substring(1);
                current = new Section(glob, GlobToRegex(glob));
                sections.Add(current);
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line.Substring(0, eq).Trim().ToLowerInvariant();
            var value = StripComment(line.Substring(eq + 1)).Trim();
            if (current is null)
            {
                if (key == "root") isRoot = value.Equals("true", StringComparison.OrdinalIgnoreCase);
                continue;
            }
            current.Properties[key] = value;
        }
        return new EditorConfigFile(directory.Replace('\\', '/').TrimEnd('/'), isRoot, sections);
    }

    /// <summary>Does the section apply to a file at <paramref name="relativePath"/> ('/'-separated, relative to <see cref="Directory"/>)?</summary>
    public static bool Matches(Section section, string relativePath) => section.Matcher?.IsMatch(relativePath) == true;

    private static string StripComment(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if ((value[i] == '#' || value[i] == ';') && (i == 0 || char.IsWhiteSpace(value[i - 1]))) return value.Substring(0, i);
        }
        return value;
    }

    /// <summary>
    /// EditorConfig globs: <c>*</c> (not '/'), <c>**</c>, <c>?</c>, <c>[abc]</c>, <c>[!abc]</c>, <c>{a,b}</c>,
    /// <c>{1..3}</c>, <c>\</c> escapes. A glob without '/' matches the file name at any depth.
    /// </summary>
    internal static Regex? GlobToRegex(string glob)
    {
        try
        {
            var hasSlash = HasSlashOutsideBrackets(glob);
            if (glob.StartsWith("/", StringComparison.Ordinal)) glob = glob.Substring(1);
            var sb = new StringBuilder("^");
            if (!hasSlash) sb.Append("(?:.*/)?");
            var braceDepth = 0;
            for (var i = 0; i < glob.Length; i++)
            {
                var c = glob[i];
                switch (c)
                {
                    case '\\' when i + 1 < glob.Length:
                        sb.Append(Regex.Escape(glob[++i].ToString()));
                        break;
                    case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                        sb.Append(".*");
                        i++;
                        break;
                    case '*':
                        sb.Append("[^/]*");
                        break;
                    case '?':
                        sb.Append("[^/]");
                        break;
                    case '[':
                    {
                        var close = glob.IndexOf(']', i + 1);
                        if (close < 0) { sb.Append("\\["); break; }
                        var body = glob.Substring(i + 1, close - i - 1);
                        sb.Append('[');
                        if (body.StartsWith("!", StringComparison.Ordinal)) { sb.Append('^'); body = body.Substring(1); }
                        sb.Append(body.Replace("\\", "\\\\").Replace("[", "\\["));
                        sb.Append(']');
                        i = close;
                        break;
                    }
                    case '{':
                    {
                        var close = FindClosingBrace(glob, i);
                        if (close < 0) { sb.Append("\\{"); break; }
                        var body = glob.Substring(i + 1, close - i - 1);
                        var range = Regex.Match(body, @"^(-?\d+)\.\.(-?\d+)$");
                        if (range.Success)
                        {
                            var lo = int.Parse(range.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                            var hi = int.Parse(range.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                            if (lo > hi) (lo, hi) = (hi, lo);
                            if (hi - lo > 10000) return null;
                            var options = new List<string>();
                            for (var n = lo; n <= hi; n++) options.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
                            sb.Append("(?:").Append(string.Join("|", options)).Append(')');
                            i = close;
                            break;
                        }
                        if (!body.Contains(","))
                        {
                            sb.Append(Regex.Escape("{" + body + "}"));
                            i = close;
                            break;
                        }
                        sb.Append("(?:");
                        braceDepth++;
                        break;
                    }
                    case '}' when braceDepth > 0:
                        sb.Append(')');
                        braceDepth--;
                        break;
                    case ',' when braceDepth > 0:
                        sb.Append('|');
                        break;
                    default:
                        sb.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }
            sb.Append('$');
            return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static int FindClosingBrace(string glob, int open)
    {
        var depth = 0;
        for (var i = open; i < glob.Length; i++)
        {
            if (glob[i] == '\\') { i++; continue; }
            if (glob[i] == '{') depth++;
            else if (glob[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static bool HasSlashOutsideBrackets(string glob)
    {
        var inBrackets = false;
        foreach (var c in glob)
        {
            if (c == '[') inBrackets = true;
            else if (c == ']') inBrackets = false;
            else if (c == '/' && !inBrackets) return true;
        }
        return false;
    }
}
