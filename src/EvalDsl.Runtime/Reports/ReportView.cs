using System;
using System.Collections.Generic;

namespace EvalDsl.Runtime.Reports;

// The typed view model that report.sbnhtml renders (HtmlReport builds it; members reach the template in
// snake_case). Every text is already cleaned (ReportText.Clean); the template HTML-escapes it.

/// <summary>The whole page: the verdict, its counts, the models, the suites and what blocks the launch.</summary>
internal sealed record ReportView(
    VerdictView Verdict, int FailingMusts, int UndecidedMusts, int FailingShoulds, int Regressions, bool HasBaseline,
    int CaseCount, IReadOnlyList<ModelView> Models, string Started, string Finished, string Duration,
    IReadOnlyList<SuiteView> Suites, IReadOnlyList<BlockerView> Blockers);

/// <summary>The verdict: its CSS key (<c>blocked</c>, <c>clear</c>…), title and one-line summary.</summary>
internal sealed record VerdictView(string Key, string Title, string Summary);

/// <summary>A model binding: its name and reference.</summary>
internal sealed record ModelView(string Name, string Reference);

/// <summary>A <c>must</c> that does not hold, listed under "What blocks the launch".</summary>
internal sealed record BlockerView(
    string Anchor, string Suite, string CaseName, string Display, string Location, string Status, string StatusLabel,
    string Rate, string Threshold);

/// <summary>A suite: its row in the overview and its section; <see cref="Status"/> is its worst case's. Each of <see cref="Cases"/>
/// makes a case's view when its article is rendered (enumerate it once).</summary>
internal sealed record SuiteView(
    string Anchor, string Title, string Status, int CaseCount, string CasesLabel,
    int FailingCases, int UndecidedCases, int WarningCases, int PassingCases, IEnumerable<Func<CaseView>> Cases);

/// <summary>A case: its heading, expectation table and transcripts.</summary>
internal sealed record CaseView(
    string Anchor, string Name, string Id, string Location, string Samples, string Threshold,
    string Status, string StatusLabel, string Badge, bool HasBaseline,
    IReadOnlyList<ExpectationView> Expectations, IReadOnlyList<RunView> Runs)
{
    /// <summary>For a dataset (<c>pass N% of rows</c>): per expectation, each row's sample pass rate; empty for a case.</summary>
    public IReadOnlyList<string> RowRates { get; init; } = System.Array.Empty<string>();
}

/// <summary>A row of a case's expectation table; the <c>Bar*</c> values are CSS percentages.</summary>
internal sealed record ExpectationView(
    int Index, string Display, string Location, string Kind, string Rate, string Counts, int Errors, string ErrorsLabel,
    string Interval, string Threshold, bool Decided, string BarRate, string BarLow, string BarWidth, string BarThreshold,
    string Status, string StatusLabel, string StatusClass, BaselineView? Baseline)
{
    /// <summary><c>2 of 5 not applicable</c> when a guard did not hold on some trial; empty otherwise.</summary>
    public string NotApplicableLabel { get; init; } = "";

    /// <summary>Turn of Flip and Number of Flip of <c>in every reply</c>; empty otherwise.</summary>
    public string FlipLabel { get; init; } = "";

    /// <summary>The judge's agreement on the expectation's behaviour (<c>run</c> with a calibration record); empty otherwise.</summary>
    public string JudgeLabel { get; init; } = "";
    /// <summary>Samples left out as not applicable and, for hold its answer with an answer, its flips in each direction; empty otherwise.</summary>
    public string Answers { get; init; } = "";
}

/// <summary>An expectation's baseline columns.</summary>
internal sealed record BaselineView(string Rate, string Counts, string Interval, string Delta, string DeltaSign, string PValue, bool Regression);

/// <summary>One trial (a sample of a variant on one model): its transcript and grades.</summary>
internal sealed record RunView(
    string Anchor, string Role, string RoleLabel, string Sample, string Variant, string Status, string Badge,
    string OutcomeSummary, string? Error, IReadOnlyList<MessageView> Messages, IReadOnlyList<GradeView> Grades);

/// <summary>A message of a transcript: its CSS kind, label and text.</summary>
internal sealed record MessageView(string Kind, string Label, string Text);

/// <summary>A grade shown under a transcript.</summary>
internal sealed record GradeView(
    string Display, string Location, string Kind, string Outcome, string OutcomeLabel, string Reason, bool AcrossVariants);
