using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using EvalDsl;
using EvalDsl.Cli.Workspace;
using EvalDsl.Runtime;
using EvalDsl.Testing;

namespace EvalDsl.RecordExamples;

/// <summary>
/// Re-records <c>examples/recordings/{candidate,baseline,judge}</c>: the shipped examples (with those in subfolders) run through the loopback
/// server against the illustrative candidate and baseline, judged by the rule-based judge, with --record.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = args.Length > 0 ? args[0] : FindRoot();
        var examples = Path.Combine(root, "examples");
        var recordings = Path.Combine(examples, "recordings");
        var models = IllustrativeModels.Load(Path.Combine(recordings, "illustrative.json"));
        foreach (var pair in models.JudgeTriggers) ScriptedJudge.Triggers[pair.Key] = pair.Value;

        await using var server = await LoopbackModelServer.StartAsync();
        server.Register("candidate", r => models.Reply("candidate", r));
        server.Register("baseline", r => models.Reply("baseline", r));

        using var recordFolder = new TempFolder();
        var temp = recordFolder.Path;
        var bindings = new ModelBindings()
            .Bind("target", ModelReference.Parse($"openai:candidate@{server.BaseUrl}"))
            .Bind("baseline", ModelReference.Parse($"openai:baseline@{server.BaseUrl}"))
            .Bind("judge", ModelReference.Parse($"openai:judge@{server.BaseUrl}"));
        var runner = new EvalRunner(bindings, new RunOptions { RecordDirectory = temp, Concurrency = 8 });

        // The examples and the research protocols in their subfolders (examples/research/*.eval), as `evaldsl run examples` finds them.
        var specs = Directory.EnumerateFiles(examples, "*.eval", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => SpecDocument.FromBytes(Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes(f))).ToList();
        var compilation = EvalCompilation.Create(specs, new EvalCompilationOptions { DataFiles = new DiskDataFiles(root) });
        if (compilation.HasErrors)
        {
            foreach (var d in compilation.Diagnostics) Console.Error.WriteLine(d);
            return 2;
        }
        var result = await runner.RunAsync(EvalDsl.Lowering.PlanBuilder.Build(compilation), withBaseline: true);
        // The judge's calibration questions, as `evaldsl calibrate examples` asks them (default repeat, temperature and
        // seed), so that it too runs offline from the judge's recording.
        var plan = EvalDsl.Lowering.PlanBuilder.Build(compilation);
        var behaviors = EvalCompilation.BuiltInBehaviors
            .Concat(plan.Cases.SelectMany(c => c.Expectations).Select(e => e.Behavior).Where(b => b is not null).Select(b => b!)).ToList();
        var calibration = await JudgeCalibration.RunAsync(bindings, behaviors, new RunOptions { RecordDirectory = temp, Concurrency = 8 }, repeat: 3);
        Console.WriteLine(calibration.ToTable());
        if (models.Unmatched.Count > 0)
        {
            foreach (var miss in models.Unmatched.Distinct()) Console.Error.WriteLine(miss);
            return 1;
        }

        foreach (var (from, to) in new[] { ("target", "candidate"), ("baseline", "baseline"), ("judge", "judge") })
        {
            var destination = Path.Combine(recordings, to);
            KeepOrder(Path.Combine(destination, "exchanges.jsonl"), Path.Combine(temp, from, "exchanges.jsonl"));
            if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
            Directory.Move(Path.Combine(temp, from), destination);
        }
        Console.WriteLine($"recorded {server.CallCount} exchanges; verdict on the candidate: {result.Verdict}");
        foreach (var c in result.Cases)
        {
            foreach (var e in c.Expectations)
            {
                Console.WriteLine($"  {c.Title} | {e.Display} | {e.Stats.Passes}/{e.Stats.Passes + e.Stats.Fails} | baseline {e.Comparison?.Baseline.Passes}/{e.Comparison?.Baseline.Passes + e.Comparison?.Baseline.Fails}{(e.Comparison?.Regression == true ? " REGRESSION" : "")}");
            }
        }
        return 0;
    }

    /// <summary>
    /// Puts the lines of the new recording <paramref name="recorded"/> in the order of the old one, <paramref name="previous"/>:
    /// an exchange whose request was recorded before takes its place, a new one follows them in the order it was recorded.
    /// The calls run concurrently, so without it every re-recording would reorder the file and its diff could not be read.
    /// </summary>
    private static void KeepOrder(string previous, string recorded)
    {
        if (!File.Exists(previous) || !File.Exists(recorded)) return;
        var place = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(previous).Where(l => l.Length > 0)) place.TryAdd(Request(line), place.Count);
        var lines = File.ReadLines(recorded).Where(l => l.Length > 0).ToList();
        var ordered = lines.Select((line, index) => (line, index))
            .OrderBy(x => place.TryGetValue(Request(x.line), out var at) ? at : place.Count + x.index)
            .Select(x => x.line + "\n");
        File.WriteAllText(recorded, string.Concat(ordered), new System.Text.UTF8Encoding(false));
    }

    // What identifies an exchange's request in a recording line, whatever else the line holds (a key, or in recordings
    // made before keys the request written again).
    private static string Request(string line)
    {
        var exchange = System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject();
        return $"{exchange["messages"]?.ToJsonString()}|{exchange["temperature"]?.ToJsonString()}|{exchange["seed"]?.ToJsonString()}";
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EvalDsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("run it inside the repository");
    }
}
