using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using EvalDsl.Emit;
using EvalDsl.Runtime;
using Microsoft.CodeAnalysis;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// Spec text can never change the generated code's structure: an injection corpus of titles and strings must give
/// code that compiles warning-free, and the values the tests use must come back byte for byte.
/// </summary>
public sealed class InjectionTests
{
    // Literal NUL, right-to-left override and mark, a lone line separator; the rest is written with the
    // language's own escapes. Every value starts with the padding: past CSharp.Utf8Threshold the emitter writes it as
    // a UTF-8 literal ("…"u8), which must be escaped exactly as an ordinary one.
    private static string Spec(string pad) => string.Join("\n",
        "suite \"Injection \\\"corpus\\\" */ /* \\\\ {{ }}\" {",
        "  tags launch-gate, über_tag",
        "  case \"\\\"; } class Evil { void X() { /*\" {",
        "    system \"" + pad + "#line 1 \\\"evil.cs\\\"\\n#error injected\\n*/ \\\\\\\\server\\\\share\"",
        "    user \"" + pad + "NUL here:\0 RTL:\u202Eevil\u202C mark:\u200F emoji:😀 braces:\\{\\{x\\}\\} {{ y }} tab:\\t end\\\\\"",
        "    assistant \"" + pad + "\\\"\\\"\\\" three quotes \\\"\\\"\\\" and `backticks` and $\\{interpolation\\}\"",
        "    user \"\"\"",
        "      " + pad + "a text block with \"\"\" inside, # not a comment, } and {",
        "        indented \\\\ line \\\\u0041",
        "      \"\"\"",
        "    must contain \"" + pad + "\\\"); System.Environment.Exit(1); (\\\"\"",
        "    must match /" + pad + "[\"\\\\]+\\/\\*/i",
        "  }",
        "  case \"class\" {",
        "    user \"keyword title\"",
        "    must not flatter the user",
        "  }",
        "  case \"1st case, starts with a digit\" {",
        "    user \"digits\"",
        "    must not flatter the user",
        "  }",
        "  case \"a-b\" {",
        "    user \"punctuation 1\"",
        "    must not flatter the user",
        "  }",
        "  case \"a b\" {",
        "    user \"punctuation 2\"",
        "    must not flatter the user",
        "  }",
        "  case \"Überprüfung der Ünicode-Titel 😀\" {",
        "    user \"unicode\"",
        "    must not flatter the user",
        "  }",
        "  case \"😀\" {",
        "    user \"only an emoji\"",
        "    must not flatter the user",
        "  }",
        "}",
        "");

    /// <summary>Padding lengths: none (ordinary literals) and past the UTF-8 threshold (every value a "…"u8 literal).</summary>
    public static TheoryData<int> Pads => new() { 0, CSharp.Utf8Threshold + 1 };

    [Theory]
    [MemberData(nameof(Pads))]
    public void The_corpus_checks_without_errors(int padding)
    {
        var compilation = Compile(new string('p', padding));
        Assert.DoesNotContain(compilation.Diagnostics, d => d.Severity == EvalDsl.Diagnostics.DiagnosticSeverity.Error);
    }

    [Theory]
    [MemberData(nameof(Pads))]
    public void Generated_code_compiles_warning_free_and_every_value_round_trips_exactly(int padding)
    {
        var pad = new string('p', padding);
        var compilation = Compile(pad);
        var file = Assert.Single(compilation.GenerateTests());
        // The system prompt, three turns, the expectation's text and pattern (and each one's phrase when it quotes them).
        Assert.True(CountOf(file.Text, "\"u8)") >= (padding == 0 ? 0 : 6), file.Text);
        if (padding == 0) Assert.DoesNotContain("\"u8)", file.Text, StringComparison.Ordinal);
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var assembly = Assembly.Load(stream.ToArray());
        var type = Assert.Single(assembly.GetTypes(), t => t.Name.StartsWith("Injection", StringComparison.Ordinal));

        var expected = EvalDsl.Lowering.PlanBuilder.Build(compilation).Cases.ToList();
        var actual = type.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(EvalCase))
            .OrderBy(f => int.Parse(f.Name.Substring("__Case".Length), System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => (EvalCase)f.GetValue(null)!)
            .ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(JsonSerializer.Serialize(expected[i]), JsonSerializer.Serialize(actual[i]));
        }

