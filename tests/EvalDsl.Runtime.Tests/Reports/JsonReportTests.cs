using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Runtime.Reports;
using EvalDsl.Runtime.Tests.Support;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Reports;

public sealed class JsonReportTests
{
    [Fact]
    public void Read_of_Write_round_trips_the_whole_result()
    {
        using var folder = new ReportFolder();
        var written = File.ReadAllText(folder.Json);

        var read = JsonReport.Read(folder.Json);

        // Records holding lists compare by reference, so compare their serialized forms.
        Assert.Equal(JsonReport.Serialize(folder.Result), JsonReport.Serialize(read));
        Assert.Equal(written.TrimEnd('\n'), JsonReport.Serialize(read));
    }

    [Fact]
    public void Round_trip_keeps_nasty_text_exactly()
    {
        using var folder = new ReportFolder();

        var read = JsonReport.Read(folder.Json);

        var reply = read.Cases[0].Target[0].Trials[0].Transcript.Last().Text;
        Assert.Equal(SampleRunResult.NastyReply, reply);
        Assert.Equal(SampleRunResult.NastyReason, read.Cases[0].Target[0].Grades[0].Reason);
        Assert.Equal(SampleRunResult.PushbackSuite, read.Cases[4].Suite);
        Assert.True(read.Cases[5].Target[0].Trials[0].Transcript[2].Scripted);
        Assert.Equal(folder.Result.Started, read.Started);
        Assert.Equal(folder.Result.Finished, read.Finished);
        Assert.Equal("openai:gpt-4o-mini", read.Models["target"]);
        Assert.Equal(1.0, read.Cases[0].Expectations[0].Comparison!.Baseline.Rate);
        Assert.Equal(-0.6, read.Cases[0].Expectations[0].Comparison!.Delta);
        Assert.Null(read.Cases[3].Target[1].Trials[0].Error);
        Assert.Equal("target model: HTTP 500 Internal Server Error after 3 attempts", read.Cases[3].Target[1].Trials[1].Error);
    }

    [Fact]
    public void Uses_camelCase_names_and_enum_strings_and_indents()
    {
        using var folder = new ReportFolder();
        using var document = JsonDocument.Parse(File.ReadAllText(folder.Json));
        var root = document.RootElement;

        Assert.Equal("blocked", root.GetProperty("verdict").GetString());
        var expectation = root.GetProperty("cases")[0].GetProperty("expectations")[0];
        Assert.Equal("fails", expectation.GetProperty("stats").GetProperty("status").GetString());
        Assert.Equal("must not validate impulsive action", expectation.GetProperty("display").GetString());
        Assert.Equal(16, expectation.GetProperty("location").GetProperty("line").GetInt32());
        Assert.True(expectation.GetProperty("comparison").GetProperty("regression").GetBoolean());
        Assert.Equal("fail", root.GetProperty("cases")[0].GetProperty("target")[0].GetProperty("grades")[0].GetProperty("outcome").GetString());
        // Binding names are data, not members: kept as written.
        Assert.Equal("openai:gpt-4o-mini", root.GetProperty("models").GetProperty("target").GetString());
        Assert.Contains("\n  \"verdict\": \"blocked\",\n", File.ReadAllText(folder.Json), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_utf8_without_bom_and_escapes_nul()
    {
        using var folder = new ReportFolder();
        var bytes = File.ReadAllBytes(folder.Json);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.DoesNotContain((byte)0, bytes);
        Assert.Contains("\\u0000", File.ReadAllText(folder.Json), System.StringComparison.Ordinal);
    }

    [Fact]
    public void Lone_surrogates_which_utf8_cannot_hold_become_replacement_characters()
    {
        var result = SampleRunResult.Create();
        var broken = result with { Models = new System.Collections.Generic.Dictionary<string, string> { ["target"] = "a\uD800b\uDC00c" } };
        using var folder = new ReportFolder(broken);

        Assert.Equal("a\uFFFDb\uFFFDc", JsonReport.Read(folder.Json).Models["target"]);
    }

    [Fact]
    public void Read_rejects_what_is_not_a_run_result()
    {
        using var temp = new TempFolder();
        var path = temp.Write("results.json", "{\"verdict\": \"maybe\"}");
        Assert.Throws<InvalidDataException>(() => JsonReport.Read(path));
        File.WriteAllText(path, "null");
        Assert.Throws<InvalidDataException>(() => JsonReport.Read(path));
        File.WriteAllText(path, "{ not json");
        Assert.Throws<InvalidDataException>(() => JsonReport.Read(path));
    }

    [Fact]
    public void Write_creates_the_folder_and_replaces_an_older_report()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "nested");
        var path = Path.Combine(folder, JsonReport.FileName);
        var result = SampleRunResult.Create();
        JsonReport.Write(result, path);
        JsonReport.Write(result with { Verdict = Verdict.Clear }, path);

        Assert.Equal(Verdict.Clear, JsonReport.Read(path).Verdict);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void The_streaming_writer_gives_the_bytes_of_the_whole_result_serialized_as_one_document()
    {
        var sample = SampleRunResult.Create();
        var first = sample.Cases[0];
        // Every member the run can have: a dataset (its pass and rowsPass scaled too), a judge seed, a shard.
        var result = sample with
        {
            Datasets = [new DatasetResult("Suite / rows {n} (numbers)", first.Suite, "rows {n}", "numbers", first.Location, 3, 80, 90,
                [first.Id, sample.Cases[1].Id], first.Expectations, [[0.5, null]])],
            JudgeSeed = 42,
            JudgeTemperature = 0.25,
            Shard = "2/3",
        };
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, JsonReport.FileName);

        JsonReport.Write(result, path);

        Assert.Equal(WholeDocumentJson.Serialize(result) + "\n", File.ReadAllText(path));
        Assert.Equal(WholeDocumentJson.Serialize(sample) + "\n", Written(sample));
        // An empty run too (no case, no expectation, no dataset).
        var empty = sample with { Cases = [] };
        Assert.Equal(WholeDocumentJson.Serialize(empty) + "\n", Written(empty));
    }

    private static string Written(RunResult result)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, JsonReport.FileName);
        JsonReport.Write(result, path);
        return File.ReadAllText(path);
    }
}
