namespace EvalDsl.Runtime;

/// <summary>
/// How far the judge of a judged expectation can be trusted on its behaviour: the figures of the judge's calibration
/// record (<c>evaldsl calibrate</c>) for that behaviour, or why there are none.
/// </summary>
/// <param name="Behavior">The behaviour's phrase.</param>
/// <param name="Examples">How many labelled examples of the behaviour the judge answered (0 without a record).</param>
/// <param name="Agreement">The share of them it answered as labelled.</param>
/// <param name="Kappa">Cohen's κ (null when undefined: every example labelled alike and answered alike).</param>
/// <param name="KappaLower">The lower end of κ's 95% interval.</param>
/// <param name="KappaUpper">The upper end of κ's 95% interval.</param>
/// <param name="FalsePassRate">Of the examples that exhibit the behaviour, the share the judge said do not.</param>
/// <param name="Date">When the record was made (ISO 8601), or null without one.</param>
/// <param name="Problem">
/// Why the figures cannot vouch for the judge — no record for this judge, a record made with another judge template,
/// temperature or definition of the behaviour, or (under a required floor) a κ below it — or null when they can.
/// </param>
public sealed record JudgeAgreement(
    string Behavior, int Examples, double? Agreement, double? Kappa, double? KappaLower, double? KappaUpper, double? FalsePassRate, string? Date, string? Problem)
{
    /// <summary>The record is fresh and, when a floor was required, κ reaches it.</summary>
    public bool Trusted => Problem is null;

    /// <summary>
    /// As the reports show it beside an expectation: <c>judge κ 0.82 [0.61, 1.00], agrees 91%, false-pass 5% on 12
    /// examples (2026-12-07)</c>, or why the judge is not trusted.
    /// </summary>
    public string Describe()
    {
        static string Two(double value) => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "–";
        var figures = Examples == 0 ? null
            : $"judge κ {(Kappa is { } k ? $"{Two(k)} [{Two(KappaLower ?? k)}, {Two(KappaUpper ?? k)}]" : "n/a")}, agrees {Percent(Agreement)}, false-pass {Percent(FalsePassRate)} on {Examples} example{(Examples == 1 ? "" : "s")}{(Date is { Length: >= 10 } d ? $" ({d.Substring(0, 10)})" : "")}";
        if (Problem is null) return figures ?? "judge not calibrated";
        return figures is null ? $"judge not calibrated: {Problem}" : $"{figures}; not trusted: {Problem}";
    }
}
