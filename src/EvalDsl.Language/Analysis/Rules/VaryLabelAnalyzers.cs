using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>The labels a case's expectations name: <c>under A than under B</c> and <c>for A</c>, with where each is written.</summary>
internal static class NamedLabels
{
    /// <summary>Each label written in a case whose varies are all known (no broken or incomplete vary): what names it and the label.</summary>
    public static IEnumerable<(BoundCase Case, string Where, NameSyntax Label)> Walk(BoundCompilation compilation)
    {
        foreach (var bound in compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.HasBrokenVary || syntax.Turns.OfType<VarySyntax>().Any(v => v.Status.MayBeIncomplete)) continue;
            foreach (var @for in syntax.ForBlocks)
            {
                if (!@for.Label.IsMissing()) yield return (bound, "for", @for.Label);
            }
            foreach (var e in syntax.Expectations)
            {
                if (e.Kind != ExpectationKind.MoreUnder || e.IsMissing) continue;
                if (e.UnderLabel is { } under) yield return (bound, "under", under);
                if (e.ThanLabel is { } than) yield return (bound, "than under", than);
            }
        }
    }
}

/// <summary>EVAL0135: <c>under LABEL</c>, <c>than under LABEL</c> or <c>for LABEL</c> names no label of a vary of the case.</summary>
internal sealed class UnknownVaryLabelAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnknownVaryLabel;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var (bound, where, label) in NamedLabels.Walk(context.Compilation))
        {
            var syntax = bound.Syntax;
            if (VaryLabels.VariesWith(syntax, label.Text).Count > 0) continue;
            var labels = VaryLabels.All(syntax);
            string message;
            if (labels.Count == 0)
            {
                message = $"'{where} {label.Text}' names a vary label, but this case has no vary; add a vary block whose labels include {label.Text}.";
            }
            else if (NameSuggester.Suggest(label.Text, labels, ignoreCase: true) is { } suggestion)
            {
                message = $"'{label.Text}' is no label of a vary of this case. Did you mean '{suggestion}'?";
            }
            else
            {
                message = $"'{label.Text}' is no label of a vary of this case; its labels are {string.Join(", ", labels.Select(l => "'" + l + "'"))}.";
            }
            context.Report(syntax.Suite.Tree, label.Range, message);
        }
    }
}

/// <summary>EVAL0136: <c>be more PHRASE under A than under B</c> names labels of two different varies, or the same label twice.</summary>
internal sealed class LabelsNotComparableAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.LabelsNotComparable;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.HasBrokenVary) continue;
            foreach (var e in syntax.Expectations)
            {
                if (e.Kind != ExpectationKind.MoreUnder || e.IsMissing || e.UnderLabel is not { } under || e.ThanLabel is not { } than) continue;
                if (under.Text == than.Text)
                {
                    context.Report(syntax.Suite.Tree, than.Range,
                        $"'under {under.Text} than under {than.Text}' compares a label with itself; name two different labels of one vary.");
                    continue;
                }
                var underVaries = VaryLabels.VariesWith(syntax, under.Text);
                var thanVaries = VaryLabels.VariesWith(syntax, than.Text);
                // Unknown (EVAL0135) and shared (EVAL0137) labels are reported on their own.
                if (underVaries.Count != 1 || thanVaries.Count != 1 || underVaries[0] == thanVaries[0]) continue;
                context.Report(syntax.Suite.Tree, than.Range,
                    $"'{under.Text}' is a label of vary {underVaries[0].Name.Text} but '{than.Text}' is one of vary {thanVaries[0].Name.Text}; 'be more … under' compares two labels of one vary.");
            }
        }
    }
}

/// <summary>EVAL0137: a label named in <c>for</c>, <c>under</c> or <c>than under</c> belongs to two varies of the case.</summary>
internal sealed class AmbiguousVaryLabelAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.AmbiguousVaryLabel;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var (bound, where, label) in NamedLabels.Walk(context.Compilation))
        {
            var varies = VaryLabels.VariesWith(bound.Syntax, label.Text);
            if (varies.Count < 2) continue;
            var names = string.Join(" and ", varies.Select(v => "vary " + v.Name.Text));
            context.Report(bound.Syntax.Suite.Tree, label.Range,
                $"'{label.Text}' is a label of {names}, so '{where} {label.Text}' could mean either; rename the label in one of them.");
        }
    }
}

/// <summary>
/// EVAL0138: a for block keeps the variants of one label, so <c>be consistent across</c> (which compares every label of a
/// vary) cannot stand in it, nor <c>be more … under</c> comparing labels of the block's own vary.
/// </summary>
internal sealed class ComparisonInForAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ComparisonInFor;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            foreach (var e in syntax.Expectations)
            {
                if (e.IsMissing || e.For is not { } @for || @for.Label.IsMissing()) continue;
                var label = @for.Label.Text;
                if (e.Kind == ExpectationKind.ConsistentAcross)
                {
                    context.Report(syntax.Suite.Tree, e.PhraseRange,
                        $"'{e.Phrase}' compares the variants of every label of a vary, but 'for {label}' keeps only the variants labelled {label}; write it outside the for block.");
                }
                else if (e.Kind == ExpectationKind.MoreUnder && e.UnderLabel is { } under &&
                         VaryLabels.VariesWith(syntax, label).Intersect(VaryLabels.VariesWith(syntax, under.Text)).FirstOrDefault() is { } vary)
                {
                    context.Report(syntax.Suite.Tree, e.PhraseRange,
                        $"'{e.Phrase}' compares labels of vary {vary.Name.Text}, but 'for {label}' keeps only the variants labelled {label}; write it outside the for block.");
                }
            }
        }
    }
}

/// <summary>EVAL0235: a <c>for LABEL</c> block holds no expectation.</summary>
internal sealed class EmptyForAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.EmptyFor;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            foreach (var @for in bound.Syntax.ForBlocks)
            {
                if (@for.Expectations.Count > 0 || @for.Status.MayBeIncomplete) continue;
                var range = @for.Label.IsMissing() ? @for.Keyword : TextRange.FromBounds(@for.Keyword.Start, @for.Label.Range.End);
                context.Report(bound.Syntax.Suite.Tree, range,
                    $"This for block holds no expectations, so it checks nothing; add must or should lines to it, or remove it.");
            }
        }
    }
}
