using System.IO;
using System.Linq;

namespace EvalDsl.Tests;

/// <summary>The shipped examples are the product's face: together they check with no error and no warning.</summary>
public sealed class ExamplesTests
{
    [Fact]
    public void Examples_check_clean()
    {
        var folder = Repository.PathOf("examples");
        var files = Directory.EnumerateFiles(folder, "*.eval", SearchOption.AllDirectories).OrderBy(f => f, System.StringComparer.Ordinal).ToList();
        Assert.True(files.Count >= 3, "examples/ should hold at least three suites");
        var diagnostics = Checker.CheckFiles(folder, files);
        Assert.Equal("", diagnostics);
    }
}

/// <summary>The README's tour is the first spec a reader copies: on its own, it checks with nothing to report.</summary>
public sealed class ReadmeTourTests
{
    [Fact]
    public void The_tour_snippet_checks_clean_on_its_own()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).Replace("\r\n", "\n");
        var match = System.Text.RegularExpressions.Regex.Match(readme, "## A short tour of the language\n\n```\n(.*?)\n```\n", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no code block under '## A short tour of the language'");
        Assert.Equal("", Checker.Check(match.Groups[1].Value + "\n", "README.eval"));
    }
}
