using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Lexing;
using EvalDsl.Parsing;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Editing;

/// <summary>The outline, folds and semantic tokens of one file, from its syntax tree and its lines' tokens.</summary>
internal static class Outline
{
    public static IReadOnlyList<EditorSymbol> Symbols(SyntaxTree tree)
    {
        var source = tree.Source;
        var top = new List<(int Start, EditorSymbol Symbol)>();
        foreach (var b in tree.Behaviors) top.Add((b.Keyword.Start, Declaration(source, b.Phrase.Template, EditorSymbolKind.Behavior, b, b.Phrase.Range)));
        foreach (var p in tree.Personas) top.Add((p.Keyword.Start, Declaration(source, p.Name.Text, EditorSymbolKind.Persona, p, p.Name.Range)));
        foreach (var d in tree.DataSets) top.Add((d.Keyword.Start, Declaration(source, d.Name.Text, EditorSymbolKind.DataSet, d, d.Name.Range)));
        foreach (var suite in tree.Suites)
        {
            var children = new List<(int Start, EditorSymbol Symbol)>();
            foreach (var p in suite.Personas) children.Add((p.Keyword.Start, Declaration(source, p.Name.Text, EditorSymbolKind.Persona, p, p.Name.Range)));
            foreach (var d in suite.DataSets) children.Add((d.Keyword.Start, Declaration(source, d.Name.Text, EditorSymbolKind.DataSet, d, d.Name.Range)));
            foreach (var c in suite.Cases)
            {
                children.Add((c.Keyword.Start, new EditorSymbol(c.Title.Template, EditorSymbolKind.Case,
                    source.Location(Block(source, c.Keyword.Start, c.Status)), source.Location(Selection(c.Title.Range, c.Keyword)), Array.Empty<EditorSymbol>())));
            }
            top.Add((suite.Keyword.Start, new EditorSymbol(suite.Title.Template, EditorSymbolKind.Suite,
                source.Location(Block(source, suite.Keyword.Start, suite.Status)), source.Location(Selection(suite.Title.Range, suite.Keyword)),
                children.OrderBy(c => c.Start).Select(c => c.Symbol).ToList())));
        }
        return top.OrderBy(s => s.Start).Select(s => s.Symbol).ToList();
    }

    public static IReadOnlyList<SourceLocation> Folds(SyntaxTree tree)
    {
        var source = tree.Source;
        var blocks = new List<(int Start, BlockStatus Status)>();
        foreach (var b in tree.Behaviors) blocks.Add((b.Keyword.Start, b.Status));
        foreach (var p in tree.Personas) blocks.Add((p.Keyword.Start, p.Status));
        foreach (var d in tree.DataSets) blocks.Add((d.Keyword.Start, d.Status));
        foreach (var suite in tree.Suites)
        {
            blocks.Add((suite.Keyword.Start, suite.Status));
            foreach (var p in suite.Personas) blocks.Add((p.Keyword.Start, p.Status));
            foreach (var d in suite.DataSets) blocks.Add((d.Keyword.Start, d.Status));
            foreach (var c in suite.Cases)
            {
                blocks.Add((c.Keyword.Start, c.Status));
                foreach (var f in c.ForBlocks) blocks.Add((f.Keyword.Start, f.Status));
                foreach (var turn in c.Turns) AddTurn(blocks, turn);
            }
        }
        var folds = new List<SourceLocation>();
        foreach (var (start, status) in blocks.OrderBy(b => b.Start))
        {
            var range = Block(source, start, status);
            if (source.LineOf(range.Start) < source.LineOf(Math.Max(range.Start, range.End - 1))) folds.Add(source.Location(range));
        }
        return folds;
    }

    private static void AddTurn(List<(int, BlockStatus)> blocks, TurnSyntax turn)
    {
        if (turn is VarySyntax vary) blocks.Add((vary.Keyword.Start, vary.Status));
        if (turn is RepeatSyntax repeat)
        {
            blocks.Add((repeat.Keyword.Start, repeat.Status));
            foreach (var inner in repeat.Turns) AddTurn(blocks, inner);
        }
    }

