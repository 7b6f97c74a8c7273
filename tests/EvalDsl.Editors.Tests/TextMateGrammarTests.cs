using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EvalDsl.Editors.Tests;

/// <summary>
/// The TextMate grammar (grammar/evaldsl.tmLanguage.json), tokenized as VS Code tokenizes it — vscode-textmate with
/// vscode-oniguruma, by editors/vscode/scripts/tokenize.mjs — over every shipped example, compared with golden scope
/// snapshots in TextMate/ (each line, then each token's columns, text and scopes). EVALDSL_ACCEPT=1 rewrites them;
/// review the diff like code.
/// </summary>
public sealed class TextMateGrammarTests
{
    private static string Goldens => Repository.PathOf("tests", "EvalDsl.Editors.Tests", "TextMate");

    public static IEnumerable<object[]> Examples() =>
        Directory.EnumerateFiles(Repository.PathOf("examples"), "*.eval")
            .Concat(Directory.EnumerateFiles(Repository.PathOf("examples", "research"), "*.eval"))
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .OrderBy(f => f, System.StringComparer.Ordinal)
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Examples))]
    public void Scopes_match_the_golden_snapshot(string example)
    {
        Node.Package("vscode-textmate", "package.json");
        Node.Package("vscode-oniguruma", "package.json");
        var result = Node.Run("scripts/tokenize.mjs", Repository.PathOf("grammar", "evaldsl.tmLanguage.json"), Repository.PathOf(example));
        Assert.True(result.ExitCode == 0, $"tokenize.mjs exited {result.ExitCode}:\n{result.Error}");
        Assert.Equal("", result.Error);

        var golden = Path.Combine(Goldens, example.Replace('/', '.') + ".tokens.txt");
        if (Repository.Accept) File.WriteAllText(golden, result.Output);
        Assert.True(File.Exists(golden), $"{example} has no snapshot {Path.GetFileName(golden)} (run with EVALDSL_ACCEPT=1 and review it)");
        Assert.Equal(File.ReadAllText(golden).Replace("\r\n", "\n"), result.Output);
    }

    [Fact]
    public void Every_example_has_a_snapshot_and_every_snapshot_an_example()
    {
        var expected = Examples().Select(e => ((string)e[0]).Replace('/', '.') + ".tokens.txt").ToList();
        var actual = Directory.EnumerateFiles(Goldens, "*.tokens.txt").Select(f => Path.GetFileName(f)!).OrderBy(f => f, System.StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_keyword_a_string_a_regex_and_a_comment_get_their_scopes()
    {
        // One small spec, so a grammar change that loses a scope fails with a readable line, not a long snapshot.
        using var folder = new TempFolder();
        var spec = folder.Write("s.eval", "  must not match /a#b/i   # why\n");
        var result = Node.Run("scripts/tokenize.mjs", Repository.PathOf("grammar", "evaldsl.tmLanguage.json"), spec);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "1:   must not match /a#b/i   # why\n" +
            "  3-7 \"must\" meta.expectation.evaldsl keyword.control.evaldsl\n" +
            "  8-11 \"not\" meta.expectation.evaldsl keyword.control.not.evaldsl\n" +
            "  12-17 \"match\" meta.expectation.evaldsl keyword.other.check.match.evaldsl\n" +
            "  18-19 \"/\" meta.expectation.evaldsl string.regexp.evaldsl punctuation.definition.string.begin.evaldsl\n" +
            "  19-22 \"a#b\" meta.expectation.evaldsl string.regexp.evaldsl\n" +
            "  22-23 \"/\" meta.expectation.evaldsl string.regexp.evaldsl punctuation.definition.string.end.evaldsl\n" +
            "  23-24 \"i\" meta.expectation.evaldsl storage.modifier.regexp-flags.evaldsl\n" +
            "  27-28 \"#\" meta.expectation.evaldsl comment.line.number-sign.evaldsl punctuation.definition.comment.evaldsl\n" +
            "  28-32 \" why\" meta.expectation.evaldsl comment.line.number-sign.evaldsl\n",
            result.Output);
    }
}
