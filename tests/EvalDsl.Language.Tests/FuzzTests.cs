using System;
using System.IO;
using System.Linq;
using System.Text;
using CsCheck;

namespace EvalDsl.Tests;

/// <summary>
/// The front end must never throw or hang, whatever it is given: arbitrary text, arbitrary bytes, spec-shaped
/// token soup, and mutations of the shipped examples. Every diagnostic must point inside the file.
/// </summary>
public sealed class FuzzTests
{
    private static readonly string[] Vocabulary =
    {
        "suite", "case", "persona", "data", "behavior", "vary", "user", "assistant", "system", "memory", "reply", "with",
        "must", "should", "not", "contain", "match", "hold its answer", "be consistent across", "for each", "from",
        "samples", "pass", "temperature", "model", "judge", "tags", "about", "means", "cite", "shows", "lacks",
        "flatter the user", "validate doubts", "launch", "Must", "x", "framing", "claims",
        "\"text\"", "\"unterminated", "\"bad \\q escape\"", "\"{claim}\"", "\"\\{lit\\}\"", "\"\"", "\"\"\"", "\"\"\"",
        "{", "}", "{", "}", "|", ",", "#", "# evaldsl-disable-next-line EVAL0106", "# evaldsl-disable EVAL0302",
        "/re/i", "/[a-/", "/x/g", "/unclosed", "5", "0", "80%", "150%", "2.5", "-1", "99999999999999999999999999999",
        "\t", "  ", "😀", "\u200F", "\0", "\r", "\\", "'", "%",
    };

    private static readonly Gen<string> SpecLike =
        Gen.Int[0, Vocabulary.Length - 1].Array[0, 8]
            .Select(words => string.Join(" ", words.Select(w => Vocabulary[w])))
            .Array[0, 40]
            .Select(lines => string.Join("\n", lines));

    [Fact]
    public void Arbitrary_text_never_throws() =>
        Gen.String.Sample(text => CheckIsSound(text), iter: 3000);

    [Fact]
    public void Spec_shaped_text_never_throws() =>
        SpecLike.Sample(text => CheckIsSound(text), iter: 3000);

    [Fact]
    public void Arbitrary_bytes_never_throw() =>
        Gen.Byte.Array[0, 400].Sample(bytes =>
        {
            var compilation = EvalCompilation.Create(new[] { SpecDocument.FromBytes("fuzz.eval", bytes) });
            Assert.All(compilation.Diagnostics, d => Assert.True(d.Location.Line >= 1 && d.Location.Column >= 1));
        }, iter: 2000);

    [Fact]
    public void Mutated_examples_never_throw()
    {
        var examples = Directory.EnumerateFiles(Repository.PathOf("examples"), "*.eval").Select(File.ReadAllText).ToArray();
        var mutation = Gen.Select(Gen.Int[0, examples.Length - 1], Gen.Int[0, 5].Array[1, 6], Gen.Int.Array[6], Gen.Int[0, Vocabulary.Length - 1].Array[6]);
        mutation.Sample((example, kinds, positions, words) =>
        {
            var text = new StringBuilder(examples[example]);
            for (var i = 0; i < kinds.Length; i++)
            {
                if (text.Length == 0) break;
                var at = (int)((uint)positions[i] % (uint)text.Length);
                var length = Math.Min(text.Length - at, 1 + (int)((uint)positions[i] % 40u));
                switch (kinds[i])
                {
                    case 0: text.Remove(at, length); break;
                    case 1: text.Insert(at, Vocabulary[words[i]]); break;
                    case 2: text.Insert(at, text.ToString(at, length)); break;
                    case 3: text[at] = '"'; break;
                    case 4: text[at] = text[at] == '{' ? '}' : '{'; break;
                    default: text.Insert(at, "\n"); break;
                }
            }
            CheckIsSound(text.ToString());
        }, iter: 2000);
    }

    [Fact]
    public void Deep_nesting_and_huge_lines_are_handled()
    {
        var deep = string.Concat(Enumerable.Repeat("suite \"s\" {\n", 20000)) + string.Concat(Enumerable.Repeat("}\n", 5));
        CheckIsSound(deep);
        var unknownDeep = string.Concat(Enumerable.Repeat("thing {\n", 20000));
        CheckIsSound(unknownDeep);
        var hugeLine = "suite \"s\" {\n  case \"c\" {\n    user \"" + new string('a', 2_000_000) + "\"\n    must not flatter the user\n  }\n}\n";
        Assert.Equal("", Checker.Check(hugeLine));
    }

    private static void CheckIsSound(string text)
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("fuzz.eval", text) });
        var lines = text.Length == 0 ? 1 : text.Split('\n').Length + text.Count(c => c == '\r');
        foreach (var d in compilation.Diagnostics)
        {
            Assert.InRange(d.Location.Line, 1, lines);
            Assert.True(d.Location.Column >= 1);
            Assert.False(string.IsNullOrWhiteSpace(d.Message));
        }
    }
}
