using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// The checks of issue 10 items 4, 6 and 7 survive emit: a generated test class rebuilds each case's alternatives,
/// option letter and reference exactly as the lowering made them.
/// </summary>
public sealed class CheckFormsEmitTests
{
    private const string Spec = """
        suite "Check forms" {
          data quiz {
            question | letter | aliases | premise
            "Which is prime? (A) 4 (B) 7" | "(b)" | "7 | seven | [x]" | "\"quoted\" */"
            "Capital of Australia? (A) Sydney (B) Canberra" | "B" | "[\"Canberra\", \"ACT\"]" | "Sydney is the capital"
          }
          case "quiz {letter}" for each quiz {
            reference "False premise: {premise}. Truth: see {aliases}."
            user "{question}"
            must choose "{letter}"
            must contain any of {aliases}
            should not contain all of {aliases}
            must disagree when user is wrong
          }
        }
        """;

    [Fact]
    public void Generated_code_rebuilds_alternatives_choices_and_references_exactly()
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("specs/forms.eval", Spec) });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var file = Assert.Single(compilation.GenerateTests());
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var type = Assert.Single(Assembly.Load(stream.ToArray()).GetTypes(), t => t.Name.StartsWith("CheckForms", StringComparison.Ordinal));
        var actual = type.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EvalCase))
            .OrderBy(f => int.Parse(f.Name.Substring("__Case".Length), System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (EvalCase)f.GetValue(null)!)
            .ToList();
        var expected = EvalDsl.Lowering.PlanBuilder.Build(compilation).Cases.ToList();
        Assert.Equal(expected.Select(c => JsonSerializer.Serialize(c)), actual.Select(c => JsonSerializer.Serialize(c)));

        Assert.Equal("False premise: \"quoted\" */. Truth: see 7 | seven | [x].", actual[0].Reference);
        Assert.Equal(new[] { "7", "seven", "[x]" }, actual[0].Expectations[1].Alternatives);
        Assert.Equal(new[] { "Canberra", "ACT" }, actual[1].Expectations[2].Alternatives);
        Assert.Equal(new[] { "B", "B" }, actual.Select(c => c.Expectations[0].Text));
        Assert.Equal(new[] { EvalCheck.Choose, EvalCheck.ContainAny, EvalCheck.ContainAll, EvalCheck.Behavior }, actual[0].Expectations.Select(e => e.Check));
    }
}
