using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0113: a <c>{placeholder}</c> that stays literal text where it was probably meant to be substituted: in a string
/// no case resolves (a persona's system or memory text, a behavior's phrase, means, cite, shows or lacks, an about
/// text, a suite title, an inline data cell, a data file's path or filter value); a vary name in a case title, a vary
/// text, a contain string or a regex (each stands once for all variants, so only data columns are substituted
/// there); a vary name followed by <c>.key</c> or <c>[i]</c>; and a <c>{a.b}</c> or <c>{a[0]}</c> that does not
/// resolve in some row of the case's data (reported for the first such row).
/// </summary>
internal sealed class LiteralPlaceholderAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnresolvedPlaceholder;

    private const string Literal = "Write \\{ and \\} for literal braces.";

    public override void Analyze(AnalysisContext context)
    {
        var compilation = context.Compilation;
        foreach (var tree in compilation.Trees)
        {
            foreach (var behavior in tree.Behaviors)
            {
                Unresolved(context, tree, behavior.Phrase, "a behavior's phrase");
                if (behavior.Means is not null) Unresolved(context, tree, behavior.Means, "a behavior's means text (the judge reads it as written)");
                foreach (var s in behavior.Cites) Unresolved(context, tree, s, "a cite");
                foreach (var s in behavior.Shows) Unresolved(context, tree, s, "a shows example (the judge reads it as written)");
                foreach (var s in behavior.Lacks) Unresolved(context, tree, s, "a lacks example (the judge reads it as written)");
            }
            foreach (var persona in tree.Personas) Persona(context, tree, persona);
            foreach (var data in tree.DataSets) Data(context, tree, data);
            foreach (var suite in tree.Suites)
            {
                Unresolved(context, tree, suite.Title, "a suite title");
                if (suite.Settings.About is { } about) Unresolved(context, tree, about, "an about text");
                foreach (var persona in suite.Personas) Persona(context, tree, persona);
                foreach (var data in suite.DataSets) Data(context, tree, data);
                foreach (var @case in suite.Cases)
                {
                    if (@case.Settings.About is { } caseAbout) Unresolved(context, tree, caseAbout, "an about text");
                }
            }
        }

        foreach (var bound in compilation.AllCases) Case(context, bound);
    }

    private static void Case(AnalysisContext context, BoundCase bound)
    {
        var syntax = bound.Syntax;
        var tree = syntax.Suite.Tree;
        HashSet<string>? varies = null, columns = null;
        foreach (var (placeholder, site) in CasePlaceholders.Of(syntax))
        {
            // Built on the first placeholder: most cases have none.
            varies ??= new HashSet<string>(syntax.Turns.OfType<VarySyntax>().Select(v => v.Name.Text), System.StringComparer.Ordinal);
            columns ??= bound.Data?.Columns is { } c ? new HashSet<string>(c, System.StringComparer.Ordinal) : new HashSet<string>();
            var root = placeholder.Root;
            // A data column wins over a vary of the same name, as the lowering's scope has it.
            if (!columns.Contains(root) && varies.Contains(root))
            {
                if (PlaceholderPath.IsNested(placeholder.Name))
                {
                    context.Report(tree, placeholder.Range, $"{{{placeholder.Name}}} is not resolved here: a vary text has no keys or items; write {{{root}}}.");
                }
                else if (!CasePlaceholders.TakesVary(site))
                {
                    context.Report(tree, placeholder.Range, $"{{{placeholder.Name}}} is not resolved here: {VaryWhere(site)} once for all variants of vary '{root}', so only data columns are substituted in it.");
                }
                continue;
            }
            if (!columns.Contains(root) || !PlaceholderPath.IsNested(placeholder.Name) || bound.Data is not { } data) continue;

            // Each distinct path is looked up once per row; a problem is reported at each place it is written.
            var problem = FirstProblem(data, placeholder.Name);
            if (problem is not null) context.Report(tree, placeholder.Range, problem);
        }
    }

    private static string? FirstProblem(BoundDataSet data, string path)
    {
        for (var r = 0; r < data.Rows.Count; r++)
        {
            if (DataPaths.Resolve(data, r, path, out var why) is not null) continue;
            var others = 0;
            for (var s = r + 1; s < data.Rows.Count; s++) if (DataPaths.Resolve(data, s, path, out _) is null) others++;
            var at = $"{{{path}}} is not resolved here: in row {data.RowNumbers[r].ToString(CultureInfo.InvariantCulture)} of '{data.Name}', {why}";
            return others == 0
                ? at + "; that row's test keeps the braces as literal text."
                : at + $", nor in {others.ToString(CultureInfo.InvariantCulture)} more row{(others == 1 ? "" : "s")}; those {(others + 1).ToString(CultureInfo.InvariantCulture)} rows' tests keep the braces as literal text.";
        }
        return null;
    }

    private static string VaryWhere(PlaceholderSite site) => site switch
    {
        PlaceholderSite.Title => "a case title names the test",
        PlaceholderSite.VaryText => "a vary text is read",
        PlaceholderSite.Contain => "a contain string is checked",
        PlaceholderSite.Reference => "a reference is given to the judge",
        PlaceholderSite.Answer => "an answer is graded",
        PlaceholderSite.Choice => "the option of choose is checked",
        PlaceholderSite.Alternatives => "the alternatives of any of / all of are checked",
        _ => "a regular expression is checked",
    };

    private static void Persona(AnalysisContext context, SyntaxTree tree, PersonaSyntax persona)
    {
        foreach (var s in persona.System) Unresolved(context, tree, s, "a persona's system text (a persona belongs to no case; put the text in the case)");
        foreach (var s in persona.Memory) Unresolved(context, tree, s, "a persona's memory (a persona belongs to no case; put the memory in the case)");
    }

    private static void Data(AnalysisContext context, SyntaxTree tree, DataSyntax data)
    {
        if (data.FromPath is { } path) Unresolved(context, tree, path, "a data file's path");
        foreach (var filter in data.Filters) Unresolved(context, tree, filter.Value, "a row filter's value");
        foreach (var row in data.Rows)
        {
            foreach (var cell in row.Cells) Unresolved(context, tree, cell, "a data cell (a cell cannot use another column)");
        }
    }

    private static void Unresolved(AnalysisContext context, SyntaxTree tree, StringSyntax text, string where)
    {
        foreach (var placeholder in text.Placeholders)
        {
            context.Report(tree, placeholder.Range, $"{{{placeholder.Name}}} is not resolved here: {where}, so the braces stay literal text. {Literal}");
        }
    }
}
