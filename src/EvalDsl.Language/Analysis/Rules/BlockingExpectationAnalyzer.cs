using System.Linq;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0302: a suite without a <c>must</c> expectation can never block a launch.</summary>
internal sealed class BlockingExpectationAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.NothingBlocks;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var suite in context.Compilation.AllSuites)
        {
            if (suite.Title.IsMissing() || SuiteChecks.MayBeIncomplete(suite)) continue;
            if (suite.Cases.Any(c => c.Expectations.Any(e => e.Modality == Modality.Must))) continue;
            context.Report(suite.Tree, suite.Title.Range,
                $"Suite '{suite.Title.Template}' has no must expectation, so nothing in it can block a launch.");
        }
    }
}
