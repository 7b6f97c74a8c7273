using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Lexing;
using EvalDsl.Parsing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Editing;

/// <summary>The editor services of <see cref="EditorServices"/>, over the syntax trees and the bound model.</summary>
internal static class EditorQueries
{
    /// <summary>The most lines of a declaration a hover shows.</summary>
    private const int HoverLines = 12;

    /// <summary>The most values of a column a hover shows.</summary>
    private const int HoverValues = 3;

    private static readonly Regex DidYouMean = new(@"Did you mean '(?<s>[^']*)'\?$", RegexOptions.CultureInvariant);

    public static EditorHover? Hover(EvalCompilation compilation, string path, int line, int column)
    {
        if (Find(compilation, path) is not { } tree) return null;
        var offset = Offset(tree, line, column);
        var at = At(compilation, tree, offset);
        if (at is not null)
        {
            var text = Describe(compilation, at.Symbol);
            if (text is not null) return new EditorHover(tree.Source.Location(at.Range), text);
        }
        if (WordAt(tree.Source, offset) is { } word && KeywordTable.Find(tree.Source.Text.Substring(word.Start, word.Length)) is { } keyword && IsFirstWord(tree.Source, word))
        {
            return new EditorHover(tree.Source.Location(word), $"**{keyword.Word}** — {keyword.Help}");
        }
        return null;
    }

    public static IReadOnlyList<SourceLocation> Definition(EvalCompilation compilation, string path, int line, int column)
    {
        if (Find(compilation, path) is not { } tree || At(compilation, tree, Offset(tree, line, column)) is not { } at) return Array.Empty<SourceLocation>();
        return All(compilation).Where(o => o.IsDeclaration && o.Symbol == at.Symbol).Select(Location).ToList();
    }

    public static IReadOnlyList<SourceLocation> References(EvalCompilation compilation, string path, int line, int column, bool includeDeclaration)
    {
        if (Find(compilation, path) is not { } tree || At(compilation, tree, Offset(tree, line, column)) is not { } at) return Array.Empty<SourceLocation>();
        return All(compilation).Where(o => o.Symbol == at.Symbol && (includeDeclaration || !o.IsDeclaration)).Select(Location).Distinct().ToList();
    }

    public static IReadOnlyList<EditorTextEdit>? Rename(EvalCompilation compilation, string path, int line, int column, string newName)
    {
        if (Find(compilation, path) is not { } tree || At(compilation, tree, Offset(tree, line, column)) is not { } at) return null;
        if (at.Symbol.Kind == SymbolKind.Behavior)
        {
            // A built-in phrase is the catalogue's; a phrase goes between quotes, on one line.
            if (BehaviorCatalog.FindBuiltIn(at.Symbol.Name) is not null) return null;
            if (newName.Trim().Length == 0 || newName.IndexOfAny(new[] { '"', '\\', '\n', '\r', '{', '}' }) >= 0) return null;
        }
        else if (!LineTokenizer.IsName(newName))
        {
            return null;
        }
        return All(compilation).Where(o => o.Symbol == at.Symbol).Select(o => new EditorTextEdit(Location(o), newName)).GroupBy(e => e.Range).Select(g => g.First()).ToList();
    }

