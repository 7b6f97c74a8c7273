using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Editing;

internal enum SymbolKind { Behavior, Persona, Data, Vary, Column }

/// <summary>
/// What a name refers to: a declaration (a persona, data set or vary syntax node), a behaviour (by its key; built-ins
/// have no declaration in the specs) or a data column (its data set and name).
/// </summary>
internal sealed record Symbol(SymbolKind Kind, object Identity, string Name);

/// <summary>One place a symbol is written: its declaration or a use; the range covers the name alone.</summary>
internal sealed record Occurrence(Symbol Symbol, SyntaxTree Tree, TextRange Range, bool IsDeclaration, CaseSyntax? Case = null);

/// <summary>
/// Every name written in the specs of a compilation, resolved as the binder resolves it (suite scope first, then
/// the top level; behaviours by their key, blanks and case ignored). Definition, references, rename and hover read it.
/// </summary>
internal static class Occurrences
{
    public static List<Occurrence> Collect(BoundCompilation bound)
    {
        var list = new List<Occurrence>();
        var top = new Dictionary<string, PersonaSyntax>(StringComparer.Ordinal);
        var topData = new Dictionary<string, DataSyntax>(StringComparer.Ordinal);
        foreach (var tree in bound.Trees)
        {
            foreach (var p in tree.Personas) if (!p.Name.IsMissing() && !top.ContainsKey(p.Name.Text)) top[p.Name.Text] = p;
            foreach (var d in tree.DataSets) if (!d.Name.IsMissing() && !topData.ContainsKey(d.Name.Text)) topData[d.Name.Text] = d;
        }

        foreach (var tree in bound.Trees)
        {
            foreach (var b in tree.Behaviors)
            {
                if (b.Phrase.IsMissing() || b.Phrase.IsTextBlock || b.Phrase.Range.Length < 2) continue;
                list.Add(new Occurrence(BehaviorSymbol(b.Phrase.Template), tree, new TextRange(b.Phrase.Range.Start + 1, b.Phrase.Range.Length - 2), true));
            }
            foreach (var p in tree.Personas) AddPersona(list, tree, p);
            foreach (var d in tree.DataSets) AddData(list, tree, d);
            foreach (var suite in tree.Suites)
            {
                foreach (var p in suite.Personas) AddPersona(list, tree, p);
                foreach (var d in suite.DataSets) AddData(list, tree, d);
            }
        }

        foreach (var suite in bound.Suites)
        {
            var syntax = suite.Syntax;
            var tree = syntax.Tree;
            foreach (var bc in suite.Cases)
            {
                var c = bc.Syntax;
                foreach (var turn in RepeatSyntax.Expand(c.Turns, once: true))
                {
                    if (turn.Kind == TurnKind.With && turn.Persona is { } name && !name.IsMissing())
                    {
                        var persona = syntax.Personas.FirstOrDefault(p => p.Name.Text == name.Text) ?? (top.TryGetValue(name.Text, out var t) ? t : null);
                        if (persona is not null) list.Add(new Occurrence(new Symbol(SymbolKind.Persona, persona, name.Text), tree, name.Range, false, c));
                    }
                }
                if (c.ForEach is { } forEach && !forEach.IsMissing())
                {
                    var data = syntax.DataSets.FirstOrDefault(d => d.Name.Text == forEach.Text) ?? (topData.TryGetValue(forEach.Text, out var t) ? t : null);
                    if (data is not null) list.Add(new Occurrence(new Symbol(SymbolKind.Data, data, forEach.Text), tree, forEach.Range, false, c));
                }
                var varies = c.Turns.OfType<VarySyntax>().Where(v => !v.Name.IsMissing()).ToList();
                foreach (var vary in varies) list.Add(new Occurrence(new Symbol(SymbolKind.Vary, vary, vary.Name.Text), tree, vary.Name.Range, true, c));
                foreach (var e in c.Expectations)
                {
                    if (bc.Behaviors.TryGetValue(e, out var behavior) && e.Kind == ExpectationKind.Behavior && e.PhraseRange.Length > 0)
                    {
                        list.Add(new Occurrence(BehaviorSymbol(behavior.Phrase), tree, e.PhraseRange, false, c));
                    }
                    if (e.VaryName is { } varyName && varies.FirstOrDefault(v => v.Name.Text == varyName.Text) is { } named)
                    {
                        list.Add(new Occurrence(new Symbol(SymbolKind.Vary, named, varyName.Text), tree, varyName.Range, false, c));
                    }
                }
                foreach (var placeholder in Placeholders(c))
                {
                    var root = placeholder.Root;
                    var range = new TextRange(placeholder.Range.Start + 1, root.Length);
                    if (range.End > tree.Source.Text.Length || string.CompareOrdinal(tree.Source.Text, range.Start, root, 0, root.Length) != 0) continue;
                    if (varies.FirstOrDefault(v => v.Name.Text == root) is { } vary)
                    {
                        list.Add(new Occurrence(new Symbol(SymbolKind.Vary, vary, root), tree, range, false, c));
                    }
                    else if (bc.Data is { } data && data.Columns is { } columns && columns.Contains(root))
                    {
                        list.Add(new Occurrence(ColumnSymbol(data.Syntax, root), tree, range, false, c));
                    }
                }
            }
        }
        return list;
    }

    public static Symbol BehaviorSymbol(string phrase) => new(SymbolKind.Behavior, BehaviorCatalog.KeyOf(phrase), BehaviorCatalog.Collapse(phrase));

    public static Symbol ColumnSymbol(DataSyntax data, string column) => new(SymbolKind.Column, (data, column), column);

    /// <summary>The placeholders written in a case: its title, turns, vary labels, expectations, reference and answer.</summary>
    public static IEnumerable<PlaceholderPart> Placeholders(CaseSyntax c)
    {
        var strings = new List<StringSyntax?> { c.Title, c.Reference, c.Answer };
        foreach (var turn in RepeatSyntax.Expand(c.Turns, once: true))
        {
            strings.Add(turn.Text);
            strings.Add(turn.Prefill);
            if (turn is VarySyntax vary) strings.AddRange(vary.Labels.Select(l => l.Text));
        }
        foreach (var e in c.Expectations)
        {
            strings.Add(e.Text);
            strings.Add(e.Guard?.Text);
        }
        foreach (var s in strings)
        {
            if (s is null) continue;
            foreach (var p in s.Placeholders) yield return p;
        }
        foreach (var e in c.Expectations)
        {
            if (e.Alternatives is { } alternatives) yield return alternatives;
            if (e.Regex is { } regex) foreach (var p in regex.Placeholders) yield return p.Part;
        }
    }

    private static void AddPersona(List<Occurrence> list, SyntaxTree tree, PersonaSyntax p)
    {
        if (!p.Name.IsMissing()) list.Add(new Occurrence(new Symbol(SymbolKind.Persona, p, p.Name.Text), tree, p.Name.Range, true));
    }

    private static void AddData(List<Occurrence> list, SyntaxTree tree, DataSyntax d)
    {
        if (d.Name.IsMissing()) return;
        list.Add(new Occurrence(new Symbol(SymbolKind.Data, d, d.Name.Text), tree, d.Name.Range, true));
        foreach (var column in d.Columns ?? new List<NameSyntax>())
        {
            list.Add(new Occurrence(ColumnSymbol(d, column.Text), tree, column.Range, true));
        }
        foreach (var filter in d.Filters)
        {
            list.Add(new Occurrence(ColumnSymbol(d, filter.Column.Text), tree, filter.Column.Range, false));
        }
    }
}
