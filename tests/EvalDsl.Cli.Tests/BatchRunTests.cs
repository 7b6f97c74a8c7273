using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary>
/// <c>evaldsl run --batch</c>: calls through the OpenAI Batch API of the loopback server (<c>/v1/files</c>,
/// <c>/v1/batches</c>). Real processes; the server counts batch creations, polls and lines.
/// </summary>
public sealed class BatchRunTests : IAsyncLifetime
{
    private const string Key = RunCommandTests.Key;

    private LoopbackModelServer _server = null!;
    private TempFolder _folder = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        _server.RequiredApiKey = Key;
        _folder = new TempFolder();
        _folder.Write("gate.eval", RunCommandTests.Spec);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    private string Ref(string model) => $"openai:{model}@{_server.BaseUrl}";

    private CliResult Run(params string[] args) => CliRunner.Process(_folder.Path, RunCommandTests.Keys(Key), args);

    private string[] Live(string report, params string[] extra) =>
        new[] { "run", "gate.eval", "--target", Ref("honest"), "--judge", Ref("judge"), "--report", report }.Concat(extra).ToArray();

    private static readonly string[] Batch = { "--batch", "--batch-poll", "0.05" };

    // results.json without what differs from run to run however the calls are made: timings, and the models' references.
    private string Results(string report, bool withModels = true)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder.Path, report, "results.json")))!;
        void Strip(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (name is "started" or "finished" or "seconds" || (!withModels && name == "models")) o.Remove(name);
                    else Strip(o[name]);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var item in a) Strip(item);
            }
        }
        Strip(json);
        return json.ToJsonString();
    }

    [Fact]
    public void A_batch_run_gives_the_verdict_and_results_of_a_direct_run_and_caches_and_records_as_one()
    {
        var direct = Run(Live("direct", "--no-cache"));
        Assert.True(direct.ExitCode is 0 or 1, direct.Output + direct.Error);
        _server.ResetCounts();

        // A batch answers at the third poll: the progress line (every 20 ms here) shows it in progress.
        _server.BatchPollsToComplete = 3;
        var environment = RunCommandTests.Keys(Key);
        environment["EVALDSL_PROGRESS_SECONDS"] = "0.02";
        var batched = CliRunner.Process(_folder.Path, environment, Live("batched", Batch.Concat(new[] { "--no-cache", "--record", "rec" }).ToArray()));
        Assert.Equal(direct.ExitCode, batched.ExitCode);
        Assert.Equal(Results("direct"), Results("batched"));
        // Every call went through a batch: each chat request the server saw was a batch line it ran.
        Assert.True(_server.BatchCreations >= 2, $"{_server.BatchCreations} batches: the target's turn and the judge's questions are rounds of their own");
        Assert.Equal(_server.BatchLines.Count, _server.CallCount);
        Assert.Equal(_server.BatchLines.Count, _server.BatchLines.Distinct().Count());
        Assert.All(_server.BatchStatuses.Values, s => Assert.Equal("completed", s));
        Assert.Contains($"{_server.BatchLines.Count} live", batched.Output);
        Assert.Matches(@"progress: 0 of \d+ samples finished \(0%\), \d+ s, batch 1/1 in_progress 0/\d+ target\n", batched.Output);

        // The cache: a batch run after a run that filled it sends no batch at all.
        var filled = Run(Live("filled"));
        Assert.Equal(direct.ExitCode, filled.ExitCode);
        var creations = _server.BatchCreations;
        var cached = Run(Live("cached", Batch));
        Assert.Equal(direct.ExitCode, cached.ExitCode);
        Assert.Equal(creations, _server.BatchCreations);
        Assert.Equal(Results("direct"), Results("cached"));

        // The recording the batch run made replays (a recording is read directly, never batched).
        var replayed = Run("run", "gate.eval", "--target", "replay:rec/target", "--judge", "replay:rec/judge", "--report", "replayed", "--no-cache", "--batch");
        Assert.Equal(direct.ExitCode, replayed.ExitCode);
        Assert.Equal(creations, _server.BatchCreations);
        Assert.Equal(Results("direct", withModels: false), Results("replayed", withModels: false));
    }

    [Fact]
    public async Task A_killed_batch_run_resumed_polls_its_batch_and_sends_no_call_twice()
    {
        _server.HoldBatches = true;
        var environment = RunCommandTests.Keys(Key);
        using (var process = CliRunner.Start(_folder.Path, environment, Live("out", Batch.Concat(new[] { "--no-cache" }).ToArray())))
        {
            await Deadline.UntilAsync(() => File.Exists(Path.Combine(_folder.Path, "out", "journal.jsonl")) &&
                File.ReadAllText(Path.Combine(_folder.Path, "out", "journal.jsonl")).Contains("\"kind\":\"batch\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "a batch id in the journal");
            await process.KillAsync();
        }
        Assert.Equal(1, _server.BatchCreations);
        var first = _server.BatchLines.ToList();
        var polls = _server.BatchPolls;
        _server.HoldBatches = false;

        var resumed = CliRunner.Process(_folder.Path, environment, Live("out", Batch.Concat(new[] { "--no-cache", "--resume" }).ToArray()));
        Assert.True(resumed.ExitCode is 0 or 1, resumed.Output + resumed.Error);
        Assert.True(_server.BatchPolls > polls, "the resumed run polled the journalled batch");
        Assert.Equal("completed", _server.BatchStatuses["batch_000001"]);
        // No call of the first batch was sent again: every line of every batch is a call asked once.
        var all = _server.BatchLines;
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(first, all.Take(first.Count));

        var direct = Run(Live("direct", "--no-cache"));
        Assert.Equal(direct.ExitCode, resumed.ExitCode);
        Assert.Equal(Results("direct"), Results("out"));
    }

    [Fact]
    public void Batch_lines_that_fail_are_asked_again_and_lines_that_keep_failing_are_errors_never_passes()
    {
        // The first two lines the server runs fail with 500: they are asked again in a later round.
        _server.FailNext(2, 500);
        var retried = Run(Live("retried", Batch.Concat(new[] { "--no-cache" }).ToArray()));
        var direct = Run(Live("direct", "--no-cache"));
        Assert.Equal(direct.ExitCode, retried.ExitCode);
        Assert.Equal(Results("direct"), Results("retried"));

        // Every line fails: with no retries each call is an error, and the run is incomplete, never clear.
        _server.SetFaultRate(1, 1, 503);
        var failed = Run(Live("failed", Batch.Concat(new[] { "--no-cache", "--retries", "0" }).ToArray()));
        Assert.Equal(3, failed.ExitCode);
        var results = File.ReadAllText(Path.Combine(_folder.Path, "failed", "results.json"));
        Assert.Contains("the server answered HTTP 503: The server is overloaded (injected by the loopback server). (after 1 batch round)", results);
        Assert.Matches("\"outcome\":\\s*\"error\"", results);
        Assert.DoesNotMatch("\"outcome\":\\s*\"pass\"", results);
    }

    [Fact]
    public void A_server_without_the_Batch_API_stops_the_run_with_one_clear_line()
    {
        _server.BatchApi = false;
        var result = Run(Live("out", Batch.Concat(new[] { "--no-cache" }).ToArray()));
        Assert.Equal(3, result.ExitCode);
        Assert.Equal($"evaldsl: error: target model openai:honest@{_server.BaseUrl}: the Batch API failed: the server does not offer the OpenAI Batch API (POST files answered HTTP 404: Invalid URL (POST /v1/files)); run without --batch\n", result.Error);
        Assert.Equal(0, _server.CallCount);
    }
}
