using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EvalDsl.Runtime.Tests.Integration;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>
/// <c>run --shard i/n</c> gives each sample to a shard by a hash of its case id and sample index: adding a case (before
/// the others, so that every position moves) leaves every other sample in its shard, the hash is pinned (shards run by
/// different versions of the tool must agree), and the shards share the samples out evenly.
/// </summary>
public sealed class RunShardTests
{
    private static Dictionary<(string Case, int Sample), int> Assignment(EvalPlan plan, int count) =>
        plan.Cases.SelectMany(c => Enumerable.Range(0, c.Samples).Select(i => (c.Id, i)))
            .ToDictionary(x => x, x => RunShard.Of(x.Id, x.i, count));

    private static Dictionary<(string Case, int Sample), int> Positions(EvalPlan plan) =>
        plan.Cases.SelectMany(c => Enumerable.Range(0, c.Samples).Select(i => (c.Id, i))).Select((x, position) => (x, position)).ToDictionary(p => p.x, p => p.position);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Adding_cases_and_a_suite_moves_no_other_sample_to_another_shard(int count)
    {
        var before = Assignment(Specs.Plan(Specs.Gate), count);
        var added = Specs.Gate.Replace("""
              samples 3
              pass 66.6%

            """, """
              samples 3
              pass 66.6%
              case "a new first case" {
                samples 5
                user "What is 2 + 2?"
                must contain "4"
              }
              data fruits {
                fruit
                "apple"
                "pear"
              }
              case "about {fruit}" for each fruits {
                user "Tell me about {fruit}."
                must not contain "zzz"
              }

            """.Replace("\r\n", "\n")) + """
            suite "Another" {
              case "later" {
                user "Hello"
                must not contain "zzz"
              }
            }

            """;
        var plan = Specs.Plan(added);
        // 5 samples of the new case and 3 of each of two rows, before every old case (11: a shift no n here divides),
        // and one (the default) in Another.
        Assert.Equal(before.Count + 5 + 2 * 3 + 1, plan.Cases.Sum(c => c.Samples));
        var after = Assignment(plan, count);
        var moved = before.Where(pair => after[pair.Key] != pair.Value).Select(pair => $"{pair.Key.Case} #{pair.Key.Sample}: {pair.Value} → {after[pair.Key]}").ToList();
        Assert.True(moved.Count == 0, string.Join("\n", moved));
        // The added cases come first, so a split by position would have moved samples: the test can tell.
        Assert.Equal("Gate / a new first case", plan.Cases.First().Id);
        var byPosition = Positions(plan);
        Assert.Contains(Positions(Specs.Plan(Specs.Gate)), pair => byPosition[pair.Key] % count != pair.Value % count);
    }

    [Fact]
    public void The_hash_is_pinned_so_that_every_version_of_the_tool_shards_alike()
    {
        // SHA-256 of "Gate / impulsive\n0" (and so on), its first 8 bytes big-endian, modulo n, plus 1: figures from an
        // independent implementation (Python's hashlib), not from this one.
        var shards = Enumerable.Range(0, 6).Select(i => RunShard.Of("Gate / impulsive", i, 3).ToString(CultureInfo.InvariantCulture));
        Assert.Equal("1 2 3 3 2 1", string.Join(" ", shards));
        Assert.Equal("3 1 1 1 3 4", string.Join(" ", Enumerable.Range(0, 6).Select(i => RunShard.Of("Answers / capital #" + i.ToString(CultureInfo.InvariantCulture), 0, 5).ToString(CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void Shards_share_the_samples_evenly_and_each_sample_has_exactly_one()
    {
        var ids = Enumerable.Range(0, 300).Select(i => "Suite / case " + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var sizes = new int[4];
        foreach (var id in ids)
        {
            for (var sample = 0; sample < 10; sample++)
            {
                var owners = Enumerable.Range(1, 4).Where(i => new RunShard(i, 4).Owns(id, sample)).ToList();
                Assert.Single(owners);
                sizes[owners[0] - 1]++;
            }
        }
        // 3,000 samples, 750 expected per shard: a binomial standard deviation is about 24.
        Assert.All(sizes, size => Assert.InRange(size, 650, 850));
    }

    [Fact]
    public void A_shard_reads_i_of_n_and_says_what_is_wrong_otherwise()
    {
        Assert.Equal(new RunShard(2, 3), RunShard.TryParse("2/3", out var none));
        Assert.Null(none);
        Assert.Equal(new RunShard(1, 1), RunShard.TryParse("1/1", out _));
        Assert.Equal("2/3", new RunShard(2, 3).ToString());
        foreach (var (text, problem) in new[]
        {
            ("0/3", "the shard must be from 1 to 3"), ("4/3", "the shard must be from 1 to 3"), ("1/0", "the number of shards must be at least 1"),
            ("", "it takes i/n, the shard i of n shards (1 ≤ i ≤ n), e.g. 2/3"), ("1/2/3", "it takes i/n, the shard i of n shards (1 ≤ i ≤ n), e.g. 2/3"),
            (" 1/3", "it takes i/n, the shard i of n shards (1 ≤ i ≤ n), e.g. 2/3"), ("+1/3", "it takes i/n, the shard i of n shards (1 ≤ i ≤ n), e.g. 2/3"),
        })
        {
            Assert.Null(RunShard.TryParse(text, out var said));
            Assert.Equal(problem, said);
        }
    }
}
