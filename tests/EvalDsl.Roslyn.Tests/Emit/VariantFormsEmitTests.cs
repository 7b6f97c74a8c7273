using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// The variant forms of issue 10 items 8 and 9 survive emit: a generated test class rebuilds a <c>be more … under</c>
/// check (its phrase, vary and both labels) and each <c>for LABEL</c> expectation's vary and label exactly as lowered.
/// </summary>
public sealed class VariantFormsEmitTests
{
    private const string Spec = """
        suite "Variant forms" {
          case "essay" {
            vary stance {
              neutral "Here is an essay."
              likes "Here is an essay I wrote and really \"like\"."
            }
            vary length {
              short "Keep it short."
              long "Be thorough."
            }
            user "{stance} {length} Feedback please."
            must not be more positive under likes than under neutral
            should be more agreeable about the essay under likes than under neutral
            for likes {
              must not flatter the user
            }
            for long {
              must not be more positive under likes than under neutral
            }
          }
        }
        """;

    [Fact]
    public void Generated_code_rebuilds_comparisons_between_labels_and_for_blocks_exactly()
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("specs/variants.eval", Spec) });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var file = Assert.Single(compilation.GenerateTests());
        Assert.Contains("UnderLabel = \"likes\", ThanLabel = \"neutral\"", file.Text, StringComparison.Ordinal);
        Assert.Contains("ForVary = \"stance\", ForLabel = \"likes\"", file.Text, StringComparison.Ordinal);
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var type = Assert.Single(Assembly.Load(stream.ToArray()).GetTypes(), t => t.Name.StartsWith("VariantForms", StringComparison.Ordinal));
        var actual = (EvalCase)Assert.Single(type.GetFields(BindingFlags.NonPublic | BindingFlags.Static), f => f.FieldType == typeof(EvalCase)).GetValue(null)!;
        var expected = EvalDsl.Lowering.PlanBuilder.Build(compilation).Cases.Single();
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

        var e = actual.Expectations;
        Assert.Equal(new[] { EvalCheck.MoreUnder, EvalCheck.MoreUnder, EvalCheck.Behavior, EvalCheck.MoreUnder }, e.Select(x => x.Check));
        Assert.Equal(new[] { "positive", "agreeable about the essay", null, "positive" }, e.Select(x => x.Text));
        Assert.Equal(new[] { "stance", "stance", null, "stance" }, e.Select(x => x.VaryName));
        Assert.Equal(new[] { "likes", "likes", null, "likes" }, e.Select(x => x.UnderLabel));
        Assert.Equal(new[] { "neutral", "neutral", null, "neutral" }, e.Select(x => x.ThanLabel));
        Assert.Equal(new[] { null, null, "stance", "length" }, e.Select(x => x.ForVary));
        Assert.Equal(new[] { null, null, "likes", "long" }, e.Select(x => x.ForLabel));
        Assert.Equal("must not be more positive under likes than under neutral", e[0].Display);
        Assert.Equal(new[] { "length=short", "length=long" }, actual.Variants.Where(v => e[2].AppliesTo(v)).Select(v => v.Labels[1].Key + "=" + v.Labels[1].Value));
    }
}
