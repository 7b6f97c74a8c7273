using System;
using System.Collections.Generic;

namespace EvalDsl.Runtime.Statistics;

/// <summary>Pass-rate statistics: Wilson score intervals and the exact McNemar test.</summary>
internal static class Stats
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The Wilson score interval for <paramref name="successes"/> of <paramref name="trials"/> (95%). (0, 1) when there are no trials.</summary>
    public static (double Lower, double Upper) Wilson(int successes, int trials, double z = Z95)
    {
        if (trials <= 0) return (0, 1);
        double n = trials;
        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var center = (p + z2 / (2 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
        return (Math.Max(0, center - half), Math.Min(1, center + half));
    }

    /// <summary>
    /// The exact (binomial) two-sided McNemar p-value for paired outcomes: <paramref name="onlyFirst"/> pairs where
    /// only the first passed and <paramref name="onlySecond"/> where only the second did. 1 when there is no discordant pair.
    /// </summary>
    public static double McNemarExact(int onlyFirst, int onlySecond)
    {
        var n = onlyFirst + onlySecond;
        if (n == 0) return 1;
        var k = Math.Min(onlyFirst, onlySecond);
        // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space to stay exact enough for large n.
        double tail = 0;
        for (var i = 0; i <= k; i++) tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return Math.Min(1, 2 * tail);
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double sum = 0;
        for (var i = 2; i <= n; i++) sum += Math.Log(i);
        return sum;
    }

    /// <summary>
    /// Whether an expectation holds: it needs <see cref="EvalCase.RequiredPasses"/> passes of n trials. Errors count
    /// for neither side, so it is undecided while the errored trials could still tip it.
    /// </summary>
    public static ExpectationStatus Decide(int passes, int fails, int errors, decimal pass)
    {
        var n = passes + fails + errors;
        if (n == 0) return ExpectationStatus.Undecided;
        var needed = EvalCase.RequiredPasses(pass, n);
        if (passes >= needed) return ExpectationStatus.Holds;
        if (passes + errors < needed) return ExpectationStatus.Fails;
        return ExpectationStatus.Undecided;
    }

    /// <summary>
    /// An expectation over the rows of a <c>pass N% of rows</c> case: each row is one outcome, its own verdict over its
    /// samples (holds, fails, or undecided when errors leave it open); the rate is the share of decided rows that hold,
    /// the interval is Wilson's on those rows (rows, not samples, are the unit), and the verdict is <see cref="Decide"/>
    /// with undecided rows as the errors: it holds when ⌈N·rows/100⌉ rows hold.
    /// </summary>
    public static ExpectationStats OfRows(IEnumerable<ExpectationStatus> rows, decimal rowsPass)
    {
        int holds = 0, fails = 0, open = 0, notApplicable = 0;
        foreach (var row in rows)
        {
            if (row == ExpectationStatus.Holds) holds++;
            else if (row == ExpectationStatus.Fails) fails++;
            // A row whose guard held on no sample is left out of the rows counted, as a sample is.
            else if (row == ExpectationStatus.NotApplicable) notApplicable++;
            else open++;
        }
        return Of(holds, fails, open, rowsPass, notApplicable);
    }

    /// <summary>
    /// The statistics of trials: <paramref name="notApplicable"/> trials (a guard that did not hold, a first reply that
    /// was not correct) count for nothing: the rate and the threshold are taken over the others. An expectation that
    /// applied to no trial at all (and none errored) is not applicable: it neither holds nor fails.
    /// </summary>
    public static ExpectationStats Of(int passes, int fails, int errors, decimal pass, int notApplicable = 0)
    {
        var decided = passes + fails;
        var (lower, upper) = Wilson(passes, decided);
        var status = passes + fails + errors == 0 && notApplicable > 0 ? ExpectationStatus.NotApplicable : Decide(passes, fails, errors, pass);
        return new ExpectationStats(passes, fails, errors, decided == 0 ? null : (double)passes / decided, lower, upper, status) { NotApplicable = notApplicable };
    }

}
