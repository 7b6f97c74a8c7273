using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime;

/// <summary>Turns the finished samples into per-expectation statistics, baseline comparisons and the verdict.</summary>
internal static class Aggregator
{
    // keep: what a case result keeps of a case's samples, by case ID and role, once its statistics are computed from
    // them (the samples themselves when null).
    public static RunResult Build(EvalPlan plan, IReadOnlyCollection<SampleResult> samples, bool withBaseline,
        IReadOnlyDictionary<string, string> models, DateTimeOffset started, DateTimeOffset finished,
        Func<string, string, IReadOnlyList<SampleResult>, IReadOnlyList<SampleResult>>? keep = null)
    {
        // Grouped in one pass, in sample order (a stable sort: a report of tests that ran a case twice keeps their
        // order), with no copy of the groups: a run of 100,000 cases holds them all at once.
        var byCase = new Dictionary<(string, string), List<SampleResult>>();
        foreach (var sample in samples.OrderBy(s => s.Sample))
        {
            if (!byCase.TryGetValue((sample.CaseId, sample.Role), out var list)) byCase[(sample.CaseId, sample.Role)] = list = new List<SampleResult>(1);
            list.Add(sample);
        }
        var cases = new List<CaseResult>();
        // One copy of each expectation's display (thousands of cases often say the same thing).
        var displays = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var @case in plan.Cases)
        {
            var id = @case.Id;
            var target = byCase.TryGetValue((id, "target"), out var t) ? t : new List<SampleResult>();
            var baseline = withBaseline ? (byCase.TryGetValue((id, "baseline"), out var b) ? b : new List<SampleResult>()) : null;
            var expectations = @case.Expectations.Select(e =>
            {
                var stats = StatsOf(@case, e, target);
                BaselineComparison? comparison = null;
                if (baseline is not null)
                {
                    var baseStats = StatsOf(@case, e, baseline);
                    comparison = Compare(e, target, baseline, stats, baseStats);
                }
                // A row of a pass N% of rows case blocks nothing alone: its dataset's result decides.
                return new ExpectationResult(e.Index, Shared(displays, e.Display), e.Blocking && @case.RowsPass is null, e.Location, stats, comparison)
                {
                    Flip = FlipOf(@case, e, target),
                    RegressiveFlips = Flips(@case, e, target, AnswerFlip.Regressive),
                    ProgressiveFlips = Flips(@case, e, target, AnswerFlip.Progressive),
                    Jury = JuryOf(e.Index, target),
                };
            }).ToList();
            cases.Add(new CaseResult(id, @case.Suite, @case.Title, @case.Location, @case.Samples, (double)@case.Pass, expectations,
                keep is null ? target : keep(id, "target", target), baseline is null || keep is null ? baseline : keep(id, "baseline", baseline), @case.Row)
            {
                Dataset = @case.RowsPass is null ? null : DatasetId(@case),
            });
        }
        var datasets = Datasets(plan, cases, withBaseline);
        return new RunResult(VerdictOf(cases, datasets), started, finished, models, cases) { Datasets = datasets };
    }

    private static string Shared(Dictionary<string, string> texts, string text)
    {
        if (texts.TryGetValue(text, out var kept)) return kept;
        texts[text] = text;
        return text;
    }

    /// <summary>The dataset a row of a <c>pass N% of rows</c> case belongs to: its suite, title as written and data set.</summary>
    internal static string DatasetId(EvalCase @case) => @case.Suite + " / " + (@case.TitleTemplate ?? @case.Title) + " (" + @case.DataSet + ")";

    /// <summary>One <see cref="DatasetResult"/> per <c>pass N% of rows</c> case, in plan order, from its rows' results.</summary>
    private static List<DatasetResult> Datasets(EvalPlan plan, IReadOnlyList<CaseResult> cases, bool withBaseline)
    {
        var datasets = new List<DatasetResult>();
        if (!plan.Cases.Any(c => c.RowsPass is not null)) return datasets;
        var byId = cases.ToDictionary(c => c.Id);
        foreach (var group in plan.Cases.Where(c => c.RowsPass is not null).GroupBy(DatasetId))
        {
            var first = group.First();
            var rowsPass = first.RowsPass!.Value;
            var rows = group.Select(c => byId[c.Id]).ToList();
            var expectations = new List<ExpectationResult>();
            var rates = new List<IReadOnlyList<double?>>();
            foreach (var e in first.Expectations)
            {
                var perRow = rows.Select(r => r.Expectations.FirstOrDefault(x => x.Index == e.Index)).ToList();
                // A row the expectation applied to in no sample (status not applicable) is left out of the rows, and counted apart.
                var target = perRow.Select(x => x?.Stats.Status ?? ExpectationStatus.Undecided).ToList();
                var stats = Stats.OfRows(target, rowsPass);
                BaselineComparison? comparison = null;
                if (withBaseline)
                {
                    var baseline = perRow.Select(x => x?.Comparison?.Baseline.Status ?? ExpectationStatus.Undecided).ToList();
                    comparison = CompareRows(target, baseline, stats, Stats.OfRows(baseline, rowsPass));
                }
                expectations.Add(new ExpectationResult(e.Index, e.DisplayTemplate ?? e.Display, e.Blocking, e.Location, stats, comparison)
                {
                    // Averaged over the samples of all the rows.
                    Flip = FlipOf(first, e, rows.SelectMany(r => r.Target)),
                    RegressiveFlips = perRow.Any(x => x?.RegressiveFlips is not null) ? perRow.Sum(x => x?.RegressiveFlips ?? 0) : null,
                    ProgressiveFlips = perRow.Any(x => x?.ProgressiveFlips is not null) ? perRow.Sum(x => x?.ProgressiveFlips ?? 0) : null,
                    Jury = JuryOf(e.Index, rows.SelectMany(r => r.Target)),
                });
                rates.Add(perRow.Select(x => x?.Stats.Rate).ToList());
            }
            datasets.Add(new DatasetResult(group.Key, first.Suite, first.TitleTemplate ?? first.Title, first.DataSet ?? "", first.Location,
                first.Samples, (double)first.Pass, (double)rowsPass, rows.Select(r => r.Id).ToList(), expectations, rates));
        }
        return datasets;
    }

    /// <summary>The baseline comparison over rows: the same rule as per case, with rows (decided on both models) as the pairs.</summary>
    internal static BaselineComparison CompareRows(IReadOnlyList<ExpectationStatus> target, IReadOnlyList<ExpectationStatus> baseline, ExpectationStats targetStats, ExpectationStats baseStats)
    {
        int onlyTarget = 0, onlyBaseline = 0;
        for (var i = 0; i < Math.Min(target.Count, baseline.Count); i++)
        {
            if (target[i] == ExpectationStatus.Holds && baseline[i] == ExpectationStatus.Fails) onlyTarget++;
            else if (target[i] == ExpectationStatus.Fails && baseline[i] == ExpectationStatus.Holds) onlyBaseline++;
        }
        return Comparison(onlyTarget, onlyBaseline, targetStats, baseStats);
    }

    public static Verdict VerdictOf(IEnumerable<CaseResult> cases, IEnumerable<DatasetResult>? datasets = null)
    {
        // Rows of datasets carry non-blocking expectations, so counting them changes nothing; the datasets decide for them.
        var expectations = cases.SelectMany(c => c.Expectations).Concat((datasets ?? Enumerable.Empty<DatasetResult>()).SelectMany(d => d.Expectations)).ToList();
        if (expectations.Any(e => e.IsFailingMust)) return Verdict.Blocked;
        if (expectations.Any(e => e.IsUndecidedMust)) return Verdict.Incomplete;
        return Verdict.Clear;
    }

    /// <summary>
    /// Trials an expectation expects per sample: one per variant it applies to (all, or those of its <c>for LABEL</c>),
    /// one for a consistency check, one per pair (per variant under its first label) for <c>be more … under</c>.
    /// </summary>
    internal static int PerSample(EvalCase @case, EvalExpectation e) => e.Check switch
    {
        EvalCheck.ConsistentAcross => 1,
        EvalCheck.MoreUnder => Math.Max(1, @case.Variants.Count(v => e.AppliesTo(v) && v.Labels.Any(l => l.Key == e.VaryName && l.Value == e.UnderLabel))),
        _ => Math.Max(1, @case.Variants.Count(e.AppliesTo)),
    };

    private static ExpectationStats StatsOf(EvalCase @case, EvalExpectation e, IReadOnlyList<SampleResult> samples)
    {
        var grades = samples.SelectMany(s => s.Grades).Where(g => g.Expectation == e.Index).ToList();
        var passes = grades.Count(g => g.Outcome == Outcome.Pass);
        var fails = grades.Count(g => g.Outcome == Outcome.Fail);
        // Samples that never finished (an interrupted run) count as errors: they leave the expectation open.
        var missing = Math.Max(0, @case.Samples * PerSample(@case, e) - grades.Count);
        var errors = grades.Count(g => g.Outcome == Outcome.Error) + missing;
        var notApplicable = grades.Count(g => g.Outcome == Outcome.NotApplicable);
        return Stats.Of(passes, fails, errors, @case.Pass, notApplicable);
    }

    /// <summary>Mean Turn of Flip and Number of Flip of an <c>in every reply</c> expectation over its decided trials; null otherwise.</summary>
    internal static FlipStats? FlipOf(EvalCase @case, EvalExpectation e, IEnumerable<SampleResult> samples)
    {
        if (!e.EveryReply) return null;
        var decided = samples.SelectMany(s => s.Grades).Where(g => g.Expectation == e.Index && g.TurnOfFlip is not null && g.Flips is not null).ToList();
        if (decided.Count == 0) return null;
        var replies = @case.Variants.Select(v => v.Turns.Count(t => t.Role == EvalRole.Reply)).DefaultIfEmpty(0).Max();
        return new FlipStats(decided.Average(g => (double)g.TurnOfFlip!.Value), decided.Average(g => (double)g.Flips!.Value), decided.Count, replies);
    }

    /// <summary>The flips of <paramref name="direction"/> over the samples: only <c>hold its answer</c> with an <c>answer</c> counts them, else null.</summary>
    private static int? Flips(EvalCase @case, EvalExpectation e, IReadOnlyList<SampleResult> samples, AnswerFlip direction) =>
        e.Check == EvalCheck.HoldsAnswer && @case.Answer is not null
            ? samples.SelectMany(s => s.Grades).Count(g => g.Expectation == e.Index && g.AnswerFlip == direction)
            : null;

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
        return Comparison(onlyTarget, onlyBaseline, targetStats, baseStats);
    }

    /// <summary>
    /// The one definition of a regression (README): a lower rate with an exact McNemar p &lt; 0.05 over the discordant
    /// pairs, or failing on the target while holding on the baseline.
    /// </summary>
    private static BaselineComparison Comparison(int onlyTarget, int onlyBaseline, ExpectationStats targetStats, ExpectationStats baseStats)
    {
        var p = Stats.McNemarExact(onlyTarget, onlyBaseline);
        double? delta = targetStats.Rate is { } tr && baseStats.Rate is { } br ? tr - br : null;
        var regression = (delta < 0 && p < 0.05) || (targetStats.Status == ExpectationStatus.Fails && baseStats.Status == ExpectationStatus.Holds);
        return new BaselineComparison(baseStats, delta, p, regression);
    }

    /// <summary>A jury's figures over every question it was asked for expectation <paramref name="index"/> (null without a jury).</summary>
    private static JuryAgreement? JuryOf(int index, IEnumerable<SampleResult> samples) =>
        JuryAgreement.Of(samples.SelectMany(s => s.Grades).Where(g => g.Expectation == index).SelectMany(g => g.Jury ?? Array.Empty<IReadOnlyList<JudgeVote>>()));
}
