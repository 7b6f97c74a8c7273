using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>The status helpers every report, the console and SpecTest read, over every kind × status × regression.</summary>
public class ResultStatusTests
{
    private static ExpectationResult Expectation(bool must, ExpectationStatus status, bool regression = false)
    {
        var stats = new ExpectationStats(1, 1, 0, 0.5, 0.1, 0.9, status);
        var comparison = regression ? new BaselineComparison(stats, -0.5, 0.01, Regression: true) : null;
        return new ExpectationResult(0, "must x", must, new SpecLocation("a.eval", 1, 1), stats, comparison);
    }

    [Theory]
    [InlineData(true, ExpectationStatus.Holds, false, "holding must", "Pass")]
    [InlineData(true, ExpectationStatus.Holds, true, "holding must, regression", "Warn")]
    [InlineData(true, ExpectationStatus.Fails, false, "failing must, blocks", "Fail")]
    [InlineData(true, ExpectationStatus.Undecided, false, "undecided must, blocks", "Undecided")]
    [InlineData(true, ExpectationStatus.Undecided, true, "undecided must, blocks, regression", "Undecided")]
    [InlineData(false, ExpectationStatus.Holds, false, "", "Pass")]
    [InlineData(false, ExpectationStatus.Fails, false, "failing should, missed should", "Warn")]
    [InlineData(false, ExpectationStatus.Undecided, false, "missed should", "Warn")]
    [InlineData(false, ExpectationStatus.Holds, true, "regression", "Warn")]
    public void Each_helper_says_what_the_kind_and_status_mean(bool must, ExpectationStatus status, bool regression, string flags, string standing)
    {
        var e = Expectation(must, status, regression);
        var set = new List<string>();
        if (e.IsHoldingMust) set.Add("holding must");
        if (e.IsFailingMust) set.Add("failing must");
        if (e.IsUndecidedMust) set.Add("undecided must");
        if (e.Blocks) set.Add("blocks");
        if (e.IsFailingShould) set.Add("failing should");
        if (e.IsMissedShould) set.Add("missed should");
        if (e.IsRegression) set.Add("regression");
        Assert.Equal(flags, string.Join(", ", set));
        Assert.Equal(standing, e.Standing.ToString());
    }

    [Theory]
    [InlineData("Pass", "Pass")]
    [InlineData("Pass,Warn", "Warn")]
    [InlineData("Warn,Undecided,Pass", "Undecided")]
    [InlineData("Undecided,Fail,Warn", "Fail")]
    [InlineData("", "Pass")]
    public void A_case_stands_as_its_worst_expectation(string expectations, string standing)
    {
        var all = new Dictionary<string, ExpectationResult>
        {
            ["Pass"] = Expectation(true, ExpectationStatus.Holds),
            ["Warn"] = Expectation(false, ExpectationStatus.Fails),
            ["Undecided"] = Expectation(true, ExpectationStatus.Undecided),
            ["Fail"] = Expectation(true, ExpectationStatus.Fails),
        };
        var list = expectations.Length == 0 ? new List<ExpectationResult>() : expectations.Split(',').Select(k => all[k]).ToList();
        var c = new CaseResult("c", "S", "T", new SpecLocation("a.eval", 1, 1), 2, 80, list, new List<SampleResult>(), null);
        Assert.Equal(standing, c.Standing.ToString());
        Assert.Equal(
            standing == "Fail" ? Verdict.Blocked : standing == "Undecided" ? Verdict.Incomplete : Verdict.Clear,
            Aggregator.VerdictOf(new[] { c }));
    }
}
