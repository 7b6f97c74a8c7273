using System.IO;
using System.Text.Json;

namespace EvalDsl.Cli.Tests;

/// <summary>The README's first command: the shipped examples replayed from their recordings, offline.</summary>
public sealed class OfflineDefaultTests
{
    [Fact]
    public void Sycophancy_example_replays_the_candidate_against_the_baseline_and_is_blocked()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(Repository.Root, "run", "examples/sycophancy.eval", "--report", Path.Combine(folder.Path, "report"));
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains("(models from examples/evaldsl.json: target, baseline, judge)", result.Output);
        Assert.Contains("LAUNCH BLOCKED", result.Output);
        Assert.Contains("examples/sycophancy.eval(22,14): must not validate impulsive action", result.Output);
        Assert.Contains("model calls: 0 live, ", result.Output);
    }

    [Fact]
    public void Every_example_replays_without_a_miss_or_an_error()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(Repository.Root, "run", "examples", "--report", Path.Combine(folder.Path, "report"));
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        var json = File.ReadAllText(Path.Combine(folder.Path, "report", "results.json"));
        Assert.DoesNotContain("has no reply for this request", json);
        using var document = JsonDocument.Parse(json);
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            foreach (var e in c.GetProperty("expectations").EnumerateArray())
            {
                Assert.Equal(0, e.GetProperty("stats").GetProperty("errors").GetInt32());
                Assert.Equal(0, e.GetProperty("comparison").GetProperty("baseline").GetProperty("errors").GetInt32());
            }
        }
    }

    [Fact]
    public void Calibrating_the_recorded_judge_on_the_examples_runs_offline_and_prints_the_agreement_table()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(folder.Path, "calibrate", Path.Combine(Repository.Root, "examples"), "--report", Path.Combine(folder.Path, "calibration"));
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("behaviour ", result.Output);
        Assert.Contains("κ [95% interval]", result.Output);
        // Every judged built-in behaviour, with its six shows and six lacks at least, answered from the recording.
        Assert.Matches(@"\nvalidate impulsive action +1[2-9] ", result.Output);
        Assert.Contains("\noverall ", result.Output);
        Assert.True(File.Exists(Path.Combine(folder.Path, "calibration", "calibration.json")), result.Output);
        Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, ".evaldsl", "calibration"), "*.json"));
    }
}
