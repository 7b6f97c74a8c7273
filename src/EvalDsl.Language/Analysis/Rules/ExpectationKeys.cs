using System;
using System.Collections.Generic;
using EvalDsl.Binding;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>An expectation with the first earlier one in its case that checks the same thing, the same way and the opposite way.</summary>
internal readonly record struct KeyedExpectation(BoundCase Case, ExpectationSyntax Expectation, ExpectationSyntax? Same, ExpectationSyntax? Opposite)
{
    /// <summary>The 1-based line where <paramref name="earlier"/> starts.</summary>
    public int LineOf(ExpectationSyntax earlier) => Case.Syntax.Suite.Tree.Source.PositionOf(earlier.Keyword.Start).Line;
}

/// <summary>What an expectation checks, as a key two expectations share when they check the same thing (EVAL0201, EVAL0206).</summary>
internal static class ExpectationKeys
{
    /// <summary>Each case's keyed expectations in order; <paramref name="skipErrors"/> also leaves out those with syntax errors.</summary>
    public static IEnumerable<KeyedExpectation> Walk(BoundCompilation compilation, bool skipErrors)
    {
        foreach (var bound in compilation.AllCases)
        {
            var expectations = bound.Syntax.Expectations;
            // Cases hold a few expectations: earlier ones are found by a scan, without a table per case.
            var seen = new List<(string Key, bool Negated, ExpectationSyntax Expectation)>(expectations.Count);
            foreach (var expectation in expectations)
            {
                if (expectation.IsMissing || (skipErrors && expectation.HasErrors) || Key(expectation) is not { } key) continue;
                ExpectationSyntax? same = null, opposite = null;
                foreach (var (k, negated, earlier) in seen)
                {
                    if (!string.Equals(k, key, StringComparison.Ordinal)) continue;
                    if (negated == expectation.Negated) same ??= earlier;
                    else opposite ??= earlier;
                }
                yield return new KeyedExpectation(bound, expectation, same, opposite);
                if (same is null) seen.Add((key, expectation.Negated, expectation));
            }
        }
    }

    /// <summary>
    /// The key of what is checked, with the reply it is checked in and its guard (<c>in a</c> and <c>in b</c> check different
    /// things); an expectation of a <c>for LABEL</c> block checks only that label's variants, so the label is part of it.
    /// </summary>
    public static string? Key(ExpectationSyntax e)
    {
        // Syntax only, so computed once per expectation (an incremental parse copies it with the node).
        if (e.CheckedKey is { } cached) return cached.Key;
        var key = CheckKey(e) is { } check ? (e.For is { } @for ? "for " + @for.Label.Text + ":" : "") + check + Suffix(e) : null;
        e.CheckedKey = new(key);
        return key;
    }

    private static string Suffix(ExpectationSyntax e) =>
        (e.Reply is { } reply ? " in " + reply.Text : e.EveryReply is not null ? " in every reply" : "") +
        (e.Guard is { } guard ? " when " + guard.Reply.Text + (guard.Text is { } t ? " contains " + t.Template.ToLowerInvariant() : guard.Regex is { } r ? " matches " + r.Flags + "/" + r.Pattern : "") : "");

    private static string? CheckKey(ExpectationSyntax e) => e.Kind switch
    {
        ExpectationKind.Behavior => "b:" + (e.PhraseKey ??= BehaviorCatalog.KeyOf(e.Phrase)),
        ExpectationKind.Contain => e.Text is null ? null : "c:" + e.Text.Template.ToLowerInvariant(),
        ExpectationKind.Match => e.Regex is null ? null : "m:" + e.Regex.Flags + "/" + e.Regex.Pattern,
        ExpectationKind.ContainAny => e.Alternatives is null ? null : "ca:" + e.Alternatives.Name,
        ExpectationKind.ContainAll => e.Alternatives is null ? null : "cl:" + e.Alternatives.Name,
        ExpectationKind.Choose => e.Text is null ? null : "o:" + e.Text.Template.ToUpperInvariant(),
        ExpectationKind.HoldsAnswer => "h",
        ExpectationKind.AnswerCorrectly => "a",
        ExpectationKind.ConsistentAcross => "v:" + e.VaryName?.Text,
        ExpectationKind.MoreUnder => e.Degree is null ? null : "mu:" + BehaviorCatalog.KeyOf(e.Degree) + ":" + e.UnderLabel?.Text + ":" + e.ThanLabel?.Text,
        _ => null,
    };

    public static string Describe(ExpectationSyntax e) =>
        (e.Modality == Modality.Must ? "must" : "should") + (e.Negated ? " not " : " ") + e.Phrase + Written(e);

    /// <summary>The suffixes as written after the phrase: <c> in every reply</c>, <c> in NAME</c>, <c> when NAME contains "…"</c>.</summary>
    public static string Written(ExpectationSyntax e) =>
        (e.Reply is { } reply ? " in " + reply.Text : e.EveryReply is not null ? " in every reply" : "") +
        (e.Guard is { } guard ? " when " + guard.Reply.Text + (guard.Text is { } t ? " contains \"" + t.Template + "\"" : guard.Regex is { } r ? " matches /" + r.Pattern.Replace("/", "\\/") + "/" + r.Flags : "") : "");
}
