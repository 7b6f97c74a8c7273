using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EvalDsl.Diagnostics;
using EvalDsl.Parsing;
using EvalDsl.Syntax;

namespace EvalDsl.Tests;

/// <summary>
/// <see cref="SpecSyntax.Reparse"/> (the editor's parse after a change, which re-parses only the case the change
/// falls in) must give what a whole parse of the new text gives: the same tree printed by <see cref="SyntaxPrinter"/>
/// with every span, the same syntax diagnostics, the same flags, and the same diagnostics once bound and analysed.
/// Random chains of edits (characters, braces, quotes, text-block quotes, comments, new lines, deletions) over the
/// shipped examples, the golden cases and a generated spec, from a fixed seed.
/// </summary>
public sealed class IncrementalParseTests
{
    private static readonly string[] Insertions =
    {
        "x", "e", " ", "  ", "\n", "\n    ", "\r\n", "\r", "{", "}", "\"", "\"\"\"", "#", "# evaldsl-disable-next-line EVAL0106\n", "\\", "|", "%", "/", "{claim}",
        "\n    must not flatter the user", "\n    user \"more\"", "\n    vary tone {\n      a \"A\"\n    }", "\n  }\n  case \"new\" {", "\n    must ", "must", "not ",
        "\n    repeat 2 {\n      user \"again\"\n      reply\n    }", "\n    for each reply {\n      must not flatter the user\n    }", "samples 3\n", "😀",
    };

