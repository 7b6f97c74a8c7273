using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0104: a <c>{placeholder}</c> in a case title, a turn, a contain string, a match regex or a vary text (or the
/// column part of a <c>{a.b}</c> or <c>{a[0]}</c>) names no data column
/// of the case's <c>for each</c> and no <c>vary</c> of the case.
/// </summary>
internal sealed class PlaceholderAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnknownPlaceholder;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            // When the data set or a vary did not resolve, its names are unknown: its own error says so.
            if (syntax.HasBrokenVary) continue;
            if (syntax.ForEach is not null && bound.Data?.Columns is null) continue;

            HashSet<string>? names = null;
            foreach (var (placeholder, _) in CasePlaceholders.Of(syntax))
            {
                // Built on the first placeholder: most cases have none.
                if (names is null)
                {
                    names = new HashSet<string>(System.StringComparer.Ordinal);
                    if (bound.Data?.Columns is { } columns) names.UnionWith(columns);
                    foreach (var vary in syntax.Turns.OfType<VarySyntax>()) names.Add(vary.Name.Text);
                }
                // {a.b} and {a[0]} name their column by the part before the first '.' or '['.
                var root = placeholder.Root;
                if (names.Contains(root)) continue;
                var suggestion = NameSuggester.Suggest(root, names, ignoreCase: false);
                var what = syntax.ForEach is null
                    ? "this case has no for each data and no vary of that name"
                    : "no data column or vary of this case has that name";
                var message = suggestion is not null
                    ? $"'{{{placeholder.Name}}}' names nothing: {what}. Did you mean '{{{suggestion + placeholder.Name.Substring(root.Length)}}}'?"
                    : $"'{{{placeholder.Name}}}' names nothing: {what}. Write \\{{ and \\}} for literal braces.";
                context.Report(syntax.Suite.Tree, placeholder.Range, message);
            }
        }
    }
}
