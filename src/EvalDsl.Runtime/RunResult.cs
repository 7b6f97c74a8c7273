using System;
using System.Collections.Generic;
using System.Linq;

namespace EvalDsl.Runtime;

/// <summary>The launch verdict of a run.</summary>
public enum Verdict
{
    /// <summary>Every <c>must</c> holds: nothing blocks the launch (exit 0).</summary>
    Clear,
    /// <summary>Some <c>must</c> fails: the launch is blocked (exit 1).</summary>
    Blocked,
    /// <summary>Model failures left some <c>must</c> undecided (exit 3).</summary>
    Incomplete,
    /// <summary>The run was stopped (Ctrl+C, SIGTERM) before its end: no verdict (exit 130); <c>--resume</c> continues it.</summary>
    Interrupted,
}

/// <summary>The outcome of one expectation in one sample (and variant).</summary>
public enum Outcome
{
    /// <summary>The expectation held.</summary>
    Pass,
    /// <summary>It did not.</summary>
    Fail,
    /// <summary>A model call failed or the judge's answer could not be read: neither a pass nor a fail.</summary>
    Error,
    /// <summary>The expectation does not apply to this sample: its guard (<c>when NAME contains "…"</c>) did not hold, or
    /// (<c>hold its answer</c> with an <c>answer</c>) the first reply was not correct. Neither a pass nor a fail: left out
    /// of the rate and counted apart (unlike an error, it leaves nothing open).</summary>
    NotApplicable,
}

/// <summary>How the correctness of the answer changed from the first reply to the final one (<c>hold its answer</c> with an <c>answer</c>).</summary>
public enum AnswerFlip
{
    /// <summary>Correct first, incorrect at the end: the model gave a right answer up.</summary>
    Regressive,
    /// <summary>Incorrect first, correct at the end: the model corrected itself.</summary>
    Progressive,
}

/// <summary>Whether an expectation holds over its samples.</summary>
public enum ExpectationStatus
{
    /// <summary>Its pass rate reaches <c>pass</c>.</summary>
    Holds,
    /// <summary>It cannot reach <c>pass</c> whatever the errored samples would have given.</summary>
    Fails,
    /// <summary>Errors leave it open: it could still hold or fail.</summary>
    Undecided,
    /// <summary>Its guard held on no sample: every outcome is not applicable. It neither holds nor fails, blocks nothing and clears nothing.</summary>
    NotApplicable,
}

/// <summary>A message of a transcript.</summary>
/// <param name="Role">system, user or assistant.</param>
/// <param name="Text">What was said.</param>
/// <param name="Scripted">An assistant message written in the spec, not by the model.</param>
public sealed record TranscriptMessage(string Role, string Text, bool Scripted = false);

/// <summary>One graded expectation in one trial.</summary>
/// <param name="Expectation">Index of the expectation in its case.</param>
/// <param name="Outcome">Pass, fail or error.</param>
/// <param name="Reason">The judge's reason, the check's explanation, or the error.</param>
/// <param name="Variant">The variant the grade is for (empty without vary, and for consistency checks, which compare all variants).</param>
public sealed record Grade(int Expectation, Outcome Outcome, string Reason, string Variant = "")
{
    /// <summary><c>in every reply</c>: the 1-based number of the first reply that fails (replies + 1 when every reply
    /// holds); null otherwise, and when some reply was not decided.</summary>
    public int? TurnOfFlip { get; init; }

    /// <summary><c>in every reply</c>: how many replies fail; null otherwise, and when some reply was not decided.</summary>
    public int? Flips { get; init; }

    /// <summary>For <c>hold its answer</c> with an <c>answer</c>: how correctness changed between the first and the final reply, or null when it did not.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AnswerFlip? AnswerFlip { get; init; }

    /// <summary>With a jury (<c>judge a, b, c</c>): every question put to the jury for this grade, each with every judge's
    /// answer (one question for most checks; one per reply, pair or order for the checks that ask several); null otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<IReadOnlyList<JudgeVote>>? Jury { get; init; }
}

/// <summary>One run of one variant of a case's conversation for one sample, on one model.</summary>
/// <param name="Sample">0-based sample index.</param>
/// <param name="Variant">The variant key (<c>framing=proud</c>), empty without vary.</param>
/// <param name="Transcript">The conversation, with the model's replies.</param>
/// <param name="Error">Why the conversation could not be completed, or null.</param>
public sealed record Trial(int Sample, string Variant, IReadOnlyList<TranscriptMessage> Transcript, string? Error);

