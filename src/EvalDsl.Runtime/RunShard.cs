using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace EvalDsl.Runtime;

/// <summary>
/// One shard of a run split over <see cref="Count"/> machines (<c>run --shard i/n</c>). A sample belongs to the shard
/// chosen by a stable hash of its case id (<see cref="EvalCase.Id"/>: suite title, <c>" / "</c>, case title as run
/// (a data row's values filled in), and <c>" #"</c> and the 1-based row number for a row of a <c>for each</c> case) and
/// its 0-based sample index, never by its position in the plan: adding, removing or reordering cases moves no other
/// sample to another shard. A sample's target and baseline runs are in the same shard, so that its pairs stay together.
/// </summary>
/// <param name="Index">The shard, 1 to <paramref name="Count"/>.</param>
/// <param name="Count">How many shards the run is split into (at least 1).</param>
public sealed record RunShard(int Index, int Count)
{
    /// <summary>
    /// Reads <c>i/n</c> (1 ≤ i ≤ n); null, with <paramref name="problem"/> saying what is wrong, for anything else.
    /// </summary>
    public static RunShard? TryParse(string? text, out string? problem)
    {
        problem = null;
        var parts = (text ?? "").Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            if (count >= 1 && index >= 1 && index <= count) return new RunShard(index, count);
            problem = count < 1 ? "the number of shards must be at least 1" : $"the shard must be from 1 to {count.ToString(CultureInfo.InvariantCulture)}";
            return null;
        }
        problem = "it takes i/n, the shard i of n shards (1 ≤ i ≤ n), e.g. 2/3";
        return null;
    }

    /// <summary>Does this shard run sample <paramref name="sample"/> (0-based) of the case with id <paramref name="caseId"/>?</summary>
    public bool Owns(string caseId, int sample) => Of(caseId, sample, Count) == Index;

    /// <summary>The shard (1 to <paramref name="count"/>) that runs sample <paramref name="sample"/> of case <paramref name="caseId"/>.</summary>
    public static int Of(string caseId, int sample, int count)
    {
        ArgumentNullException.ThrowIfNull(caseId);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "at least one shard");
        // SHA-256 of "case id", a newline and the sample index: the same on every machine, runtime and version
        // (string.GetHashCode is randomized per process).
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(caseId + "\n" + sample.ToString(CultureInfo.InvariantCulture)));
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);
        return (int)(value % (ulong)count) + 1;
    }

    /// <summary>The part of <paramref name="plan"/> this shard runs: its cases with a sample here, each with as many samples as it runs here.</summary>
    internal EvalPlan Part(EvalPlan plan) => new(plan.Suites
        .Select(s => s with { Cases = s.Cases.Select(c => c with { Samples = SamplesOf(c) }).Where(c => c.Samples > 0).ToList() })
        .Where(s => s.Cases.Count > 0)
        .ToList());

    /// <summary>How many samples of <paramref name="case"/> this shard runs.</summary>
    public int SamplesOf(EvalCase @case)
    {
        ArgumentNullException.ThrowIfNull(@case);
        return Enumerable.Range(0, @case.Samples).Count(i => Owns(@case.Id, i));
    }

    /// <summary><c>i/n</c>.</summary>
    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);
}
