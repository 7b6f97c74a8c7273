using System.Collections.Generic;
using System.IO;
using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Cli.Workspace;
using EvalDsl.Syntax;

namespace EvalDsl.Tests;

/// <summary>
/// Parser goldens: the syntax tree of a golden case, printed by <see cref="SyntaxPrinter"/> with every node's span,
/// compared whole with <c>Cases/NNN-name.tree.txt</c> (as serilog-expressions compares its trees). Every syntax case
/// (<c>0NN-*</c>: recovery, text blocks, regular expressions, unterminated and unreadable files) has one, and so
/// does each case listed in <see cref="AlsoPrinted"/> (data tables, placeholders, the whole language).
/// </summary>
public sealed class TreeCaseTests
{
    private static readonly string[] AlsoPrinted =
    {
        "105-placeholders", "108-comparisons", "109-data-problems", "110-behavior-without-means", "121-misplaced-behavior", "501-data-files", "502-row-filters", "503-row-filter-syntax", "505-nested-placeholders", "506-regex-placeholders", "507-use", "508-choose", "509-reference", "510-alternatives", "511-rows-pass", "512-reply-names", "513-every-reply", "514-guards", "515-reply-suffix-phrases", "516-reply-names-in-repeat", "520-answer", "521-answer-correctly-without-answer", "522-answer-misuse", "523-unread-answer", "525-repeat", "526-repeat-misuse", "527-simulated-user", "528-prefill", "529-repeat-recovery", "535-more-under", "536-more-under-misuse", "537-for", "538-for-misuse", "539-for-unclosed", "540-jury", "541-jury-misuse",
    };

    private static string CasesFolder => Repository.PathOf("tests", "EvalDsl.Language.Tests", "Cases");

    public static IEnumerable<object[]> Cases() =>
        GoldenCaseTests.Cases().Select(c => (string)c[0]).Where(n => n.StartsWith("0", System.StringComparison.Ordinal) || AlsoPrinted.Contains(n))
            .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Syntax_tree_matches_the_golden_file(string name)
    {
        var expectedPath = Path.Combine(CasesFolder, name + ".tree.txt");
        var files = GoldenCaseTests.FilesOf(name);
        Assert.NotEmpty(files);

        var documents = files.Select(f => SpecDocument.FromBytes(Path.GetRelativePath(CasesFolder, f).Replace('\\', '/'), File.ReadAllBytes(f)));
        var disk = new DiskDataFiles(CasesFolder);
        var compilation = EvalCompilation.Create(documents, new EvalCompilationOptions { DataFiles = disk, UsedFiles = disk });
        var actual = string.Concat(compilation.Trees.Select(SyntaxPrinter.Print));
        if (Repository.Accept) File.WriteAllText(expectedPath, actual);
        Assert.True(File.Exists(expectedPath), $"Cases/{name} has no {name}.tree.txt (run with EVALDSL_ACCEPT=1 and review it)");
        Assert.Equal(File.ReadAllText(expectedPath).Replace("\r\n", "\n"), actual);
    }

    [Fact]
    public void Every_tree_golden_belongs_to_a_printed_case()
    {
        var printed = Cases().Select(c => (string)c[0] + ".tree.txt").ToHashSet();
        var orphans = Directory.EnumerateFiles(CasesFolder, "*.tree.txt").Select(Path.GetFileName).Where(f => !printed.Contains(f!));
        Assert.Empty(orphans);
    }
}
