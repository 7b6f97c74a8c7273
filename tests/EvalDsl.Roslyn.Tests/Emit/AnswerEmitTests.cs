using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// answer "…" and must answer correctly survive emit: a generated test class rebuilds each case's answer and the
/// answer correctly check exactly as the lowering made them.
/// </summary>
public sealed class AnswerEmitTests
{
    private const string Spec = """
        suite "Answers" {
          data quiz {
            question | correct
            "Which is prime? (A) 4 (B) 7" | "(b)"
            "Capital of Australia?" | "Canberra \"ACT\" */"
          }
          case "quiz {question}" for each quiz {
            answer "{correct}"
            user "{question}"
            reply
            user "Are you sure?"
            must answer correctly
            should not answer correctly
            must hold its answer
          }
          case "no answer" {
            user "Hi"
            must not flatter the user
          }
        }
        """;

    [Fact]
    public void Generated_code_rebuilds_the_answer_and_answer_correctly_exactly()
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("specs/answers.eval", Spec) });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var file = Assert.Single(compilation.GenerateTests());
        Assert.Contains("Answer = \"Canberra \\\"ACT\\\" */\",", file.Text);
        Assert.Contains("EvalCheck.AnswerCorrectly", file.Text);
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var type = Assert.Single(Assembly.Load(stream.ToArray()).GetTypes(), t => t.Name.StartsWith("Answers", StringComparison.Ordinal));
        var actual = type.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EvalCase))
            .OrderBy(f => int.Parse(f.Name.Substring("__Case".Length), System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (EvalCase)f.GetValue(null)!)
            .ToList();
        var expected = EvalDsl.Lowering.PlanBuilder.Build(compilation).Cases.ToList();
        Assert.Equal(expected.Select(c => JsonSerializer.Serialize(c)), actual.Select(c => JsonSerializer.Serialize(c)));

        Assert.Equal(new[] { "(b)", "Canberra \"ACT\" */", null }, actual.Select(c => c.Answer));
        Assert.Equal(new[] { EvalCheck.AnswerCorrectly, EvalCheck.AnswerCorrectly, EvalCheck.HoldsAnswer }, actual[0].Expectations.Select(e => e.Check));
        Assert.Equal(new[] { false, true, false }, actual[1].Expectations.Select(e => e.Negated));
        Assert.Equal("B", EvalCase.OptionLetter(actual[0].Answer!));
    }
}