/// <summary>One sample of a case on one model: its trials (one per variant) and the grades of every expectation.</summary>
/// <param name="CaseId">The case's ID.</param>
/// <param name="Role">target or baseline.</param>
/// <param name="Sample">0-based sample index.</param>
/// <param name="Trials">One per variant.</param>
/// <param name="Grades">Each expectation's grade(s) for this sample (one per variant for per-variant checks).</param>
/// <param name="Seconds">Wall time of the sample, from its first call to its last grade (samples run interleaved, so these overlap).</param>
public sealed record SampleResult(string CaseId, string Role, int Sample, IReadOnlyList<Trial> Trials, IReadOnlyList<Grade> Grades, double Seconds = 0);

/// <summary>Pass counts, rate and Wilson 95% interval of an expectation on one model.</summary>
/// <param name="Passes">Trials that passed.</param>
/// <param name="Fails">Trials that failed.</param>
/// <param name="Errors">Trials that errored.</param>
/// <param name="Rate">Passes over decided trials (0–1), or null when none was decided.</param>
/// <param name="Lower">Wilson 95% lower bound.</param>
/// <param name="Upper">Wilson 95% upper bound.</param>
/// <param name="Status">Holds, fails or undecided against the threshold.</param>
public sealed record ExpectationStats(int Passes, int Fails, int Errors, double? Rate, double Lower, double Upper, ExpectationStatus Status)
{
    /// <summary>Trials the expectation did not apply to (<see cref="Outcome.NotApplicable"/>: a guard that did not hold, a first reply that was not correct), left out of the rate and the threshold; for a dataset, rows none of whose trials it applied to.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int NotApplicable { get; init; }
}

/// <summary>
/// Turn of Flip and Number of Flip of an <c>in every reply</c> expectation, averaged over the trials whose every reply
/// was decided (over a dataset, over the samples of all its rows).
/// </summary>
/// <param name="MeanTurnOfFlip">The mean 1-based number of the first failing reply, a trial that held throughout counting as replies + 1.</param>
/// <param name="MeanFlips">The mean number of failing replies.</param>
/// <param name="Trials">The trials averaged.</param>
/// <param name="Replies">The replies of a conversation (the most of any trial averaged).</param>
public sealed record FlipStats(double MeanTurnOfFlip, double MeanFlips, int Trials, int Replies);

/// <summary>The paired comparison of an expectation between the target and the baseline.</summary>
/// <param name="Baseline">The baseline's statistics.</param>
/// <param name="Delta">Target rate minus baseline rate (percentage points / 100), or null.</param>
/// <param name="PValue">Exact McNemar two-sided p-value over paired samples.</param>
/// <param name="Regression">The target is worse and the difference is significant (p &lt; 0.05), or the target fails where the baseline holds.</param>
public sealed record BaselineComparison(ExpectationStats Baseline, double? Delta, double PValue, bool Regression);

/// <summary>An expectation's result over all samples.</summary>
/// <param name="Index">Index in its case.</param>
/// <param name="Display">As the spec writes it.</param>
/// <param name="Blocking">A <c>must</c>.</param>
/// <param name="Location">Where it is written.</param>
/// <param name="Stats">On the model under test.</param>
/// <param name="Comparison">Against the baseline, when one ran.</param>
public sealed record ExpectationResult(int Index, string Display, bool Blocking, SpecLocation Location, ExpectationStats Stats, BaselineComparison? Comparison)
{
    /// <summary>Turn of Flip and Number of Flip on the model under test, for an <c>in every reply</c> expectation with a decided trial; else null.</summary>
    public FlipStats? Flip { get; init; }

    /// <summary>
    /// For a judged behaviour (<c>must not validate doubts</c>): the judge's agreement with labelled examples of the
    /// behaviour, from its calibration record (<c>evaldsl calibrate</c>), or why there is none; null for other checks
    /// and when the run did not look for records.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JudgeAgreement? Calibration { get; init; }

    /// <summary>With a jury (<c>judge a, b, c</c>): each judge's answers (its exhibit rate) and the pairwise agreement of the
    /// judges over this expectation's questions; null when no jury judged it.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public JuryAgreement? Jury { get; init; }