    public static IReadOnlyList<EditorCompletion> Complete(EvalCompilation compilation, string path, int line, int column)
    {
        if (Find(compilation, path) is not { } tree) return Array.Empty<EditorCompletion>();
        var source = tree.Source;
        var offset = Offset(tree, line, column);
        var lineStart = source.LineStart(source.LineOf(offset));
        var prefix = source.Text.Substring(lineStart, offset - lineStart);
        var bound = compilation.Bound;
        var (suite, @case, block) = Enclosing(tree, offset);
        var boundCase = @case is null ? null : bound.Suites.SelectMany(s => s.Cases).FirstOrDefault(c => c.Syntax == @case);
        var items = new List<EditorCompletion>();

        Match m;
        if ((m = Regex.Match(prefix, @"\bconsistent\s+across\s+(?<p>[\p{L}\p{N}_-]*)$")).Success && @case is not null)
        {
            var range = Range(source, offset - m.Groups["p"].Length, offset);
            foreach (var vary in @case.Turns.OfType<VarySyntax>().Where(v => !v.Name.IsMissing()))
            {
                items.Add(new EditorCompletion(vary.Name.Text, EditorCompletionKind.Vary, VaryDetail(vary), range));
            }
            return items;
        }
        if ((m = Regex.Match(prefix, @"^\s*(must|should)(\s+not)?\s+(?<p>[^""{}/]*)$")).Success && @case is not null)
        {
            var range = Range(source, offset - m.Groups["p"].Length, offset);
            foreach (var b in bound.Catalogue.GroupBy(b => b.Key).Select(g => g.First()))
            {
                if (b.Phrase == BehaviorCatalog.ConsistentAcross) continue;
                items.Add(new EditorCompletion(b.Phrase, EditorCompletionKind.Behavior, b.Means, range));
            }
            foreach (var vary in @case.Turns.OfType<VarySyntax>().Where(v => !v.Name.IsMissing()))
            {
                items.Add(new EditorCompletion("be consistent across " + vary.Name.Text, EditorCompletionKind.Behavior, "The reply gives the same substantive assessment under every label of this vary.", range));
            }
            return items;
        }
        if ((m = Regex.Match(prefix, @"^\s*with\s+(?<p>[\p{L}\p{N}_-]*)$")).Success && @case is not null)
        {
            var range = Range(source, offset - m.Groups["p"].Length, offset);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in (suite?.Personas ?? new List<PersonaSyntax>()).Concat(bound.Trees.SelectMany(t => t.Personas)))
            {
                if (!p.Name.IsMissing() && names.Add(p.Name.Text)) items.Add(new EditorCompletion(p.Name.Text, EditorCompletionKind.Persona, Declared("persona", p), range));
            }
            return items;
        }
        if ((m = Regex.Match(prefix, @"\bfor\s+each\s+(?<p>[\p{L}\p{N}_-]*)$")).Success && suite is not null)
        {
            var range = Range(source, offset - m.Groups["p"].Length, offset);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in suite.DataSets.Concat(bound.Trees.SelectMany(t => t.DataSets)))
            {
                if (!d.Name.IsMissing() && names.Add(d.Name.Text)) items.Add(new EditorCompletion(d.Name.Text, EditorCompletionKind.DataSet, Declared("data", d), range));
            }
            return items;
        }
        if ((m = Regex.Match(prefix, @"\{(?<p>[\p{L}\p{N}_-]*)$")).Success && @case is not null)
        {
            var range = Range(source, offset - m.Groups["p"].Length, offset);
            if (boundCase?.Data is { Columns: { } columns } data)
            {
                foreach (var c in columns) items.Add(new EditorCompletion(c, EditorCompletionKind.Column, $"Column of data {data.Name}: {Values(data, c)}", range));
            }
            foreach (var vary in @case.Turns.OfType<VarySyntax>().Where(v => !v.Name.IsMissing()))
            {
                items.Add(new EditorCompletion(vary.Name.Text, EditorCompletionKind.Vary, VaryDetail(vary), range));
            }
            return items;
        }
        if ((m = Regex.Match(prefix, @"^\s*(?<p>\p{L}*)$")).Success)
        {
            var range = Range(source, offset - m.Groups["p"].Length, offset);
            foreach (var word in block)
            {
                items.Add(new EditorCompletion(word, EditorCompletionKind.Keyword, KeywordTable.Find(word)?.Help ?? "", range));
            }
        }
        return items;
    }

    public static IReadOnlyList<EditorCodeAction> CodeActions(EvalCompilation compilation, Diagnostic diagnostic)
    {
        var actions = new List<EditorCodeAction>();
        if (Find(compilation, diagnostic.Location.Path) is not { } tree) return actions;
        var source = tree.Source;
        var start = Math.Min(diagnostic.Location.Offset, source.Text.Length);
        var range = new TextRange(start, Math.Min(diagnostic.Location.Length, source.Text.Length - start));

        var match = DidYouMean.Match(diagnostic.Message);
        if (match.Success && range.Length > 0 && match.Groups["s"].Value.IndexOf('…') < 0)
        {
            var suggestion = match.Groups["s"].Value;
            actions.Add(new EditorCodeAction($"Change to '{suggestion}'", new[] { new EditorTextEdit(source.Location(range), suggestion) }, diagnostic, isPreferred: true));
        }

        if (diagnostic.Id == DiagnosticDescriptors.UncalibratedBehavior.Id &&
            tree.Behaviors.FirstOrDefault(b => b.Phrase.Range.Start == start) is { Status.End: { } end } behavior &&
            end > 0 && source.Text[end - 1] == '}')
        {
            // The new line goes just before the line of the closing brace, indented one step more than the keyword;
            // a block closed on a line with other text (a one-line block) gets no such fix.
            var closeLine = source.LineOf(end - 1);
            var insertAt = source.LineStart(closeLine);
            if (source.Text.Substring(insertAt, end - 1 - insertAt).Trim().Length == 0 && closeLine > source.LineOf(behavior.Keyword.Start))
            {
                var at = source.Location(new TextRange(insertAt, 0));
                var indent = Indentation(source, source.LineOf(behavior.Keyword.Start)) + "  ";
                if (behavior.Shows.Count == 0)
                {
                    actions.Add(new EditorCodeAction("Add a shows example", new[] { new EditorTextEdit(at, $"{indent}shows \"A reply that shows it.\"\n") }, diagnostic, isPreferred: false));
                }
                if (behavior.Lacks.Count == 0)
                {
                    actions.Add(new EditorCodeAction("Add a lacks example", new[] { new EditorTextEdit(at, $"{indent}lacks \"A reply that does not show it.\"\n") }, diagnostic, isPreferred: false));
                }
            }
        }

        if (diagnostic.Descriptor.IsConfigurable)
        {
            var line = diagnostic.Location.Line - 1;
            var lineStart = source.LineStart(line);
            var comment = $"{Indentation(source, line)}# evaldsl-disable-next-line {diagnostic.Id}\n";
            actions.Add(new EditorCodeAction($"Suppress {diagnostic.Id} on this line", new[] { new EditorTextEdit(source.Location(new TextRange(lineStart, 0)), comment) }, diagnostic, isPreferred: false));
        }
        return actions;
    }

    public static IReadOnlyList<EditorSymbol> Symbols(EvalCompilation compilation, string path) =>
        Find(compilation, path) is { } tree ? Outline.Symbols(tree) : Array.Empty<EditorSymbol>();

    public static IReadOnlyList<SourceLocation> FoldingRanges(EvalCompilation compilation, string path) =>
        Find(compilation, path) is { } tree ? Outline.Folds(tree) : Array.Empty<SourceLocation>();

    public static IReadOnlyList<EditorToken> SemanticTokens(EvalCompilation compilation, string path) =>
        Find(compilation, path) is { } tree ? Outline.Tokens(tree, compilation.Occurrences) : Array.Empty<EditorToken>();

    private static string? Describe(EvalCompilation compilation, Symbol symbol)
    {
        var bound = compilation.Bound;
        switch (symbol.Kind)
        {
            case SymbolKind.Behavior:
                var behavior = bound.Catalogue.FirstOrDefault(b => b.Key == (string)symbol.Identity);
                if (behavior is null) return null;
                var text = new StringBuilder();
                text.Append("**").Append(behavior.Phrase).Append("** (").Append(behavior.IsBuiltIn ? "built-in behavior" : "behavior").Append(")\n\n");
                if (behavior.Means.Length > 0) text.Append(behavior.Means).Append("\n\n");
                foreach (var cite in behavior.Cites) text.Append("Cite: ").Append(cite).Append("\n\n");
                if (behavior.Shows.Count > 0) text.Append("Shows: ").Append(Quote(behavior.Shows[0])).Append("\n\n");
                if (behavior.Lacks.Count > 0) text.Append("Lacks: ").Append(Quote(behavior.Lacks[0])).Append("\n\n");
                return text.ToString().TrimEnd('\n');
            case SymbolKind.Persona:
                var persona = (PersonaSyntax)symbol.Identity;
                return Declaration("persona", persona.Name.Text, persona, persona.Status);
            case SymbolKind.Data:
                var data = (DataSyntax)symbol.Identity;
                var rows = bound.DataOf.TryGetValue(data, out var bd) ? $"\n\n{bd.Rows.Count} row{(bd.Rows.Count == 1 ? "" : "s")}" + (bd.Columns is { } cs ? $"; columns: {string.Join(", ", cs)}" : "") : "";
                return Declaration("data", data.Name.Text, data, data.Status) + rows;
            case SymbolKind.Vary:
                var vary = (VarySyntax)symbol.Identity;
                return $"**vary {vary.Name.Text}**\n\n```evaldsl\n{Excerpt(vary.Name.Range.Start, vary.Status, FindTreeOf(compilation, vary))}\n```";
            case SymbolKind.Column:
                var (set, name) = ((DataSyntax, string))symbol.Identity;
                if (!bound.DataOf.TryGetValue(set, out var dataSet)) return $"**{name}**: column of data {set.Name.Text}";
                return $"**{name}**: column of data {set.Name.Text}\n\nFirst values: {Values(dataSet, name)}";
            default:
                return null;
        }
    }

    private static string Declaration(string kind, string name, DeclarationSyntax declaration, BlockStatus status) =>
        $"**{kind} {name}** ({Declared(kind, declaration).Substring(kind.Length + 1)})\n\n```evaldsl\n{Excerpt(declaration.Keyword.Start, status, declaration.Tree)}\n```";

    private static string Declared(string kind, DeclarationSyntax d)
    {
        var at = d.Tree.Source.PositionOf(d.Keyword.Start);
        return $"{kind} declared in {System.IO.Path.GetFileName(d.Tree.Path)}, line {at.Line}";
    }

    private static string Excerpt(int start, BlockStatus status, SyntaxTree? tree)
    {
        if (tree is null) return "";
        var source = tree.Source;
        var first = source.LineOf(start);
        var last = status.End is { } end && end > start ? source.LineOf(end - 1) : first;
        var shown = Math.Min(last, first + HoverLines - 1);
        var indent = Indentation(source, first).Length;
        var lines = new List<string>();
        for (var l = first; l <= shown; l++)
        {
            var text = source.Text.Substring(source.LineStart(l), source.LineEnd(l) - source.LineStart(l));
            var blank = 0;
            while (blank < indent && blank < text.Length && text[blank] == ' ') blank++;
            lines.Add(l == first ? source.Text.Substring(source.LineStart(l) + indent, source.LineEnd(l) - source.LineStart(l) - indent) : text.Substring(blank));
        }
        if (shown < last) lines.Add("…");
        return string.Join("\n", lines);
    }

    private static SyntaxTree? FindTreeOf(EvalCompilation compilation, VarySyntax vary) =>
        compilation.Trees.FirstOrDefault(t => t.Suites.Any(s => s.Cases.Any(c => c.Turns.Contains(vary))));

    private static string VaryDetail(VarySyntax vary) => $"vary {vary.Name.Text}: " + string.Join(", ", vary.Labels.Select(l => l.Label.Text));

    private static string Values(BoundDataSet data, string column)
    {
        var index = data.Columns?.ToList().IndexOf(column) ?? -1;
        if (index < 0) return "";
        var values = data.Rows.Take(HoverValues).Select(r => index < r.Count ? Quote(r[index]) : "\"\"").ToList();
        return string.Join(", ", values) + (data.Rows.Count > HoverValues ? $" … ({data.Rows.Count} rows)" : "");
    }

    private static string Quote(string text)
    {
        var oneLine = text.Replace("\r", " ").Replace("\n", " ");
        return "\"" + (oneLine.Length > 160 ? oneLine.Substring(0, 159) + "…" : oneLine) + "\"";
    }

    private static Occurrence? At(EvalCompilation compilation, SyntaxTree tree, int offset) =>
        All(compilation).Where(o => o.Tree == tree && o.Range.Start <= offset && offset <= o.Range.End)
            .OrderBy(o => o.Range.Length).FirstOrDefault();

    private static List<Occurrence> All(EvalCompilation compilation) => compilation.Occurrences;

    private static SourceLocation Location(Occurrence o) => o.Tree.Source.Location(o.Range);

    private static SyntaxTree? Find(EvalCompilation compilation, string path) =>
        compilation.Trees.FirstOrDefault(t => string.Equals(t.Path, path, StringComparison.Ordinal));

    private static int Offset(SyntaxTree tree, int line, int column)
    {
        var source = tree.Source;
        if (line < 1) return 0;
        if (line > source.LineCount) return source.Text.Length;
        var start = source.LineStart(line - 1);
        return Math.Min(start + Math.Max(0, column - 1), source.LineEnd(line - 1));
    }

    private static SourceLocation Range(SourceText source, int start, int end) => source.Location(TextRange.FromBounds(start, end));

    private static string Indentation(SourceText source, int line)
    {
        var start = source.LineStart(line);
        var i = start;
        while (i < source.Text.Length && (source.Text[i] == ' ' || source.Text[i] == '\t')) i++;
        return source.Text.Substring(start, i - start);
    }

    private static TextRange? WordAt(SourceText source, int offset)
    {
        var text = source.Text;
        var start = offset;
        while (start > 0 && char.IsLetter(text[start - 1])) start--;
        var end = offset;
        while (end < text.Length && char.IsLetter(text[end])) end++;
        return end > start ? TextRange.FromBounds(start, end) : null;
    }

    private static bool IsFirstWord(SourceText source, TextRange word)
    {
        var lineStart = source.LineStart(source.LineOf(word.Start));
        return source.Text.Substring(lineStart, word.Start - lineStart).Trim().Length == 0;
    }

    /// <summary>The suite and case around an offset, and the keywords that may start a line there.</summary>
    private static (SuiteSyntax? Suite, CaseSyntax? Case, IReadOnlyList<string> Keywords) Enclosing(SyntaxTree tree, int offset)
    {
        foreach (var b in tree.Behaviors) if (Inside(b.Keyword.Start, b.Status, offset)) return (null, null, KeywordTable.Behavior);
        foreach (var p in tree.Personas) if (Inside(p.Keyword.Start, p.Status, offset)) return (null, null, KeywordTable.Persona);
        foreach (var d in tree.DataSets) if (Inside(d.Keyword.Start, d.Status, offset)) return (null, null, Array.Empty<string>());
        foreach (var suite in tree.Suites)
        {
            if (!Inside(suite.Keyword.Start, suite.Status, offset)) continue;
            foreach (var p in suite.Personas) if (Inside(p.Keyword.Start, p.Status, offset)) return (suite, null, KeywordTable.Persona);
            foreach (var d in suite.DataSets) if (Inside(d.Keyword.Start, d.Status, offset)) return (suite, null, Array.Empty<string>());
            foreach (var c in suite.Cases)
            {
                if (!Inside(c.Keyword.Start, c.Status, offset)) continue;
                foreach (var f in c.ForBlocks) if (Inside(f.Keyword.Start, f.Status, offset)) return (suite, c, KeywordTable.For);
                foreach (var v in c.Turns.OfType<VarySyntax>()) if (Inside(v.Keyword.Start, v.Status, offset)) return (suite, c, Array.Empty<string>());
                return (suite, c, KeywordTable.Case);
            }
            return (suite, null, KeywordTable.Suite);
        }
        return (null, null, KeywordTable.File);
    }

    // Inside a block: after its keyword's line starts and before its closing brace (an unclosed block runs on).
    private static bool Inside(int start, BlockStatus status, int offset) =>
        offset > start && (status.End is not { } end || offset < end || status.Unclosed);
}
