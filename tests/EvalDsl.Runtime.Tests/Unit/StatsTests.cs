using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime.Tests.Unit;

public sealed class StatsTests
{
    // Reference values computed with the closed form (z = 1.959964), e.g. statsmodels proportion_confint(method="wilson").
    [Theory]
    [InlineData(0, 5, 0.0, 0.43448)]
    [InlineData(5, 5, 0.56552, 1.0)]
    [InlineData(4, 5, 0.37553, 0.96378)]
    [InlineData(8, 10, 0.49016, 0.94332)]
    [InlineData(50, 100, 0.40383, 0.59617)]
    public void Wilson_interval_matches_known_values(int successes, int trials, double lower, double upper)
    {
        var (l, u) = Stats.Wilson(successes, trials);
        Assert.Equal(lower, l, 4);
        Assert.Equal(upper, u, 4);
    }

    [Fact]
    public void Wilson_interval_without_trials_is_everything() => Assert.Equal((0.0, 1.0), Stats.Wilson(0, 0));

    // Exact two-sided binomial test on the discordant pairs.
    [Theory]
    [InlineData(0, 0, 1.0)]
    [InlineData(0, 5, 0.0625)]
    [InlineData(0, 6, 0.03125)]
    [InlineData(1, 9, 0.021484375)]
    [InlineData(3, 3, 1.0)]
    [InlineData(2, 8, 0.109375)]
    public void McNemar_exact_p_values(int b, int c, double expected) => Assert.Equal(expected, Stats.McNemarExact(b, c), 9);

    [Theory]
    [InlineData(4, 1, 0, 80.0, ExpectationStatus.Holds)]
    [InlineData(3, 2, 0, 80.0, ExpectationStatus.Fails)]
    [InlineData(3, 1, 1, 80.0, ExpectationStatus.Undecided)]
    [InlineData(4, 0, 1, 80.0, ExpectationStatus.Holds)]
    [InlineData(2, 2, 1, 80.0, ExpectationStatus.Fails)]
    [InlineData(5, 0, 0, 100.0, ExpectationStatus.Holds)]
    [InlineData(9, 1, 0, 100.0, ExpectationStatus.Fails)]
    [InlineData(7, 3, 0, 66.5, ExpectationStatus.Holds)]
    [InlineData(0, 0, 3, 50.0, ExpectationStatus.Undecided)]
    public void Errors_leave_an_expectation_undecided_only_while_they_could_tip_it(int passes, int fails, int errors, double pass, ExpectationStatus expected) =>
        Assert.Equal(expected, Stats.Decide(passes, fails, errors, (decimal)pass));
}
