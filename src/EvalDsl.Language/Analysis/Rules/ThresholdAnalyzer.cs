using System.Collections.Generic;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>
/// EVAL0202: with n samples, <c>pass p%</c> really needs k = ⌈p·n/100⌉ passing samples; it fires when 100·k/n − p &gt; 5,
/// in exact decimal arithmetic. Reported once at each <c>pass</c> value in effect.
/// </summary>
internal sealed class ThresholdAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.CoarseThreshold;

    public override void Analyze(AnalysisContext context)
    {
        var reported = new HashSet<NumberSyntax>();
        foreach (var bound in context.Compilation.AllCases)
        {
            var pass = bound.PassSyntax;
            if (pass is null || bound.HasInvalidSamples || reported.Contains(pass)) continue;
            decimal n = bound.SamplesSyntax?.Value ?? 1m;
            var p = bound.Pass;
            decimal k = EvalDsl.Plan.EvalCase.RequiredPasses(p, (int)n);
            var effective = 100m * k / n;
            if (effective - p <= 5m) continue;
            reported.Add(pass);
            context.Report(bound.Syntax.Suite.Tree, pass.Range,
                $"With {n} sample{(n == 1 ? "" : "s")}, pass {pass.Text} really requires {k} of {n} ({Percent(effective)}); " +
                "raise samples or write the threshold you mean.");
        }
    }

    private static string Percent(decimal value) => decimal.Round(value, 1).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
