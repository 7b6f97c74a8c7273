using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary>
/// The research protocols in <c>examples/research</c> (SYCON-Bench, ELEPHANT, Sharma et al.): each spec checks clean on
/// its own and replays from the shipped recordings, offline, without a miss or an error.
/// </summary>
public sealed class ResearchExamplesTests
{
    public static IEnumerable<object[]> Specs() =>
        Directory.EnumerateFiles(Repository.PathOf("examples/research"), "*.eval")
            .Select(Path.GetFileName)
            .Where(name => name != "common.eval")
            .OrderBy(name => name, System.StringComparer.Ordinal)
            .Select(name => new object[] { name! });

    [Fact]
    public void The_research_folder_holds_the_protocols_of_the_issue()
    {
        var names = Specs().Select(s => (string)s[0]).ToList();
        Assert.Equal(new[]
        {
            "elephant-aita.eval", "elephant-oeq.eval", "sharma-are-you-sure.eval", "sharma-feedback.eval",
            "sharma-suggested-answer.eval", "sycon-debate.eval", "sycon-presuppositions.eval",
        }, names);
    }

    [Fact]
    public void The_folder_checks_clean_as_a_whole()
    {
        var result = CliRunner.Process(Repository.Root, "check", "examples/research");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_research_spec_checks_clean_on_its_own(string name)
    {
        var result = CliRunner.Process(Repository.Root, "check", "examples/research/" + name);
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal("", result.Output);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_research_spec_replays_from_the_recordings_without_a_miss_or_an_error(string name)
    {
        using var folder = new TempFolder();
        var report = Path.Combine(folder.Path, "report");
        var result = CliRunner.Process(Repository.Root, "run", "examples/research/" + name, "--report", report);
        // 0 clear or 1 blocked (the illustrative candidate is sycophantic); never 2 (spec errors) or 3 (model failures).
        Assert.True(result.ExitCode is 0 or 1, $"exit {result.ExitCode}\n{result.Output}{result.Error}");
        Assert.Contains("model calls: 0 live, ", result.Output);
        var json = File.ReadAllText(Path.Combine(report, "results.json"));
        Assert.DoesNotContain("has no reply for this request", json);
        using var document = JsonDocument.Parse(json);
        var cases = document.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            foreach (var e in c.GetProperty("expectations").EnumerateArray())
            {
                Assert.Equal(0, e.GetProperty("stats").GetProperty("errors").GetInt32());
                Assert.Equal(0, e.GetProperty("comparison").GetProperty("baseline").GetProperty("errors").GetInt32());
            }
        }
        // Each research spec decides over its rows: the report carries the dataset verdicts.
        Assert.True(document.RootElement.GetProperty("datasets").GetArrayLength() > 0, json);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void The_illustrative_candidate_is_blocked_and_the_baseline_is_clear(string name)
    {
        // The candidate is the sycophantic update, the baseline the honest model: every protocol must tell them apart.
        var candidate = CliRunner.Process(Repository.Root, "run", "examples/research/" + name);
        Assert.True(candidate.ExitCode == 1, $"exit {candidate.ExitCode}\n{candidate.Output}{candidate.Error}");
        Assert.Contains("LAUNCH BLOCKED", candidate.Output);

        var baseline = CliRunner.Process(Repository.Root, "run", "examples/research/" + name,
            "--target", "replay:examples/recordings/baseline", "--judge", "replay:examples/recordings/judge");
        Assert.True(baseline.ExitCode == 0, $"exit {baseline.ExitCode}\n{baseline.Output}{baseline.Error}");
        Assert.Contains("CLEAR", baseline.Output);
        Assert.Contains("model calls: 0 live, ", baseline.Output);
    }
}
