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
}
