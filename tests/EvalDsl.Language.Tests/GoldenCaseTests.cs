using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EvalDsl.Tests;

/// <summary>
/// Golden cases: <c>Cases/NNN-name.eval</c> (or a folder <c>Cases/NNN-name/</c> of specs, data files and
/// .editorconfig files) checked as the CLI would, compared whole with <c>Cases/NNN-name.diagnostics.txt</c>.
/// </summary>
public sealed class GoldenCaseTests
{
    private static string CasesFolder => Repository.PathOf("tests", "EvalDsl.Language.Tests", "Cases");

    public static IEnumerable<object[]> Cases() =>
        Directory.EnumerateFiles(CasesFolder, "*.eval").Select(f => Path.GetFileNameWithoutExtension(f))
            .Concat(Directory.EnumerateDirectories(CasesFolder).Select(d => Path.GetFileName(d)))
            .OrderBy(n => n, System.StringComparer.Ordinal)
            .Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Diagnostics_match_the_golden_file(string name)
    {
        var expectedPath = Path.Combine(CasesFolder, name + ".diagnostics.txt");
        var single = Path.Combine(CasesFolder, name + ".eval");
        var files = File.Exists(single)
            ? new[] { single }
            : Directory.EnumerateFiles(Path.Combine(CasesFolder, name), "*.eval", SearchOption.AllDirectories).OrderBy(f => f, System.StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);

        var actual = Checker.CheckFiles(CasesFolder, files);
        if (Repository.Accept) File.WriteAllText(expectedPath, actual);
        Assert.True(File.Exists(expectedPath), $"Cases/{name} has no {name}.diagnostics.txt (run with EVALDSL_ACCEPT=1 and review it)");
        Assert.Equal(File.ReadAllText(expectedPath).Replace("\r\n", "\n"), actual);
    }
}
