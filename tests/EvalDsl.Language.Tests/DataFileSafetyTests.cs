using System.IO;
using EvalDsl.Binding;
using EvalDsl.Cli.Workspace;

namespace EvalDsl.Tests;

/// <summary>What a message may quote of a data file, and which files the disk provider reads.</summary>
public sealed class DataFileSafetyTests
{
    [Fact]
    public void A_huge_header_is_quoted_as_forty_characters()
    {
        var header = new string('x', 1_000_000) + " y";
        var table = DataFiles.ReadCsv(header + "\n\"1\"\n");
        Assert.Equal("the column '" + new string('x', 40) + "…' is not a name (a letter, then letters, digits, - or _), so no placeholder can use it", table.Problem);
    }

    [Theory]
    [InlineData("PATH=/usr/bin\0OPENAI_API_KEY=sk-abc123def456ghi789", "PATH=***?OPENAI_API_KEY=***")]
    [InlineData("token sk-proj-abcdefghijkl", "token sk-***")]
    [InlineData("root:x:0:0:root:/root:/bin/bash", "root:***")]
    [InlineData("bearer abcdefghijklmnop0123456789", "bearer ***")]
    [InlineData("a plain header", "a plain header")]
    public void Excerpts_mask_what_looks_like_a_secret(string text, string expected)
    {
        Assert.Equal(expected, DataFiles.Excerpt(text));
    }

    [Fact]
    public void A_data_file_outside_the_spec_folder_is_refused_unless_a_root_allows_it()
    {
        using var temp = new TempFolder();
        var root = temp.Path;
        Directory.CreateDirectory(Path.Combine(root, "specs"));
        Directory.CreateDirectory(Path.Combine(root, "shared"));
        File.WriteAllText(Path.Combine(root, "shared", "rows.csv"), "h\nx\n");
        var refused = new DiskDataFiles(root).Read("specs/a.eval", "../shared/rows.csv", out var problem);
        Assert.Null(refused);
        Assert.Equal("it is outside the folder of the spec; allow it with --allow-data-outside or name its folder in \"dataRoots\" in evaldsl.json", problem);

        var policy = DataFilePolicy.Parse("{ \"dataRoots\": [\"shared\"] }", root, out var configProblem);
        Assert.Null(configProblem);
        Assert.Equal("h\nx\n", new DiskDataFiles(root, policy).Read("specs/a.eval", "../shared/rows.csv", out problem));
        Assert.Null(problem);
    }

    [Theory]
    [InlineData("{ \"dataRoots\": \"shared\" }", "\"dataRoots\" must be an array of folder paths")]
    [InlineData("{ \"maxDataFileBytes\": 0 }", "\"maxDataFileBytes\" must be a whole number of bytes above 0")]
    [InlineData("{ \"maxDataFileBytes\": 1.5 }", "\"maxDataFileBytes\" must be a whole number of bytes above 0")]
    public void A_wrong_policy_in_evaldsl_json_says_what_is_wrong(string json, string expected)
    {
        DataFilePolicy.Parse(json, Path.GetTempPath(), out var problem);
        Assert.Equal(expected, problem);
    }
}
