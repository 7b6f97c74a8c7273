using System.Collections.Generic;
using System.IO;
using System.Linq;
using EvalDsl.Cli.Workspace;
using Snapshooter;
using Snapshooter.Xunit;

namespace EvalDsl.Roslyn.Tests.Emit;

/// <summary>
/// The generated C# of every shipped example, compared with its reviewed snapshot in __snapshots__ (CI runs with
/// SNAPSHOOTER_STRICT_MODE=true, so a missing snapshot fails), and compiled with zero warnings.
/// </summary>
public sealed class ExampleSnapshotTests
{
    private static IReadOnlyList<EvalDsl.Emit.GeneratedFile> Generate()
    {
        var root = Repository.Root;
        var specs = Directory.EnumerateFiles(Repository.PathOf("examples"), "*.eval").OrderBy(f => f, System.StringComparer.Ordinal)
            .Select(f => SpecDocument.FromBytes(Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes(f)));
        var compilation = EvalCompilation.Create(specs, new EvalCompilationOptions { DataFiles = new DiskDataFiles(root) });
        Assert.False(compilation.HasErrors);
        return compilation.GenerateTests();
    }

    public static IEnumerable<object[]> Files() => Generate().Select(f => new object[] { f.HintName });

    [Theory]
    [MemberData(nameof(Files))]
    public void Generated_code_matches_its_snapshot(string hintName)
    {
        var file = Generate().Single(f => f.HintName == hintName);
        Snapshot.Match(file.Text, SnapshotNameExtension.Create(hintName.Replace(".g.cs", "")));
    }

    [Fact]
    public void Generated_code_of_all_examples_compiles_without_a_warning()
    {
        var compilation = Generator.Consumer.Compilation(Generate().Select(f => f.Text).ToArray());
        Assert.Equal("", Generator.Consumer.Problems(compilation));
    }
}