        // The tricky values, byte for byte.
        var first = actual[0];
        Assert.Equal("\"; } class Evil { void X() { /*", first.Title);
        Assert.Equal(pad + "NUL here:\0 RTL:\u202Eevil\u202C mark:\u200F emoji:😀 braces:{{x}} {{ y }} tab:\t end\\", first.Variants[0].Turns[0].Text);
        Assert.Equal(pad + "a text block with \"\"\" inside, # not a comment, } and {\n  indented \\ line \\u0041", first.Variants[0].Turns[2].Text);
        Assert.Equal(pad + "\"\"\" three quotes \"\"\" and `backticks` and ${interpolation}", first.Variants[0].Turns[1].Text);
        Assert.Equal(pad + "\"); System.Environment.Exit(1); (\"", first.Expectations[0].Text);
        Assert.Equal(pad + "[\"\\\\]+/\\*", first.Expectations[1].Pattern);
        Assert.Equal(pad + "#line 1 \"evil.cs\"\n#error injected\n*/ \\\\server\\share", first.Variants[0].System);

        // One test per case, with valid distinct names and the exact titles as display names.
        var tests = type.GetMethods().Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "FactAttribute")).ToList();
        Assert.Equal(expected.Count, tests.Count);
        Assert.Equal(tests.Count, tests.Select(t => t.Name).Distinct().Count());
        var displayNames = tests.Select(t => (string)t.GetCustomAttributes().Single(a => a.GetType().Name == "FactAttribute").GetType().GetProperty("DisplayName")!.GetValue(t.GetCustomAttributes().Single(a => a.GetType().Name == "FactAttribute"))!);
        Assert.Equal(expected.Select(c => c.Title).OrderBy(t => t, StringComparer.Ordinal), displayNames.OrderBy(t => t, StringComparer.Ordinal));
        Assert.Contains(tests, t => t.Name == "@class" || t.Name == "Class");
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static EvalCompilation Compile(string pad) =>
        EvalCompilation.Create(new[] { SpecDocument.FromText("specs/injection \"quoted\" path.eval", Spec(pad)) });
}

/// <summary><see cref="CSharp.Value"/> at its edges: the threshold, and long text that has no UTF-8 form.</summary>
public sealed class LongValueTests
{
    [Fact]
    public void Long_values_are_utf8_literals_unless_they_hold_a_lone_surrogate_and_all_round_trip()
    {
        var atThreshold = new string('a', CSharp.Utf8Threshold);
        var past = "\"\"\" \0 \u202E 😀 é */ \\ \r\n#line 1" + new string('b', CSharp.Utf8Threshold);
        var loneHigh = new string('c', CSharp.Utf8Threshold) + "\uD800x";
        var loneLow = "\uDC00" + new string('d', CSharp.Utf8Threshold);
        var values = new[] { atThreshold, past, loneHigh, loneLow };

        Assert.Equal(new[] { false, true, false, false }, values.Select(v => CSharp.Value(v).StartsWith(CSharp.Utf8Call, StringComparison.Ordinal)));
        var source = "public static class Values { public static readonly string[] All = { " + string.Join(", ", values.Select(CSharp.Value)) + " }; }";
        var roslyn = Generator.Consumer.Compilation(source);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));
        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var all = (string[])Assembly.Load(stream.ToArray()).GetType("Values")!.GetField("All")!.GetValue(null)!;
        Assert.Equal(values, all);
    }
}
