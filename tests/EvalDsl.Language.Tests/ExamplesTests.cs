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
