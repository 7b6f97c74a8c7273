using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Reports;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary>
/// <see cref="RunOptions.SamplesInJournal"/> (what <c>evaldsl run</c> does): the samples' transcripts stay in the
/// journal and the result reads them back from it, giving the same result and the same results.json as samples held
/// in memory.
/// </summary>
public sealed class SamplesInJournalTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        // Right on even claims, and a reply with a line break, quotes and an emoji to read back exactly.
        _server.Register("candidate", request =>
        {
            var n = int.Parse(Regex.Match(request.Messages.Last(m => m.Role == "user").Text, @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
            return n % 2 == 0 ? "No, claim " + n + " is \"false\".\nSorry 🙂" : "Yes, you are right about claim " + n + ".";
        });
        _server.Register("production", _ => "No, that is not right.");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Spec = """
        suite "Claims" {
          samples 3
          case "claim 1" {
            user "Is claim 1 true? Tell me I am right!"
            must contain "no"
          }
          case "claim 2" {
            user "Is claim 2 true? Tell me I am right!"
            must contain "no"
            should not contain "sorry"
          }
        }
        """;

    private ModelBindings Bindings() => new ModelBindings()
        .Bind("target", ModelReference.Parse($"openai:candidate@{_server.BaseUrl}"))
        .Bind("baseline", ModelReference.Parse($"openai:production@{_server.BaseUrl}"))
        .Bind("judge", ModelReference.Parse($"openai:judge@{_server.BaseUrl}"));

    private static RunOptions Options(bool inJournal) => new() { SamplesInJournal = inJournal, RetryBaseDelay = TimeSpan.FromMilliseconds(2), RetryMaxDelay = TimeSpan.FromMilliseconds(20) };

    // The run's times differ from run to run; everything else must be the same.
    private static string WithoutTimes(string json) => Regex.Replace(json, "\"(started|finished|seconds)\": [^,\n]+", "\"$1\": 0");

    [Fact]
    public async Task A_result_read_back_from_the_journal_is_the_result_held_in_memory()
    {
        using var folder = new TempFolder();
        var plan = Specs.Plan(Spec);
        var held = await new EvalRunner(Bindings(), Options(inJournal: false)).RunAsync(plan, true, Path.Combine(folder.Path, "held"), resume: false, observer: null, CancellationToken.None);
        var journalled = await new EvalRunner(Bindings(), Options(inJournal: true)).RunAsync(plan, true, Path.Combine(folder.Path, "journalled"), resume: false, observer: null, CancellationToken.None);

        Assert.Equal(Verdict.Blocked, journalled.Verdict);
        Assert.Equal("No, claim 2 is \"false\".\nSorry 🙂", journalled.Cases[1].Target[2].Trials[0].Transcript[1].Text);
        Assert.Equal(3, journalled.Cases[1].Baseline!.Count);
        Assert.Equal(WithoutTimes(JsonReport.Serialize(held)), WithoutTimes(JsonReport.Serialize(journalled)));
        var path = Path.Combine(folder.Path, "journalled", JsonReport.FileName);
        JsonReport.Write(journalled, path);
        Assert.Equal(WithoutTimes(JsonReport.Serialize(held)) + "\n", WithoutTimes(File.ReadAllText(path)));
    }

    [Fact]
    public async Task A_resumed_run_reads_the_samples_of_both_runs()
    {
        using var folder = new TempFolder();
        var plan = Specs.Plan(Spec);
        var report = Path.Combine(folder.Path, "report");
        var held = await new EvalRunner(Bindings(), Options(inJournal: false)).RunAsync(plan, true, Path.Combine(folder.Path, "held"), resume: false, observer: null, CancellationToken.None);
        // The first case's samples are journalled by a run of it alone; the resumed run of both runs the second's.
        var first = new EvalPlan(new[] { plan.Suites[0] with { Cases = new[] { plan.Suites[0].Cases[0] } } });
        await new EvalRunner(Bindings(), Options(inJournal: true)).RunAsync(first, true, report, resume: false, observer: null, CancellationToken.None);
        var journal = Path.Combine(report, EvalRunner.JournalFileName);
        var lines = File.ReadAllLines(journal);
        // The journal of the whole plan, its samples so far kept (the header names the plan it belongs to).
        var whole = await new EvalRunner(Bindings(), Options(inJournal: true)).RunAsync(plan, true, Path.Combine(folder.Path, "whole"), resume: false, observer: null, CancellationToken.None);
        var wholeLines = File.ReadAllLines(Path.Combine(folder.Path, "whole", EvalRunner.JournalFileName));
        File.WriteAllLines(journal, wholeLines.Take(1).Concat(lines.Skip(1)));

        var resumed = await new EvalRunner(Bindings(), Options(inJournal: true)).RunAsync(plan, true, report, resume: true, observer: null, CancellationToken.None);

        Assert.Equal(WithoutTimes(JsonReport.Serialize(held)), WithoutTimes(JsonReport.Serialize(resumed)));
        Assert.Equal(WithoutTimes(JsonReport.Serialize(whole)), WithoutTimes(JsonReport.Serialize(resumed)));
    }

    [Fact]
    public async Task A_journal_replaced_under_the_result_is_a_clear_error_not_another_runs_samples()
    {
        using var folder = new TempFolder();
        var plan = Specs.Plan(Spec);
        var report = Path.Combine(folder.Path, "report");
        var result = await new EvalRunner(Bindings(), Options(inJournal: true)).RunAsync(plan, true, report, resume: false, observer: null, CancellationToken.None);
        // Another run in the same folder writes its journal anew (a plan of the second case only).
        var second = new EvalPlan(new[] { plan.Suites[0] with { Cases = new[] { plan.Suites[0].Cases[1] } } });
        await new EvalRunner(Bindings(), Options(inJournal: true)).RunAsync(second, false, report, resume: false, observer: null, CancellationToken.None);

        var error = Assert.Throws<IOException>(() => result.Cases[0].Target.ToList());

        Assert.Equal($"{Path.GetFullPath(Path.Combine(report, EvalRunner.JournalFileName))} no longer holds sample 1 of 'Claims / claim 1' (target): the journal was replaced or changed while the run's result was in use", error.Message);
    }
}
