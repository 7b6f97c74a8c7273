using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EvalDsl.Tests;

/// <summary>
/// Golden cases: <c>Cases/NNN-name.eval</c> (or a folder <c>Cases/NNN-name/</c> of specs, data files and
/// .editorconfig files) checked as the CLI would, compared whole with <c>Cases/NNN-name.diagnostics.txt</c>.
/// A folder's specs are all given together, unless the folder has a <c>given.txt</c>: then only the specs it lists
/// (one path a line, relative to the folder) are given, as a user checking some files alone would give them, and
/// the others are read only when a <c>use</c> names them.
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
        var files = FilesOf(name);
        Assert.NotEmpty(files);

        var actual = Checker.CheckFiles(CasesFolder, files);
        if (Repository.Accept) File.WriteAllText(expectedPath, actual);
        Assert.True(File.Exists(expectedPath), $"Cases/{name} has no {name}.diagnostics.txt (run with EVALDSL_ACCEPT=1 and review it)");
        Assert.Equal(File.ReadAllText(expectedPath).Replace("\r\n", "\n"), actual);
    }

    /// <summary>The specs a case gives the checker: its one file, its folder's <c>given.txt</c> list, or all its folder's specs.</summary>
    internal static string[] FilesOf(string name)
    {
        var single = Path.Combine(CasesFolder, name + ".eval");
        if (File.Exists(single)) return new[] { single };
        var folder = Path.Combine(CasesFolder, name);
        var given = Path.Combine(folder, "given.txt");
        var files = File.Exists(given)
            ? File.ReadAllLines(given).Where(l => l.Trim().Length > 0).Select(l => Path.Combine(folder, l.Trim()))
            : Directory.EnumerateFiles(folder, "*.eval", SearchOption.AllDirectories);
        return files.OrderBy(f => f, System.StringComparer.Ordinal).ToArray();
    }
}