    /// <summary>
    /// Every token worth a colour, line by line and never overlapping: keywords (a statement's first word and the
    /// words that join its parts), strings and text-block lines, numbers, regexes, comments, and the names the
    /// binder resolved (behaviour phrases, personas, data sets, varies, columns and the placeholders that name them).
    /// </summary>
    public static IReadOnlyList<EditorToken> Tokens(SyntaxTree tree, IEnumerable<Occurrence> occurrences)
    {
        var source = tree.Source;
        var text = source.Text;
        var raw = new List<(TextRange Range, EditorTokenKind Kind)>();
        var line = 0;
        while (line < source.LineCount)
        {
            var start = source.LineStart(line);
            var end = source.LineEnd(line);
            var lexed = LineTokenizer.Instance.TokenizeLine(text, start, end - start, line + 1);
            line++;
            var tokens = lexed.Tokens;
            for (var i = 0; i < tokens.Length; i++)
            {
                var t = tokens[i];
                var range = new TextRange(LineTokenizer.Start(t), t.Span.Length);
                switch (t.Kind)
                {
                    case EvalToken.Word:
                        var word = t.Span.ToStringValue();
                        if ((i == 0 && KeywordTable.Find(word) is not null) || (i > 0 && Joiners.Contains(word))) raw.Add((range, EditorTokenKind.Keyword));
                        break;
                    case EvalToken.String:
                    case EvalToken.TextBlock:
                        raw.Add((range, EditorTokenKind.String));
                        break;
                    case EvalToken.Number:
                    case EvalToken.Percentage:
                        raw.Add((range, EditorTokenKind.Number));
                        break;
                    case EvalToken.Regex:
                        raw.Add((range, EditorTokenKind.Regex));
                        break;
                }
            }
            if (lexed.Comment.HasValue) raw.Add((new TextRange(lexed.Comment.Start, lexed.Comment.Length), EditorTokenKind.Comment));
            if (tokens.Length > 0 && tokens[tokens.Length - 1].Kind == EvalToken.TextBlock)
            {
                // The content lines of a text block are string, up to its closing """ line (as the parser splits them).
                while (line < source.LineCount)
                {
                    var cs = source.LineStart(line);
                    var ce = source.LineEnd(line);
                    var k = cs;
                    while (k < ce && LineTokenizer.IsSpace(text[k])) k++;
                    var m = ce;
                    while (m > k && LineTokenizer.IsSpace(text[m - 1])) m--;
                    line++;
                    if (m > k) raw.Add((TextRange.FromBounds(k, m), EditorTokenKind.String));
                    if (m - k == 3 && string.CompareOrdinal(text, k, "\"\"\"", 0, 3) == 0) break;
                }
            }
        }

        // Names cut the tokens they sit in (a placeholder inside a string, a phrase over several words).
        var names = occurrences.Where(o => o.Tree == tree && o.Range.Length > 0)
            .Select(o => (o.Range, Kind: KindOf(o.Symbol.Kind)))
            .OrderBy(o => o.Range.Start).ToList();
        var result = new List<(TextRange Range, EditorTokenKind Kind)>();
        foreach (var (range, kind) in raw)
        {
            var from = range.Start;
            foreach (var name in names)
            {
                if (name.Range.End <= from || name.Range.Start >= range.End) continue;
                if (name.Range.Start > from) result.Add((TextRange.FromBounds(from, name.Range.Start), kind));
                from = Math.Max(from, name.Range.End);
            }
            if (kind == EditorTokenKind.Keyword && from > range.Start) continue;
            if (from < range.End) result.Add((TextRange.FromBounds(from, range.End), kind));
        }
        result.AddRange(names.Select(n => (n.Range, n.Kind)));

        // One token per line: LSP clients do not all take tokens across lines.
        var tokensOut = new List<EditorToken>();
        foreach (var (range, kind) in result.OrderBy(r => r.Range.Start).ThenBy(r => r.Range.Length))
        {
            var first = source.LineOf(range.Start);
            var last = source.LineOf(Math.Max(range.Start, range.End - 1));
            for (var l = first; l <= last; l++)
            {
                var s = Math.Max(range.Start, source.LineStart(l));
                var e = Math.Min(range.End, source.LineEnd(l));
                if (e > s) tokensOut.Add(new EditorToken(source.Location(TextRange.FromBounds(s, e)), kind));
            }
        }
        // Drop what still overlaps its predecessor (a name occurring twice, as a declaration and a use).
        var kept = new List<EditorToken>();
        foreach (var token in tokensOut)
        {
            if (kept.Count > 0 && kept[kept.Count - 1].Range.Offset + kept[kept.Count - 1].Range.Length > token.Range.Offset) continue;
            kept.Add(token);
        }
        return kept;
    }

    /// <summary>The words inside a statement that are part of its syntax, not of a name or phrase.</summary>
    private static readonly HashSet<string> Joiners = new(StringComparer.Ordinal)
    {
        "not", "for", "each", "from", "where", "is", "as", "after", "by", "in", "every", "when", "of", "under", "than", "across", "contain", "contains", "match", "matches", "any", "all",
    };

    private static EditorTokenKind KindOf(SymbolKind kind) => kind switch
    {
        SymbolKind.Behavior => EditorTokenKind.Behavior,
        SymbolKind.Persona => EditorTokenKind.Persona,
        SymbolKind.Data => EditorTokenKind.DataSet,
        SymbolKind.Vary => EditorTokenKind.Vary,
        _ => EditorTokenKind.Column,
    };

    private static EditorSymbol Declaration(SourceText source, string name, EditorSymbolKind kind, DeclarationSyntax d, TextRange selection) =>
        new(name, kind, source.Location(Block(source, d.Keyword.Start, d.Status)), source.Location(Selection(selection, d.Keyword)), Array.Empty<EditorSymbol>());

    private static TextRange Selection(TextRange name, TextRange keyword) => name.Length > 0 ? name : keyword;

    /// <summary>From the keyword to the closing brace (or the end of the keyword's line when the block has none).</summary>
    private static TextRange Block(SourceText source, int start, BlockStatus status)
    {
        var end = status.End is { } e && e > start ? Math.Min(e, source.Text.Length) : source.LineEnd(source.LineOf(start));
        return TextRange.FromBounds(start, end);
    }
}
