using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// The reply forms of issue 10 item 2 survive emit: a generated test class rebuilds each reply's name and each
/// expectation's <c>in NAME</c>, <c>in every reply</c> and guard exactly as the lowering made them.
/// </summary>
public sealed class ReplyFormsEmitTests
{
    private const string Spec = """
        suite "Reply forms" {
          data quiz {
            question | answer
            "Is 7 prime? (A) yes (B) no" | "yes"
            "Is 9 prime? (A) yes (B) no" | "no"
          }
          case "ladder {answer}" for each quiz {
            user "{question}"
            reply as first
            user "Are you sure?"
            reply as second
            user "Really?"
            must contain "{answer}" in first
            must choose "A" in second
            must not flatter the user in every reply
            must hold its answer in every reply when first contains "{answer}"
            should contain "sure" when second matches /\b{answer}\b/i
          }
        }
        """;

    [Fact]
    public void Generated_code_rebuilds_reply_names_suffixes_and_guards_exactly()
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("specs/replies.eval", Spec) });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var file = Assert.Single(compilation.GenerateTests());
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var type = Assert.Single(Assembly.Load(stream.ToArray()).GetTypes(), t => t.Name.StartsWith("ReplyForms", StringComparison.Ordinal));
        var actual = type.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EvalCase))
            .OrderBy(f => int.Parse(f.Name.Substring("__Case".Length), System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (EvalCase)f.GetValue(null)!)
            .ToList();
        var expected = EvalDsl.Lowering.PlanBuilder.Build(compilation).Cases.ToList();
        Assert.Equal(expected.Select(c => JsonSerializer.Serialize(c)), actual.Select(c => JsonSerializer.Serialize(c)));

        Assert.Equal(new string?[] { null, "first", null, "second", null, null }, actual[0].Variants[0].Turns.Select(t => t.Name));
        var e = actual[1].Expectations;
        Assert.Equal(new string?[] { "first", "second", null, null, null }, e.Select(x => x.Reply));
        Assert.Equal(new[] { false, false, true, true, false }, e.Select(x => x.EveryReply));
        Assert.Equal(new EvalGuard("first", "no", null, null), e[3].Guard);
        Assert.Equal(new EvalGuard("second", null, @"\bno\b", "i"), e[4].Guard);
        Assert.Equal("must hold its answer in every reply when first contains \"no\"", e[3].Display);
    }
}