    public static IEnumerable<object[]> Specs()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("examples"), "*.eval", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return new object[] { Path.GetRelativePath(Repository.PathOf("examples"), file).Replace('\\', '/') };
        }
        yield return new object[] { "generated" };
        yield return new object[] { "generated, CRLF" };
        yield return new object[] { "golden cases" };
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Reparse_after_random_edits_equals_a_whole_parse(string spec)
    {
        var texts = spec switch
        {
            "generated" => new[] { Generated(60) },
            "generated, CRLF" => new[] { Generated(40).Replace("\n", "\r\n") },
            "golden cases" => Directory.EnumerateFiles(Repository.PathOf("tests", "EvalDsl.Language.Tests", "Cases"), "*.eval", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllText).ToArray(),
            _ => new[] { File.ReadAllText(Path.Combine(Repository.PathOf("examples"), spec)) },
        };
        var random = new Random(1729 + spec.Length);
        var edits = spec == "golden cases" ? 6 : 40;
        var reusedBefore = IncrementalParser.Reuses;
        var checkedEdits = 0;
        var hasCases = false;
        foreach (var original in texts)
        {
            var text = original;
            var syntax = SpecSyntax.Parse(SpecDocument.FromText("spec.eval", text));
            hasCases |= syntax.Tree.Suites.Any(s => s.Cases.Count > 0);
            for (var i = 0; i < edits; i++)
            {
                // Chains of a few edits from the original text, so that one stray brace does not decide the rest.
                if (i % 5 == 0 && !ReferenceEquals(text, original))
                {
                    text = original;
                    syntax = syntax.Reparse(text);
                }
                var whole = SpecSyntax.Parse(SpecDocument.FromText("spec.eval", text));
                text = Edit(text, whole.Tree, random);
                syntax = syntax.Reparse(text);
                AssertSame(SpecSyntax.Parse(SpecDocument.FromText("spec.eval", text)), syntax, text, analyse: i % 3 == 0);
                checkedEdits++;
            }
        }
        // Most random edits fall inside a case and must have taken the incremental path (else this tests nothing).
        if (hasCases) Assert.True(IncrementalParser.Reuses - reusedBefore >= checkedEdits / 8, $"only {IncrementalParser.Reuses - reusedBefore} of {checkedEdits} edits were parsed incrementally");
    }

    [Fact]
    public void A_change_inside_a_case_reuses_the_tree_and_moves_what_follows()
    {
        var text = Generated(3);
        var syntax = SpecSyntax.Parse(SpecDocument.FromText("spec.eval", text));
        var reused = IncrementalParser.Reuses;
        var changed = text.Replace("claim 2 is true", "claim 2 is not true");
        var after = syntax.Reparse(changed);
        Assert.Equal(reused + 1, IncrementalParser.Reuses);
        var third = after.Tree.Suites[0].Cases[2];
        Assert.Equal(changed.IndexOf("case \"case 3", StringComparison.Ordinal), third.Keyword.Start);
        Assert.Equal("I am sure that claim 2 is not true. Tell me I am right!", after.Tree.Suites[0].Cases[1].Turns[0].Text!.Template);
        Assert.Equal(SyntaxPrinter.Print(SpecSyntax.Parse(SpecDocument.FromText("spec.eval", changed)).Tree), SyntaxPrinter.Print(after.Tree));
    }

    private static void AssertSame(SpecSyntax whole, SpecSyntax incremental, string text, bool analyse = true)
    {
        var expected = SyntaxPrinter.Print(whole.Tree);
        var actual = SyntaxPrinter.Print(incremental.Tree);
        if (expected != actual) Assert.Fail($"trees differ after an edit; text:\n{text}\n--- whole ---\n{expected}\n--- incremental ---\n{actual}");
        var (a, b) = (Describe(whole.Tree.Diagnostics), Describe(incremental.Tree.Diagnostics));
        if (!a.SequenceEqual(b)) Assert.Fail($"syntax diagnostics differ; text:\n{text}\n--- whole ---\n{string.Join("\n", a)}\n--- incremental ---\n{string.Join("\n", b)}");
        Assert.Equal(
            (whole.Tree.HasUnknownStatements, whole.Tree.UnknownStatements, whole.Tree.IsTruncated, whole.Tree.BracesUnbalanced),
            (incremental.Tree.HasUnknownStatements, incremental.Tree.UnknownStatements, incremental.Tree.IsTruncated, incremental.Tree.BracesUnbalanced));
        if (!analyse) return;
        (a, b) = (Describe(EvalCompilation.Create(new[] { whole }).Diagnostics), Describe(EvalCompilation.Create(new[] { incremental }).Diagnostics));
        if (!a.SequenceEqual(b)) Assert.Fail($"diagnostics differ; text:\n{text}\n--- whole ---\n{string.Join("\n", a)}\n--- incremental ---\n{string.Join("\n", b)}");
    }

    private static List<string> Describe(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Select(d => $"{d} [{d.Location.Offset}+{d.Location.Length}..{d.Location.EndLine},{d.Location.EndColumn}]" +
                string.Concat(d.RelatedLocations.Select(r => $" related {r.Location}-({r.Location.EndLine},{r.Location.EndColumn}) [{r.Location.Offset}+{r.Location.Length}]: {r.Message}")))
            .OrderBy(s => s, StringComparer.Ordinal).ToList();

    private static string Edit(string text, SyntaxTree tree, Random random)
    {
        var at = text.Length == 0 ? 0 : random.Next(text.Length + 1);
        var cases = tree.Suites.SelectMany(s => s.Cases).Where(c => c.Status.End is not null).ToList();
        if (cases.Count > 0 && random.Next(3) > 0)
        {
            // Mostly where editing happens: inside a case.
            var @case = cases[random.Next(cases.Count)];
            at = @case.Keyword.Start + random.Next(@case.Status.End!.Value - @case.Keyword.Start + 1);
        }
        switch (random.Next(4))
        {
            case 0:
            {
                var length = Math.Min(text.Length - at, random.Next(1, 6));
                return text.Remove(at, length);
            }
            case 1:
            {
                // Replace a run with something else: a typo fixed, a word retyped.
                var length = Math.Min(text.Length - at, random.Next(1, 4));
                return text.Remove(at, length).Insert(at, Insertions[random.Next(Insertions.Length)]);
            }
            default:
                return text.Insert(at, random.Next(3) == 0 ? Insertions[random.Next(Insertions.Length)] : ((char)('a' + random.Next(26))).ToString());
        }
    }

    /// <summary>The shape of spec the language server's benchmark edits (bench/LspLatency).</summary>
    internal static string Generated(int cases)
    {
        var text = new StringBuilder();
        text.Append("suite \"Generated\" {\n  samples 5\n  pass 80%\n");
        for (var i = 1; i <= cases; i++)
        {
            text.Append($"  case \"case {i}: pushback on claim {i}\" {{\n");
            text.Append($"    user \"I am sure that claim {i} is true. Tell me I am right!\"\n");
            text.Append("    must disagree when user is wrong\n    should not flatter the user\n  }\n");
        }
        text.Append("}\n");
        return text.ToString();
    }
}
