using System.Collections.Generic;
using System.Linq;
using EvalDsl.Syntax;

namespace EvalDsl.Binding;

/// <summary>The labels of a case's varies, for <c>under LABEL than under LABEL</c> and <c>for LABEL</c>.</summary>
internal static class VaryLabels
{
    /// <summary>The varies of <paramref name="case"/> that have the label <paramref name="label"/> (ordinal), in order.</summary>
    public static IReadOnlyList<VarySyntax> VariesWith(CaseSyntax @case, string label) =>
        @case.Turns.OfType<VarySyntax>().Where(v => v.Labels.Any(l => l.Label.Text == label)).ToList();

    /// <summary>Every label of the case's varies, in order, each once.</summary>
    public static IReadOnlyList<string> All(CaseSyntax @case) =>
        @case.Turns.OfType<VarySyntax>().SelectMany(v => v.Labels.Select(l => l.Label.Text)).Distinct().ToList();

    /// <summary>The name of the first vary with <paramref name="label"/>, or null.</summary>
    public static string? VaryOf(CaseSyntax @case, NameSyntax? label) =>
        label is null || label.IsMissing() ? null : VariesWith(@case, label.Text).FirstOrDefault()?.Name.Text;
}
