using System;
using System.Collections.Generic;
using System.Linq;
using Scriban.Runtime;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// The view model as Scriban objects, built member by member under the snake_case names report.sbnhtml reads
/// (<c>FailingMusts</c> → <c>failing_musts</c>). Explicit rather than <c>ScriptObject.Import(object)</c>, which reads
/// the members by reflection: trimming (Native AOT) would drop them, and a member added to a view record must be
/// added here too for the template to see it.
/// </summary>
internal static class ReportViewScript
{
    /// <summary>The page's view; each suite's <c>cases</c> is what <paramref name="cases"/> makes of its case views.</summary>
    public static ScriptObject Of(ReportView v, Func<IEnumerable<CaseView>, object> cases) => new()
    {
        ["verdict"] = Of(v.Verdict),
        ["failing_musts"] = v.FailingMusts,
        ["undecided_musts"] = v.UndecidedMusts,
        ["failing_shoulds"] = v.FailingShoulds,
        ["regressions"] = v.Regressions,
        ["has_baseline"] = v.HasBaseline,
        ["case_count"] = v.CaseCount,
        ["models"] = Array(v.Models, Of),
        ["started"] = v.Started,
        ["finished"] = v.Finished,
        ["duration"] = v.Duration,
        ["suites"] = Array(v.Suites, s => Of(s, cases)),
        ["blockers"] = Array(v.Blockers, Of),
    };

    private static ScriptObject Of(VerdictView v) => new()
    {
        ["key"] = v.Key,
        ["title"] = v.Title,
        ["summary"] = v.Summary,
    };

    private static ScriptObject Of(ModelView v) => new()
    {
        ["name"] = v.Name,
        ["reference"] = v.Reference,
    };

    private static ScriptObject Of(BlockerView v) => new()
    {
        ["anchor"] = v.Anchor,
        ["suite"] = v.Suite,
        ["case_name"] = v.CaseName,
        ["display"] = v.Display,
        ["location"] = v.Location,
        ["status"] = v.Status,
        ["status_label"] = v.StatusLabel,
        ["rate"] = v.Rate,
        ["threshold"] = v.Threshold,
    };

    private static ScriptObject Of(SuiteView v, Func<IEnumerable<CaseView>, object> cases) => new()
    {
        ["anchor"] = v.Anchor,
        ["title"] = v.Title,
        ["status"] = v.Status,
        ["case_count"] = v.CaseCount,
        ["cases_label"] = v.CasesLabel,
        ["failing_cases"] = v.FailingCases,
        ["undecided_cases"] = v.UndecidedCases,
        ["warning_cases"] = v.WarningCases,
        ["passing_cases"] = v.PassingCases,
        ["cases"] = cases(v.Cases),   // made as the template reaches each case (gone through once)
    };

    /// <summary>One case's view (<c>c</c> in report-case.sbnhtml).</summary>
    public static ScriptObject Of(CaseView v) => new()
    {
        ["anchor"] = v.Anchor,
        ["name"] = v.Name,
        ["id"] = v.Id,
        ["location"] = v.Location,
        ["samples"] = v.Samples,
        ["threshold"] = v.Threshold,
        ["status"] = v.Status,
        ["status_label"] = v.StatusLabel,
        ["badge"] = v.Badge,
        ["has_baseline"] = v.HasBaseline,
        ["expectations"] = Array(v.Expectations, Of),
        ["runs"] = Array(v.Runs, Of),
        ["row_rates"] = Array(v.RowRates, r => r),
    };

    private static ScriptObject Of(ExpectationView v) => new()
    {
        ["index"] = v.Index,
        ["display"] = v.Display,
        ["location"] = v.Location,
        ["kind"] = v.Kind,
        ["rate"] = v.Rate,
        ["counts"] = v.Counts,
        ["errors"] = v.Errors,
        ["errors_label"] = v.ErrorsLabel,
        ["interval"] = v.Interval,
        ["threshold"] = v.Threshold,
        ["decided"] = v.Decided,
        ["bar_rate"] = v.BarRate,
        ["bar_low"] = v.BarLow,
        ["bar_width"] = v.BarWidth,
        ["bar_threshold"] = v.BarThreshold,
        ["status"] = v.Status,
        ["status_label"] = v.StatusLabel,
        ["status_class"] = v.StatusClass,
        ["baseline"] = v.Baseline is { } b ? Of(b) : null,
        ["not_applicable_label"] = v.NotApplicableLabel,
        ["flip_label"] = v.FlipLabel,
        ["judge_label"] = v.JudgeLabel,
        ["answers"] = v.Answers,
    };

    private static ScriptObject Of(BaselineView v) => new()
    {
        ["rate"] = v.Rate,
        ["counts"] = v.Counts,
        ["interval"] = v.Interval,
        ["delta"] = v.Delta,
        ["delta_sign"] = v.DeltaSign,
        ["p_value"] = v.PValue,
        ["regression"] = v.Regression,
    };

    private static ScriptObject Of(RunView v) => new()
    {
        ["anchor"] = v.Anchor,
        ["role"] = v.Role,
        ["role_label"] = v.RoleLabel,
        ["sample"] = v.Sample,
        ["variant"] = v.Variant,
        ["status"] = v.Status,
        ["badge"] = v.Badge,
        ["outcome_summary"] = v.OutcomeSummary,
        ["error"] = v.Error,
        ["messages"] = Array(v.Messages, Of),
        ["grades"] = Array(v.Grades, Of),
    };

    private static ScriptObject Of(MessageView v) => new()
    {
        ["kind"] = v.Kind,
        ["label"] = v.Label,
        ["text"] = v.Text,
    };

    private static ScriptObject Of(GradeView v) => new()
    {
        ["display"] = v.Display,
        ["location"] = v.Location,
        ["kind"] = v.Kind,
        ["outcome"] = v.Outcome,
        ["outcome_label"] = v.OutcomeLabel,
        ["reason"] = v.Reason,
        ["across_variants"] = v.AcrossVariants,
    };

    private static ScriptArray Array<T>(IEnumerable<T> items, Func<T, object?> of)
    {
        var array = new ScriptArray();
        foreach (var item in items) array.Add(of(item));
        return array;
    }
}
