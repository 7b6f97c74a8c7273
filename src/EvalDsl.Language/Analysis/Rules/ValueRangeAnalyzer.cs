using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Diagnostics;
using EvalDsl.Syntax;

namespace EvalDsl.Analysis.Rules;

/// <summary>EVAL0107: samples below 1 or not whole, pass outside (0, 100%], temperature outside 0–2, repeat not a whole number from 1 to 100.</summary>
internal sealed class ValueRangeAnalyzer : Analyzer
{
    public override DiagnosticDescriptor Descriptor => DiagnosticDescriptors.ValueOutOfRange;

    public override void Analyze(AnalysisContext context)
    {
        foreach (var suite in context.Compilation.AllSuites)
        {
            foreach (var settings in new[] { suite.Settings }.Concat(suite.Cases.Select(c => c.Settings)))
            {
                Check(context, suite.Tree, settings);
            }
            foreach (var @case in suite.Cases)
            {
                foreach (var repeat in @case.Turns.OfType<RepeatSyntax>())
                {
                    if (repeat.Count is { } count && !(count.Value is { } v && v >= 1 && v <= RepeatSyntax.Max && v == Math.Floor(v) && !count.IsPercentage))
                    {
                        context.Report(suite.Tree, count.Range, $"repeat must be a whole number from 1 to {RepeatSyntax.Max}, not {count.Text}.");
                    }
                }
            }
        }
    }

    private static void Check(AnalysisContext context, SyntaxTree tree, SettingsSyntax settings)
    {
        if (settings.Samples is { } samples && !SettingRules.IsValidSamples(samples))
        {
            context.Report(tree, samples.Range, samples.Value is { } v && v > int.MaxValue && v == Math.Floor(v)
                ? $"samples must be a whole number from 1 to {int.MaxValue}, not {samples.Text}."
                : $"samples must be a whole number of at least 1, not {samples.Text}.");
        }
        if (settings.Pass is { } pass && !SettingRules.IsValidPass(pass))
        {
            context.Report(tree, pass.Range, $"pass must be a percentage above 0% and at most 100%, not {pass.Text}.");
        }
        if (settings.RowsPass is { } rows && !SettingRules.IsValidPass(rows))
        {
            context.Report(tree, rows.Range, $"pass … of rows must be a percentage above 0% and at most 100%, not {rows.Text}.");
        }
        if (settings.Temperature is { } temperature && !SettingRules.IsValidTemperature(temperature))
        {
            context.Report(tree, temperature.Range, $"temperature must be between 0 and 2, not {temperature.Text}.");
        }
    }
}
