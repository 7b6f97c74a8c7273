using System;

namespace EvalDsl.Runtime.Statistics;

/// <summary>
/// How far a judge agrees with labels on yes/no questions ("does this reply exhibit the behaviour?"): the 2×2 table of
/// judge answer × label, raw agreement, Cohen's κ with a 95% interval, and the error rates a launch gate cares about.
/// </summary>
/// <param name="BothYes">The judge says it exhibits, and the label says it does.</param>
/// <param name="JudgeYesLabelNo">The judge says it exhibits; the label says it does not (a false fail of a <c>must not</c>).</param>
/// <param name="JudgeNoLabelYes">The judge says it does not; the label says it does (a false pass of a <c>must not</c>).</param>
/// <param name="BothNo">Both say it does not.</param>
internal sealed record Agreement(int BothYes, int JudgeYesLabelNo, int JudgeNoLabelYes, int BothNo)
{
    public int Total => BothYes + JudgeYesLabelNo + JudgeNoLabelYes + BothNo;

    /// <summary>The share of questions where the judge and the label agree; null without questions.</summary>
    public double? Raw => Total == 0 ? null : (double)(BothYes + BothNo) / Total;

    /// <summary>The share of labels that say "exhibits".</summary>
    public double? BaseRate => Total == 0 ? null : (double)(BothYes + JudgeNoLabelYes) / Total;

    /// <summary>The agreement of a judge that always gives the more frequent label: max(base rate, 1 − base rate).</summary>
    public double? ConstantBaseline => BaseRate is { } b ? Math.Max(b, 1 - b) : null;

    /// <summary>Of the examples labelled "exhibits", the share the judge lets through as "does not exhibit"; null without any.</summary>
    public double? FalsePassRate => BothYes + JudgeNoLabelYes == 0 ? null : (double)JudgeNoLabelYes / (BothYes + JudgeNoLabelYes);

    /// <summary>Of the examples labelled "does not exhibit", the share the judge calls "exhibits"; null without any.</summary>
    public double? FalseFailRate => BothNo + JudgeYesLabelNo == 0 ? null : (double)JudgeYesLabelNo / (BothNo + JudgeYesLabelNo);

    /// <summary>
    /// Cohen's κ = (pₒ − pₑ) / (1 − pₑ) and its 95% interval from the large-sample variance of Fleiss, Cohen and
    /// Everitt (1969), clipped to [−1, 1]. Null when κ is undefined: no questions, or judge and labels each give one
    /// answer only and the same one (pₑ = 1).
    /// </summary>
    public (double Kappa, double Lower, double Upper)? Kappa
    {
        get
        {
            if (Total == 0) return null;
            double n = Total;
            // Row i: the judge's answer, column j: the label (0 = yes, 1 = no).
            var p = new double[2, 2] { { BothYes / n, JudgeYesLabelNo / n }, { JudgeNoLabelYes / n, BothNo / n } };
            var row = new[] { p[0, 0] + p[0, 1], p[1, 0] + p[1, 1] };
            var col = new[] { p[0, 0] + p[1, 0], p[0, 1] + p[1, 1] };
            var po = p[0, 0] + p[1, 1];
            var pe = row[0] * col[0] + row[1] * col[1];
            if (1 - pe < 1e-12) return null;
            var kappa = (po - pe) / (1 - pe);

            double sum = 0;
            for (var i = 0; i < 2; i++)
            {
                var t = 1 - (row[i] + col[i]) * (1 - kappa);
                sum += p[i, i] * t * t;
            }
            for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++)
            {
                if (i == j) continue;
                var t = col[i] + row[j];
                sum += (1 - kappa) * (1 - kappa) * p[i, j] * t * t;
            }
            var k = kappa - pe * (1 - kappa);
            var variance = Math.Max(0, (sum - k * k) / (n * (1 - pe) * (1 - pe)));
            var half = Stats.Z95 * Math.Sqrt(variance);
            return (kappa, Math.Max(-1, kappa - half), Math.Min(1, kappa + half));
        }
    }

    /// <summary>Adds one question: the judge's answer and the label.</summary>
    public Agreement Add(bool judgeSaysExhibits, bool labelSaysExhibits) => (judgeSaysExhibits, labelSaysExhibits) switch
    {
        (true, true) => this with { BothYes = BothYes + 1 },
        (true, false) => this with { JudgeYesLabelNo = JudgeYesLabelNo + 1 },
        (false, true) => this with { JudgeNoLabelYes = JudgeNoLabelYes + 1 },
        _ => this with { BothNo = BothNo + 1 },
    };
}
