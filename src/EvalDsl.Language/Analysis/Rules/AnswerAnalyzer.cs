using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0125: <c>must answer correctly</c> grades the reply against the case's <c>answer "…"</c> line, and the case has
/// none (an answer line that did not parse counts as written: its own error says what is wrong).
/// </summary>
internal sealed class AnswerAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.AnswerCorrectlyWithoutAnswer;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var bound in context.Compilation.AllCases)
        {
            var syntax = bound.Syntax;
            if (syntax.AnswerKeyword is not null || syntax.Status.MayBeIncomplete) continue;
            foreach (var e in syntax.Expectations)
            {
                if (e.Kind != ExpectationKind.AnswerCorrectly || e.IsMissing) continue;
                context.Report(syntax.Suite.Tree, e.PhraseRange,
                    "'answer correctly' grades the reply against the case's correct answer, but this case has no answer line; add one, such as answer \"Canberra\" (or answer \"B\" for a multiple-choice question).");
            }
        }
    }
}
