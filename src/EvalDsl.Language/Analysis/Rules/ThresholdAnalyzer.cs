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
            var suite = bound.Syntax.Suite.Settings;
            var own = bound.Syntax.Settings;
            var pass = own.Pass ?? suite.Pass;
            if (pass is null || !ValueRangeAnalyzer.IsValidPass(pass) || reported.Contains(pass)) continue;
            var samplesSyntax = own.Samples ?? suite.Samples;
            if (samplesSyntax is not null && !ValueRangeAnalyzer.IsValidSamples(samplesSyntax)) continue;
            decimal n = samplesSyntax?.Value ?? 1m;
            var p = pass.Value!.Value;
            var k = decimal.Ceiling(p * n / 100m);
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
