using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Lowering;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0112: a case whose data rows times the labels of its vary blocks exceed <see cref="Lowerer.MaxExpansion"/>
/// tests (at the case's title). Such a case is never expanded: eight vary blocks of ten labels are 10^8 tests.
/// </summary>
internal sealed class ExpansionAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.TooManyVariants;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            if (Lowerer.Expansion(bound) <= Lowerer.MaxExpansion) continue;
            var syntax = bound.Syntax;
            var factors = syntax.Turns.OfType<VarySyntax>().Where(v => v.Labels.Count > 0).Select(v => $"{v.Labels.Count} labels of vary {v.Name.Text}").ToList();
            if (syntax.ForEach is not null && bound.Data is { } data) factors.Insert(0, $"{data.Rows.Count} rows of {data.Name}");
            context.Report(syntax.Suite.Tree, syntax.Title.Range,
                $"Case '{syntax.Title.Template}' expands to more than {Lowerer.MaxExpansion.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} tests ({string.Join(" × ", factors)}), the limit for one case; split it into smaller cases or use fewer labels.");
        }
    }
}
