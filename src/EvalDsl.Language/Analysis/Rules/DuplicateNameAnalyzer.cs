using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0102: two declarations share a name in one scope — cases in a suite; suites, behaviors, personas and
/// data sets across all files (a suite's own persona or data set may not reuse a top-level name). The later one
/// (by ordinal path, then position) is reported at its name.
/// </summary>
internal sealed class DuplicateNameAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.DuplicateName;

    public override void Analyze(AnalysisContext context)
    {
        var trees = context.Compilation.Trees;

        var suites = trees.SelectMany(t => t.Suites).Where(s => !s.Title.IsMissing())
            .Select(s => new Decl(s.Tree, s.Title.Range, s.Title.Template, null));
        ReportDuplicates(context, suites, (d, first) => $"Duplicate suite '{d.Name}'; a suite with this title is already declared at {At(d, first)}.");

        foreach (var bound in context.Compilation.AllCases)
        {
            // A placeholder that could mean a data column or a vary would be ambiguous.
            if (bound.Data?.Columns is not { } columns) continue;
            foreach (var vary in bound.Syntax.Turns.OfType<VarySyntax>())
            {
                if (!vary.Name.IsMissing() && columns.Contains(vary.Name.Text))
                {
                    context.Report(bound.Syntax.Suite.Tree, vary.Name.Range,
                        $"Duplicate name '{vary.Name.Text}': the data set '{bound.Data.Name}' has a column of that name, so {{{vary.Name.Text}}} would be ambiguous.");
                }
            }
        }

        foreach (var suite in trees.SelectMany(t => t.Suites))
        {
            var cases = suite.Cases.Where(c => !c.Title.IsMissing()).Select(c => new Decl(suite.Tree, c.Title.Range, c.Title.Template, null));
            ReportDuplicates(context, cases, (d, first) => $"Duplicate case '{d.Name}' in this suite; the first is at {At(d, first)}.");

            foreach (var @case in suite.Cases)
            {
                // Only varies, repeats and named replies can clash within a case: most cases have none of them.
                var (hasVary, hasRepeat, replyNames) = (false, false, 0);
                foreach (var turn in @case.Turns)
                {
                    if (turn is VarySyntax) hasVary = true;
                    else if (turn is RepeatSyntax) hasRepeat = true;
                    else if (turn.ReplyName is not null) replyNames++;
                }
                if (!hasVary && !hasRepeat && replyNames < 2) continue;
                var varies = @case.Turns.OfType<VarySyntax>().Where(v => !v.Name.IsMissing()).ToList();
                ReportDuplicates(context, varies.Select(v => new Decl(suite.Tree, v.Name.Range, v.Name.Text, null)),
                    (d, first) => $"Duplicate vary '{d.Name}' in this case; the first is at {At(d, first)}.");
                foreach (var vary in varies)
                {
                    ReportDuplicates(context, vary.Labels.Select(l => new Decl(suite.Tree, l.Label.Range, l.Label.Text, null)),
                        (d, first) => $"Duplicate label '{d.Name}' in vary '{vary.Name.Text}'; the first is at {At(d, first)}.");
                }
                ReportDuplicates(context, CaseReplies.Names(@case).Select(n => new Decl(suite.Tree, n.Range, n.Text, null)),
                    (d, first) => $"Duplicate reply '{d.Name}' in this case; the first is at {At(d, first)}.");
                // A name inside a block that repeats would name each of its replies: one name, several replies.
                foreach (var repeat in @case.Turns.OfType<RepeatSyntax>().Where(r => r.Times > 1))
                {
                    foreach (var named in repeat.Turns.Where(t => t.Kind == TurnKind.Reply && t.ReplyName is not null))
                    {
                        context.Report(suite.Tree, named.ReplyName!.Range,
                            $"Reply '{named.ReplyName.Text}' is inside 'repeat {repeat.Times}', so it would name {repeat.Times} replies; name a reply outside the repeat block, or check each one with 'in every reply'.");
                    }
                }
            }
        }

        foreach (var behavior in trees.SelectMany(t => t.Behaviors).Where(b => !b.Phrase.IsMissing()))
        {
            if (BehaviorCatalog.FindBuiltIn(behavior.Phrase.Template) is { } builtIn)
            {
                context.Report(behavior.Tree, behavior.Phrase.Range,
                    $"'{builtIn.Phrase}' is a built-in behavior; choose another phrase for your own behavior.");
            }
        }
        var declared = trees.SelectMany(t => t.Behaviors)
            .Where(b => !b.Phrase.IsMissing() && BehaviorCatalog.FindBuiltIn(b.Phrase.Template) is null)
            .Select(b => new Decl(b.Tree, b.Phrase.Range, BehaviorCatalog.KeyOf(b.Phrase.Template), null));
        ReportDuplicates(context, declared, (d, first) => $"Duplicate behavior '{d.Name}'; it is already declared at {At(d, first)}.");

        ReportScoped(context, "persona",
            trees.SelectMany(t => t.Personas).Select(p => new Decl(p.Tree, p.Name.Range, p.Name.Text, null)),
            trees.SelectMany(t => t.Suites).SelectMany(s => s.Personas.Select(p => new Decl(p.Tree, p.Name.Range, p.Name.Text, s))));
        ReportScoped(context, "data set",
            trees.SelectMany(t => t.DataSets).Select(d => new Decl(d.Tree, d.Name.Range, d.Name.Text, null)),
            trees.SelectMany(t => t.Suites).SelectMany(s => s.DataSets.Select(d => new Decl(d.Tree, d.Name.Range, d.Name.Text, s))));
    }

    // Top-level names clash with every other declaration of the name; a suite's own ones clash with top-level
    // ones and with each other, not with those of other suites.
    private static void ReportScoped(AnalysisContext context, string kind, IEnumerable<Decl> topLevel, IEnumerable<Decl> local)
    {
        var all = topLevel.Concat(local).Where(d => d.Name.Length > 0).OrderBy(d => d, DeclOrder.Instance).ToList();
        foreach (var group in all.GroupBy(d => d.Name, StringComparer.Ordinal))
        {
            var seen = new List<Decl>();
            foreach (var decl in group)
            {
                var first = seen.FirstOrDefault(e => e.Suite is null || decl.Suite is null || ReferenceEquals(e.Suite, decl.Suite));
                if (first is not null)
                {
                    var why = first.Suite is null && decl.Suite is not null ? " (a suite's own " + kind + " cannot reuse a top-level name)" : "";
                    context.Report(decl.Tree, decl.Range, $"Duplicate {kind} '{decl.Name}'; it is already declared at {At(decl, first)}{why}.",
                        first.Tree, first.Range, $"The first declaration of '{first.Name}'.");
                }
                seen.Add(decl);
            }
        }
    }

    private static void ReportDuplicates(AnalysisContext context, IEnumerable<Decl> declarations, Func<Decl, Decl, string> message)
    {
        var list = declarations as List<Decl> ?? declarations.ToList();
        if (list.Count < 2) return;
        // Mostly already in order (one file, by position): sorted only when not, stably as OrderBy did.
        var sorted = true;
        for (var i = 1; i < list.Count && sorted; i++) sorted = DeclOrder.Instance.Compare(list[i - 1], list[i]) <= 0;
        var ordered = sorted ? list : list.OrderBy(d => d, DeclOrder.Instance).ToList();
        var firstByName = new Dictionary<string, Decl>(StringComparer.Ordinal);
        foreach (var decl in ordered)
        {
            if (firstByName.TryGetValue(decl.Name, out var first)) context.Report(decl.Tree, decl.Range, message(decl, first), first.Tree, first.Range, $"The first declaration of '{first.Name}'.");
            else firstByName[decl.Name] = decl;
        }
    }

    private static string At(Decl at, Decl first)
    {
        var position = first.Tree.Source.PositionOf(first.Range.Start);
        return ReferenceEquals(at.Tree, first.Tree)
            ? $"line {position.Line}"
            : $"{first.Tree.Path}({position.Line},{position.Column})";
    }

    private sealed record Decl(SyntaxTree Tree, TextRange Range, string Name, SuiteSyntax? Suite);

    private sealed class DeclOrder : IComparer<Decl>
    {
        public static readonly DeclOrder Instance = new();

        public int Compare(Decl? x, Decl? y)
        {
            var byPath = string.CompareOrdinal(x!.Tree.Path, y!.Tree.Path);
            return byPath != 0 ? byPath : x.Range.Start.CompareTo(y.Range.Start);
        }
    }
}
