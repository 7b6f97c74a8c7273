using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime;

/// <summary>Turns the finished samples into per-expectation statistics, baseline comparisons and the verdict.</summary>
internal static class Aggregator
{
    public static RunResult Build(EvalPlan plan, IReadOnlyCollection<SampleResult> samples, bool withBaseline,
        IReadOnlyDictionary<string, string> models, DateTimeOffset started, DateTimeOffset finished)
    {
        var byCase = samples.GroupBy(s => (s.CaseId, s.Role)).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Sample).ToList());
        var cases = new List<CaseResult>();
        foreach (var @case in plan.Cases)
        {
            var target = byCase.TryGetValue((@case.Id, "target"), out var t) ? t : new List<SampleResult>();
            var baseline = withBaseline ? (byCase.TryGetValue((@case.Id, "baseline"), out var b) ? b : new List<SampleResult>()) : null;
            var expectations = @case.Expectations.Select(e =>
            {
                var stats = StatsOf(@case, e, target);
                BaselineComparison? comparison = null;
                if (baseline is not null)
                {
                    var baseStats = StatsOf(@case, e, baseline);
                    comparison = Compare(e, target, baseline, stats, baseStats);
                }
                return new ExpectationResult(e.Index, e.Display, e.Blocking, e.Location, stats, comparison);
            }).ToList();
            cases.Add(new CaseResult(@case.Id, @case.Suite, @case.Title, @case.Location, @case.Samples, (double)@case.Pass, expectations, target, baseline, @case.Row));
        }
        return new RunResult(VerdictOf(cases), started, finished, models, cases);
    }

    public static Verdict VerdictOf(IEnumerable<CaseResult> cases)
    {
        var expectations = cases.SelectMany(c => c.Expectations).ToList();
        if (expectations.Any(e => e.IsFailingMust)) return Verdict.Blocked;
        if (expectations.Any(e => e.IsUndecidedMust)) return Verdict.Incomplete;
        return Verdict.Clear;
    }

    /// <summary>Trials an expectation expects per sample: one per variant, or one for a consistency check.</summary>
    private static int PerSample(EvalCase @case, EvalExpectation e) => e.Check == EvalCheck.ConsistentAcross ? 1 : Math.Max(1, @case.Variants.Count);

    private static ExpectationStats StatsOf(EvalCase @case, EvalExpectation e, IReadOnlyList<SampleResult> samples)
    {
        var grades = samples.SelectMany(s => s.Grades).Where(g => g.Expectation == e.Index).ToList();
        var passes = grades.Count(g => g.Outcome == Outcome.Pass);
        var fails = grades.Count(g => g.Outcome == Outcome.Fail);
        // Samples that never finished (an interrupted run) count as errors: they leave the expectation open.
        var missing = Math.Max(0, @case.Samples * PerSample(@case, e) - grades.Count);
        var errors = grades.Count(g => g.Outcome == Outcome.Error) + missing;
        return Stats.Of(passes, fails, errors, @case.Pass);
    }

    private static BaselineComparison Compare(EvalExpectation e, IReadOnlyList<SampleResult> target, IReadOnlyList<SampleResult> baseline, ExpectationStats targetStats, ExpectationStats baseStats)
    {
        // Pair the same sample and variant on both models; only pairs decided on both sides count.
        var baseGrades = baseline.SelectMany(s => s.Grades.Where(g => g.Expectation == e.Index).Select(g => (s.Sample, g.Variant, g.Outcome)))
            .GroupBy(x => (x.Sample, x.Variant)).ToDictionary(g => g.Key, g => g.First().Outcome);
        int onlyBaseline = 0, onlyTarget = 0;
        foreach (var s in target)
        {
            foreach (var g in s.Grades.Where(g => g.Expectation == e.Index))
            {
                if (!baseGrades.TryGetValue((s.Sample, g.Variant), out var other)) continue;
                if (g.Outcome == Outcome.Error || other == Outcome.Error) continue;
                if (g.Outcome == Outcome.Pass && other == Outcome.Fail) onlyTarget++;
                else if (g.Outcome == Outcome.Fail && other == Outcome.Pass) onlyBaseline++;
            }
        }
        var p = Stats.McNemarExact(onlyTarget, onlyBaseline);
        double? delta = targetStats.Rate is { } tr && baseStats.Rate is { } br ? tr - br : null;
        var regression = (delta < 0 && p < 0.05) || (targetStats.Status == ExpectationStatus.Fails && baseStats.Status == ExpectationStatus.Holds);
        return new BaselineComparison(baseStats, delta, p, regression);
    }
}
