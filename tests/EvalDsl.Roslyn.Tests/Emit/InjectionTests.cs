using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
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
    // language's own escapes.
    private static readonly string Spec = string.Join("\n",
        "suite \"Injection \\\"corpus\\\" */ /* \\\\ {{ }}\" {",
        "  tags launch-gate, über_tag",
        "  case \"\\\"; } class Evil { void X() { /*\" {",
        "    system \"#line 1 \\\"evil.cs\\\"\\n#error injected\\n*/ \\\\\\\\server\\\\share\"",
        "    user \"NUL here:\0 RTL:\u202Eevil\u202C mark:\u200F emoji:😀 braces:\\{\\{x\\}\\} {{ y }} tab:\\t end\\\\\"",
        "    assistant \"\\\"\\\"\\\" three quotes \\\"\\\"\\\" and `backticks` and $\\{interpolation\\}\"",
        "    user \"\"\"",
        "      a text block with \"\"\" inside, # not a comment, } and {",
        "        indented \\\\ line \\\\u0041",
        "      \"\"\"",
        "    must contain \"\\\"); System.Environment.Exit(1); (\\\"\"",
        "    must match /[\"\\\\]+\\/\\*/i",
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

    [Fact]
    public void The_corpus_checks_without_errors()
    {
        var compilation = Compile();
        Assert.DoesNotContain(compilation.Diagnostics, d => d.Severity == EvalDsl.Diagnostics.DiagnosticSeverity.Error);
    }

    [Fact]
    public void Generated_code_compiles_warning_free_and_every_value_round_trips_exactly()
    {
        var compilation = Compile();
        var file = Assert.Single(compilation.GenerateTests());
        var roslyn = Generator.Consumer.Compilation(file.Text);
        Assert.Equal("", Generator.Consumer.Problems(roslyn));

        using var stream = new MemoryStream();
        var emitted = roslyn.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        var assembly = Assembly.Load(stream.ToArray());
        var type = Assert.Single(assembly.GetTypes(), t => t.Name.StartsWith("Injection", StringComparison.Ordinal));

        var expected = PlanBuilder.Build(compilation).Cases.ToList();
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
        Assert.Equal("NUL here:\0 RTL:\u202Eevil\u202C mark:\u200F emoji:😀 braces:{{x}} {{ y }} tab:\t end\\", first.Variants[0].Turns[0].Text);
        Assert.Equal("a text block with \"\"\" inside, # not a comment, } and {\n  indented \\ line \\u0041", first.Variants[0].Turns[2].Text);
        Assert.Equal("#line 1 \"evil.cs\"\n#error injected\n*/ \\\\server\\share", first.Variants[0].System);

        // One test per case, with valid distinct names and the exact titles as display names.
        var tests = type.GetMethods().Where(m => m.GetCustomAttributes().Any(a => a.GetType().Name == "FactAttribute")).ToList();
        Assert.Equal(expected.Count, tests.Count);
        Assert.Equal(tests.Count, tests.Select(t => t.Name).Distinct().Count());
        var displayNames = tests.Select(t => (string)t.GetCustomAttributes().Single(a => a.GetType().Name == "FactAttribute").GetType().GetProperty("DisplayName")!.GetValue(t.GetCustomAttributes().Single(a => a.GetType().Name == "FactAttribute"))!);
        Assert.Equal(expected.Select(c => c.Title).OrderBy(t => t, StringComparer.Ordinal), displayNames.OrderBy(t => t, StringComparer.Ordinal));
        Assert.Contains(tests, t => t.Name == "@class" || t.Name == "Class");
    }

    private static EvalCompilation Compile() =>
        EvalCompilation.Create(new[] { SpecDocument.FromText("specs/injection \"quoted\" path.eval", Spec) });
}
