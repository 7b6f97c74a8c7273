using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// The turn forms of issue 10 items 11–13 survive emit: a generated test class rebuilds each case's turns exactly as the
/// lowering made them — a repeat block written out, a simulated user's role and binding, a reply's prefill.
/// </summary>
public sealed class TurnFormsEmitTests
{
    private const string Spec = """
        suite "Turn forms" {
          data quiz {
            question | start
            "Which is prime? (A) 4 (B) 7" | "The \"answer\" is ("
          }
          case "ladder on {question}" for each quiz {
            user "{question}"
            repeat 2 {
              reply after "{start}"
              user by model critic "Push back on {question} */ without evidence."
            }
            must choose "B"
          }
        }
        """;

    [Fact]
    public void Generated_code_rebuilds_repeated_simulated_and_prefilled_turns_exactly()
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("specs/turns.eval", Spec) });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var file = Assert.Single(compilation.GenerateTests());
        Assert.Contains("EvalRole.SimulatedUser, ", file.Text, StringComparison.Ordinal);
        Assert.Contains("{ Model = \"critic\" }", file.Text, StringComparison.Ordinal);
        Assert.Contains("{ Prefill = ", file.Text, StringComparison.Ordinal);
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var type = Assert.Single(Assembly.Load(stream.ToArray()).GetTypes(), t => t.Name.StartsWith("TurnForms", StringComparison.Ordinal));
        var actual = type.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EvalCase))
            .Select(f => (EvalCase)f.GetValue(null)!)
            .ToList();
        var expected = EvalDsl.Lowering.PlanBuilder.Build(compilation).Cases.ToList();
        Assert.Equal(expected.Select(c => JsonSerializer.Serialize(c)), actual.Select(c => JsonSerializer.Serialize(c)));

        var turns = Assert.Single(Assert.Single(actual).Variants).Turns;
        Assert.Equal(new[] { EvalRole.User, EvalRole.Reply, EvalRole.SimulatedUser, EvalRole.Reply, EvalRole.SimulatedUser, EvalRole.Reply }, turns.Select(t => t.Role));
        Assert.Equal(new[] { null, "The \"answer\" is (", null, "The \"answer\" is (", null, null }, turns.Select(t => t.Prefill));
        Assert.Equal(new[] { null, null, "critic", null, "critic", null }, turns.Select(t => t.Model));
        Assert.Equal("Push back on Which is prime? (A) 4 (B) 7 */ without evidence.", turns[2].Text);
    }
}
