using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0203: the effective judge binding is the model under test. Points at the name after <c>judge</c>, or after <c>model</c> when only <c>model</c> is written.</summary>
internal sealed class SelfGradingAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.SelfGrading;

    public override void Analyze(AnalysisContext context)
    {
        var reported = new HashSet<NameSyntax>();
        foreach (var suite in context.Compilation.AllSuites)
        {
            // Per case: a suite's setting that every case overrides grades nothing.
            foreach (var @case in suite.Cases) Check(context, suite.Tree, @case.Settings, suite.Settings, reported);
        }
    }

    private static void Check(AnalysisContext context, SyntaxTree tree, SettingsSyntax own, SettingsSyntax? outer, HashSet<NameSyntax> reported)
    {
        var model = Valid(own.Model) ?? Valid(outer?.Model);
        var judge = Valid(own.Judge) ?? Valid(outer?.Judge);
        var modelName = model?.Text ?? "target";
        var judgeName = judge?.Text ?? "judge";
        if (modelName != judgeName) return;
        var at = judge ?? model;
        if (at is null || !reported.Add(at)) return;
        context.Report(tree, at.Range,
            $"The judge '{judgeName}' is the model under test: a model grading its own replies tends to approve of them. Bind the judge to a different model.");
    }

    private static NameSyntax? Valid(NameSyntax? name) => name is null || name.IsMissing() ? null : name;
}
