using System;
using EvalDsl.Syntax;

namespace EvalDsl.Binding;

/// <summary>The one definition of a valid setting value; the binder applies it and EVAL0107 reports what fails it.</summary>
internal static class SettingRules
{
    public static bool IsValidSamples(NumberSyntax n) => n.Value is { } v && v >= 1 && v == Math.Floor(v) && v <= int.MaxValue;

    public static bool IsValidPass(NumberSyntax n) => n.IsPercentage && n.Value is { } v && v > 0 && v <= 100;

    public static bool IsValidTemperature(NumberSyntax n) => n.Value is { } v && v >= 0 && v <= 2;
}
