using System.Collections.Generic;
using EvalDsl.Syntax;

namespace EvalDsl.Binding;

/// <summary>Where in a case a placeholder stands, which decides what it may name.</summary>
internal enum PlaceholderSite
{
    /// <summary>The case title: data columns (it names the test once for all variants).</summary>
    Title,
    /// <summary>A user (or simulated user's instruction), assistant, system or memory text, or a reply's prefill: data columns and the case's vary names.</summary>
    Turn,
    /// <summary>A vary label's text: data columns.</summary>
    VaryText,
    /// <summary>A contain string: data columns (an expectation is checked once for all variants).</summary>
    Contain,
    /// <summary>A match regex: data columns, inserted escaped.</summary>
    Regex,
    /// <summary>The column of <c>contain any of {col}</c> / <c>all of {col}</c>: a data column whose cell lists the alternatives.</summary>
    Alternatives,
    /// <summary>The option of <c>choose "…"</c>: data columns.</summary>
    Choice,
    /// <summary>A <c>reference</c> text: data columns (the judge is given it once for all variants).</summary>
    Reference,
}

/// <summary>The placeholders a case resolves, with where each stands: the one list the analyzers and the lowering share.</summary>
internal static class CasePlaceholders
{
    public static IEnumerable<(PlaceholderPart Part, PlaceholderSite Site)> Of(CaseSyntax syntax)
    {
        foreach (var p in syntax.Title.Placeholders) yield return (p, PlaceholderSite.Title);
        foreach (var turn in RepeatSyntax.Expand(syntax.Turns, once: true))
        {
            if (turn.Text is not null)
            {
                foreach (var p in turn.Text.Placeholders) yield return (p, PlaceholderSite.Turn);
            }
            if (turn.Prefill is not null)
            {
                foreach (var p in turn.Prefill.Placeholders) yield return (p, PlaceholderSite.Turn);
            }
            if (turn is VarySyntax vary)
            {
                foreach (var label in vary.Labels)
                {
                    foreach (var p in label.Text.Placeholders) yield return (p, PlaceholderSite.VaryText);
                }
            }
        }
        if (syntax.Reference is not null)
        {
            foreach (var p in syntax.Reference.Placeholders) yield return (p, PlaceholderSite.Reference);
        }
        foreach (var expectation in syntax.Expectations)
        {
            if (expectation.Kind == ExpectationKind.Contain && expectation.Text is not null)
            {
                foreach (var p in expectation.Text.Placeholders) yield return (p, PlaceholderSite.Contain);
            }
            if (expectation.Kind == ExpectationKind.Choose && expectation.Text is not null)
            {
                foreach (var p in expectation.Text.Placeholders) yield return (p, PlaceholderSite.Choice);
            }
            if (expectation.Alternatives is not null) yield return (expectation.Alternatives, PlaceholderSite.Alternatives);
            if (expectation.Kind == ExpectationKind.Match && expectation.Regex is not null)
            {
                foreach (var p in expectation.Regex.Placeholders) yield return (p.Part, PlaceholderSite.Regex);
            }
        }
    }

    /// <summary>Whether a placeholder at <paramref name="site"/> takes the case's vary names (only turns do).</summary>
    public static bool TakesVary(PlaceholderSite site) => site == PlaceholderSite.Turn;
}