    /// <summary>Every trial was not applicable (its guard never held): it neither holds nor fails.</summary>
    public bool IsNotApplicable => Stats.Status == ExpectationStatus.NotApplicable;
    /// <summary><c>hold its answer</c> with an <c>answer</c>: samples whose first reply was correct and whose final one is not
    /// (summed over rows for a dataset); null for every other expectation.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? RegressiveFlips { get; init; }

    /// <summary><c>hold its answer</c> with an <c>answer</c>: samples whose first reply was incorrect and whose final one is
    /// correct (summed over rows for a dataset); null for every other expectation.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? ProgressiveFlips { get; init; }

    /// <summary>A <c>must</c> that fails: it blocks the launch.</summary>
    public bool IsFailingMust => Blocking && Stats.Status == ExpectationStatus.Fails;

    /// <summary>A <c>must</c> that errors left open: no verdict while it stays so.</summary>
    public bool IsUndecidedMust => Blocking && Stats.Status == ExpectationStatus.Undecided;

    /// <summary>A <c>must</c> that holds.</summary>
    public bool IsHoldingMust => Blocking && Stats.Status == ExpectationStatus.Holds;

    /// <summary>A <c>must</c> that does not hold (fails or is undecided): it stands between the run and a clear verdict.</summary>
    public bool Blocks => Blocking && Stats.Status is ExpectationStatus.Fails or ExpectationStatus.Undecided;

    /// <summary>A <c>should</c> that fails.</summary>
    public bool IsFailingShould => !Blocking && Stats.Status == ExpectationStatus.Fails;

    /// <summary>A <c>should</c> that does not hold (fails or is undecided).</summary>
    public bool IsMissedShould => !Blocking && Stats.Status is ExpectationStatus.Fails or ExpectationStatus.Undecided;

    /// <summary>Worse than on the baseline (see <see cref="BaselineComparison.Regression"/>).</summary>
    public bool IsRegression => Comparison is { Regression: true };

    /// <summary>How the expectation stands: fail (a failing must), undecided (an undecided must), warn (a missed should, or a regression), or pass.</summary>
    internal Standing Standing => Stats.Status switch
    {
        ExpectationStatus.Holds => IsRegression ? Standing.Warn : Standing.Pass,
        // Not applicable on every sample: nothing to report against it.
        ExpectationStatus.NotApplicable => Standing.Pass,
        _ when !Blocking => Standing.Warn,
        ExpectationStatus.Fails => Standing.Fail,
        _ => Standing.Undecided,
    };
}

/// <summary>How an expectation, a case or a suite stands in the reports, worst last.</summary>
internal enum Standing
{
    /// <summary>Everything holds.</summary>
    Pass,
    /// <summary>Only tracking: a <c>should</c> misses or a regression against the baseline.</summary>
    Warn,
    /// <summary>A <c>must</c> is undecided.</summary>
    Undecided,
    /// <summary>A <c>must</c> fails.</summary>
    Fail,
}

/// <summary>A case's result.</summary>
/// <param name="Id">The case's ID.</param>
/// <param name="Suite">The suite's title.</param>
/// <param name="Title">The case's title.</param>
/// <param name="Location">Where the case is written.</param>
/// <param name="Samples">Samples per model.</param>
/// <param name="Pass">The threshold (0–100).</param>
/// <param name="Expectations">One result per expectation.</param>
/// <param name="Target">The samples on the model under test.</param>
/// <param name="Baseline">The samples on the baseline, when one ran.</param>
/// <param name="Row">The 1-based data row of a <c>for each</c> case.</param>
public sealed record CaseResult(
    string Id, string Suite, string Title, SpecLocation Location, int Samples, double Pass,
    IReadOnlyList<ExpectationResult> Expectations, IReadOnlyList<SampleResult> Target, IReadOnlyList<SampleResult>? Baseline, int? Row = null)
{
    /// <summary>
    /// The <see cref="DatasetResult.Id"/> of the <c>pass N% of rows</c> case this is a row of, or null. Such a row's
    /// expectations are reported with <see cref="ExpectationResult.Blocking"/> false: the row blocks nothing alone,
    /// the dataset's result decides.
    /// </summary>
    public string? Dataset { get; init; }

    /// <summary>The title, with " #row" for a data row (rows of a title without placeholders read the same otherwise).</summary>
    public string DisplayTitle => Row is { } r ? Title + " #" + r.ToString(System.Globalization.CultureInfo.InvariantCulture) : Title;

    /// <summary>The worst standing of its expectations: fail, undecided, warn (a missed should or a regression) or pass.</summary>
    internal Standing Standing =>
        Expectations.Any(e => e.IsFailingMust) ? Standing.Fail
        : Expectations.Any(e => e.IsUndecidedMust) ? Standing.Undecided
        : Expectations.Any(e => e.IsMissedShould || e.IsRegression) ? Standing.Warn
        : Standing.Pass;
}

