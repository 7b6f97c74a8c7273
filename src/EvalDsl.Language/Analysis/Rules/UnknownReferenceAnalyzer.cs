using EvalDsl.Diagnostics;
using EvalDsl.Text;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0103: a <c>with</c> or <c>for each</c> names a persona or data set that is not declared where the case can see it.</summary>
internal sealed class UnknownReferenceAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.UnknownReference;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var reference in context.Compilation.Unresolved)
        {
            if (context.Compilation.MayLackDeclarations.Contains(reference.Tree)) continue;
            var suggestion = NameSuggester.Suggest(reference.Name.Text, reference.Candidates, ignoreCase: false);
            var message = suggestion is not null
                ? $"Unknown {reference.Kind} '{reference.Name.Text}'. Did you mean '{suggestion}'?"
                : $"Unknown {reference.Kind} '{reference.Name.Text}'; declare it at the top level or in this suite.";
            context.Report(reference.Tree, reference.Name.Range, message);
        }
    }
}
