using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EvalDsl.Runtime.Execution;

/// <summary>
/// <c>evaldsl merge</c>: checks that the journals of <c>run --shard i/n</c> are the n shards of one run of these specs
/// (same fingerprint of plan and options, same judge settings, same models; every shard once, each finished), then
/// writes one journal holding all their samples and answered calls, as an unsharded run of the same samples would
/// have left it. The runner then resumes that journal: nothing is left to run, and the statistics, the baseline
/// tests, the verdict and the reports come from the one code path every run takes.
/// </summary>
internal static class ShardMerge
{
    private sealed record Shard(string Folder, RunShard Part, Journal.Contents Contents);

    public static void Combine(EvalPlan plan, bool withBaseline, IReadOnlyList<string> folders, string output,
        string fingerprint, string judge, IReadOnlyDictionary<string, string> models)
    {
        if (folders.Count == 0) throw new JournalException("merge takes the report folders of the shards (run --shard i/n --report DIR)");
        var outputPath = Full(output);
        var shards = new List<Shard>();
        foreach (var folder in folders)
        {
            if (!Directory.Exists(folder)) throw new JournalException($"the shard folder {folder} does not exist");
            if (Full(folder) == outputPath)
            {
                throw new JournalException($"the merge would write its report into the shard folder {folder}; give merge another --report folder");
            }
            var path = Path.Combine(folder, Journal.FileName);
            if (!File.Exists(path)) throw new JournalException($"{folder} holds no journal ({Journal.FileName}); merge takes the --report folder of each run --shard i/n");
            var contents = Journal.Load(path, "merge takes the --report folder of each run --shard i/n");
            if (contents.Header.Shard is null)
            {
                throw new JournalException($"{folder} holds the journal of a whole run, not of a shard; merge takes the --report folder of each run --shard i/n");
            }
            var part = RunShard.TryParse(contents.Header.Shard, out _)
                ?? throw new JournalException($"{path} names no shard i/n it could be ('{contents.Header.Shard}'); it was not written by run --shard");
            shards.Add(new Shard(folder, part, contents));
        }

        // The shards must be of one run: compared with each other first, so that the message names the odd one out.
        var first = shards[0];
        foreach (var other in shards.Skip(1))
        {
            if (other.Part.Count != first.Part.Count)
            {
                throw new JournalException($"{first.Folder} is shard {first.Part} but {other.Folder} is shard {other.Part}: they split the run differently; merge the shards of one run");
            }
            if (other.Contents.Header.Fingerprint != first.Contents.Header.Fingerprint)
            {
                throw new JournalException($"the shards in {first.Folder} and {other.Folder} were run from different specs or options; merge the shards of one run");
            }
            if (other.Contents.Header.Judge != first.Contents.Header.Judge)
            {
                throw new JournalException($"the shards in {first.Folder} and {other.Folder} used different judge templates or judge settings; merge the shards of one run");
            }
            if (!Journal.SameModels(other.Contents.Header.Models, first.Contents.Header.Models))
            {
                throw new JournalException($"the shards in {first.Folder} and {other.Folder} used different models ({Journal.Describe(first.Contents.Header.Models)}; {Journal.Describe(other.Contents.Header.Models)}); merge the shards of one run");
            }
        }
        if (first.Contents.Header.Fingerprint != fingerprint)
        {
            throw new JournalException("the shards were run from other specs or options than these; give merge the specs and the options the shards ran with (--suite, --tag, --filter, --samples, --baseline)");
        }
        if (first.Contents.Header.Judge != judge)
        {
            throw new JournalException("the shards used another judge template or judge settings than these; give merge the --judge-template, --judge-temperature and --judge-seed the shards ran with");
        }
        if (!Journal.SameModels(first.Contents.Header.Models, models))
        {
            throw new JournalException($"the shards used other models ({Journal.Describe(first.Contents.Header.Models)}); give merge the same bindings ({Journal.Describe(models)} here)");
        }

        var count = first.Part.Count;
        foreach (var group in shards.GroupBy(s => s.Part.Index).Where(g => g.Count() > 1))
        {
            var twice = group.ToList();
            throw new JournalException($"{twice[0].Folder} and {twice[1].Folder} are both shard {twice[0].Part}; give merge each shard once");
        }
        var missing = Enumerable.Range(1, count).Where(i => shards.All(s => s.Part.Index != i)).Select(i => new RunShard(i, count).ToString()).ToList();
        if (missing.Count > 0)
        {
            var merging = string.Join(", ", shards.OrderBy(s => s.Part.Index).Select(s => s.Part.ToString()));
            throw new JournalException(missing.Count == 1
                ? $"shard {missing[0]} is missing (given: {merging}); give merge the report folder of every shard"
                : $"shards {string.Join(", ", missing)} are missing (given: {merging}); give merge the report folder of every shard");
        }

        var roles = withBaseline ? new[] { "target", "baseline" } : new[] { "target" };
        var samples = new List<SampleResult>();
        foreach (var shard in shards.OrderBy(s => s.Part.Index))
        {
            var owned = plan.Cases.SelectMany(c => Enumerable.Range(0, c.Samples).Where(i => shard.Part.Owns(c.Id, i)).SelectMany(i => roles.Select(r => (c.Id, r, i))))
                .ToHashSet();
            var finished = shard.Contents.Finished.Where(s => owned.Contains((s.CaseId, s.Role, s.Sample)))
                .GroupBy(s => (s.CaseId, s.Role, s.Sample)).Select(g => g.Last()).ToList();
            if (finished.Count < owned.Count)
            {
                throw new JournalException($"shard {shard.Part} in {shard.Folder} did not finish: its journal holds {finished.Count} of its {owned.Count} samples; continue it with run --shard {shard.Part} --report {shard.Folder} --resume");
            }
            samples.AddRange(finished);
        }

        using var journal = Journal.Create(output, fingerprint, judge, models);
        foreach (var call in shards.SelectMany(s => s.Contents.Calls).GroupBy(c => c.Key, StringComparer.Ordinal).Select(g => g.First()))
        {
            journal.AppendCall(call.Key, call.Value);
        }
        foreach (var sample in samples) journal.Append(sample);
    }

    private static string Full(string folder) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
}
