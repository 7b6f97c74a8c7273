using System.Linq;
using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>
/// <c>pass N% of rows</c>: each row is one outcome (its own verdict over its samples); the rate is the share of decided
/// rows that hold, the interval Wilson's on rows, the verdict ⌈N·rows/100⌉ rows, and the baseline pairs rows.
/// </summary>
public sealed class DatasetStatsTests
{
    private const ExpectationStatus H = ExpectationStatus.Holds, F = ExpectationStatus.Fails, U = ExpectationStatus.Undecided;

    [Fact]
    public void Three_of_four_rows_hold_at_75_percent_and_fail_at_80()
    {
        var at75 = Stats.OfRows(new[] { H, H, H, F }, 75m);
        Assert.Equal((3, 1, 0), (at75.Passes, at75.Fails, at75.Errors));
        Assert.Equal(0.75, at75.Rate);
        // Wilson on 3 of 4 rows (z = 1.959964): [0.300642, 0.954413].
        Assert.Equal(0.300642, at75.Lower, 6);
        Assert.Equal(0.954413, at75.Upper, 6);
        Assert.Equal(ExpectationStatus.Holds, at75.Status);
        // ⌈80·4/100⌉ = 4 rows are needed.
        Assert.Equal(ExpectationStatus.Fails, Stats.OfRows(new[] { H, H, H, F }, 80m).Status);
    }

    [Fact]
    public void Nine_of_ten_rows_pass_80_and_fail_95()
    {
        var rows = Enumerable.Repeat(H, 9).Append(F).ToList();
        var at80 = Stats.OfRows(rows, 80m);
        Assert.Equal(ExpectationStatus.Holds, at80.Status);
        Assert.Equal(0.9, at80.Rate);
        Assert.Equal(0.595850, at80.Lower, 6);
        Assert.Equal(0.982124, at80.Upper, 6);
        Assert.Equal(ExpectationStatus.Fails, Stats.OfRows(rows, 95m).Status);
    }

    [Fact]
    public void A_row_errors_left_open_keeps_the_dataset_open_while_it_could_tip_it()
    {
        // 2 hold, 1 open, 1 fails; 3 of 4 are needed at 75%: the open row decides.
        var stats = Stats.OfRows(new[] { H, H, U, F }, 75m);
        Assert.Equal((2, 1, 1), (stats.Passes, stats.Fails, stats.Errors));
        Assert.Equal(2.0 / 3, stats.Rate!.Value, 12);
        Assert.Equal(0.207660, stats.Lower, 6);
        Assert.Equal(ExpectationStatus.Undecided, stats.Status);
        // At 50% two rows are enough whatever the open one gives.
        Assert.Equal(ExpectationStatus.Holds, Stats.OfRows(new[] { H, H, U, F }, 50m).Status);
    }

    [Fact]
    public void The_baseline_pairs_rows_with_an_exact_McNemar_test()
    {
        var target = new[] { F, F, F, H };
        var baseline = new[] { H, H, H, H };
        var t = Stats.OfRows(target, 75m);
        var b = Stats.OfRows(baseline, 75m);
        var comparison = Aggregator.CompareRows(target, baseline, t, b);
        Assert.Equal(-0.75, comparison.Delta!.Value, 12);
        // 3 discordant rows, all against the target: 2 · (1/2)³ = 0.25.
        Assert.Equal(0.25, comparison.PValue, 12);
        // Not significant, but the target fails where the baseline holds.
        Assert.True(comparison.Regression);
    }

    [Fact]
    public void Rows_open_on_either_model_are_not_paired()
    {
        var target = new[] { F, F, F, F, F, F, U, F };
        var baseline = new[] { H, H, H, H, H, H, H, U };
        var comparison = Aggregator.CompareRows(target, baseline, Stats.OfRows(target, 50m), Stats.OfRows(baseline, 50m));
        // Six discordant pairs: 2 · (1/2)⁶ = 0.03125.
        Assert.Equal(0.03125, comparison.PValue, 12);
        Assert.Equal(-1.0, comparison.Delta!.Value, 12);
        Assert.True(comparison.Regression);
    }
}