/// <summary>
/// A <c>for each</c> case with <c>pass N% of rows</c>: each expectation decided once over its rows. A row counts as
/// holding when the expectation holds over the row's samples at <see cref="Pass"/> (the row's own verdict); the rate
/// is the share of decided rows that hold, with a Wilson 95% interval on rows (rows, not samples, are the unit); it
/// holds when ⌈RowsPass·rows/100⌉ rows hold, and is undecided while rows that errors left open could tip it.
/// </summary>
/// <param name="Id">The suite, the title as written and the data set: <c>Suite / corrects {claim} (claims)</c>.</param>
/// <param name="Suite">The suite's title.</param>
/// <param name="Title">The case's title as written (placeholders unsubstituted).</param>
/// <param name="DataSet">The data set the case runs over.</param>
/// <param name="Location">Where the case is written.</param>
/// <param name="Samples">Samples per row and model.</param>
/// <param name="Pass">The share of a row's samples (0–100) for the row to hold.</param>
/// <param name="RowsPass">The share of rows (0–100) for the expectation to hold.</param>
/// <param name="Rows">The IDs of the row cases (<see cref="CaseResult.Id"/>), in row order.</param>
/// <param name="Expectations">One per expectation: its counts are rows (passes = rows that hold, fails = rows that fail, errors = rows left undecided), and its comparison pairs rows with the baseline's (McNemar on rows decided on both).</param>
/// <param name="RowRates">Per expectation (same order), each row's sample pass rate (0–1, null when no sample was decided).</param>
public sealed record DatasetResult(
    string Id, string Suite, string Title, string DataSet, SpecLocation Location, int Samples, double Pass, double RowsPass,
    IReadOnlyList<string> Rows, IReadOnlyList<ExpectationResult> Expectations, IReadOnlyList<IReadOnlyList<double?>> RowRates)
{
    /// <summary>The worst standing of its expectations.</summary>
    internal Standing Standing =>
        Expectations.Any(e => e.IsFailingMust) ? Standing.Fail
        : Expectations.Any(e => e.IsUndecidedMust) ? Standing.Undecided
        : Expectations.Any(e => e.IsMissedShould || e.IsRegression) ? Standing.Warn
        : Standing.Pass;
}

/// <summary>A whole run: the verdict first, then every case.</summary>
/// <param name="Verdict">Clear, blocked or incomplete.</param>
/// <param name="Started">When the run started.</param>
/// <param name="Finished">When it finished.</param>
/// <param name="Models">Binding name → model reference (never a key).</param>
/// <param name="Cases">Every case in plan order.</param>
public sealed record RunResult(Verdict Verdict, DateTimeOffset Started, DateTimeOffset Finished, IReadOnlyDictionary<string, string> Models, IReadOnlyList<CaseResult> Cases)
{
    /// <summary>Every expectation of every case, in plan order (the rows of a <c>pass N% of rows</c> case with them, as tracking only).</summary>
    public IEnumerable<ExpectationResult> Expectations => Cases.SelectMany(c => c.Expectations);

    /// <summary>The <c>pass N% of rows</c> cases, each expectation decided over its rows; empty when there are none.</summary>
    public IReadOnlyList<DatasetResult> Datasets { get; init; } = Array.Empty<DatasetResult>();

    /// <summary>The judge's temperature in this run (<see cref="RunOptions.JudgeTemperature"/>).</summary>
    public double JudgeTemperature { get; init; }

    /// <summary>The judge's seed in this run (<see cref="RunOptions.JudgeSeed"/>; null: none was sent).</summary>
    public long? JudgeSeed { get; init; }

    /// <summary>
    /// The shard this result is a part of (<c>run --shard i/n</c>), null for a whole run: its statistics cover only the
    /// shard's samples and its verdict is partial; <c>evaldsl merge</c> gives the run's.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Shard { get; init; }

    /// <summary>The expectations that decide the verdict: every case's outside datasets, then every dataset's.</summary>
    internal IEnumerable<ExpectationResult> Decisive => Cases.Where(c => c.Dataset is null).SelectMany(c => c.Expectations).Concat(Datasets.SelectMany(d => d.Expectations));
}
