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
    public static ScriptObject Of(ReportView v, Func<IEnumerable<Func<CaseView>>, object> cases) => new()
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

    private static ScriptObject Of(SuiteView v, Func<IEnumerable<Func<CaseView>>, object> cases) => new()
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

    private static ScriptArray Array<T>(IEnumerable<T> items, Func<T, object?> of)
    {
        var array = new ScriptArray();
        foreach (var item in items) array.Add(of(item));
        return array;
    }
}
