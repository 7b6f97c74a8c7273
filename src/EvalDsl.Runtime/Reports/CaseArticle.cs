using System.Net;
using System.Text;

namespace EvalDsl.Runtime.Reports;

/// <summary>
/// One case's <c>&lt;article&gt;</c> of report.html, written from its view (<see cref="CaseView"/>): its expectations
/// with their statistics, then its transcripts (or, for a dataset, its rows' rates). The page around it is the Scriban
/// template report.sbnhtml, which places each article where it says <c>{{ c }}</c>. The articles are most of a page,
/// and written here rather than by the template's interpreter they take a fifth of the time (the page of a run of
/// 2,000 cases was most of what the run did after its last call). Every text that comes from a result is HTML-escaped
/// as the template escapes it (<c>html.escape</c>: <see cref="WebUtility.HtmlEncode(string)"/>); the other values are
/// the view's own keys, labels and figures.
/// </summary>
internal static class CaseArticle
{
    /// <summary>The article of <paramref name="c"/>, indented as in the page, without a newline after it.</summary>
    public static string Write(CaseView c, StringBuilder html)
    {
        html.Clear();
        html.Append("  <article class=\"case\" id=\"").Append(c.Anchor).Append("\" data-status=\"").Append(c.Status).Append("\">\n");
        html.Append("    <h3><span>").Append(E(c.Name)).Append("</span> <span class=\"badge ").Append(c.Badge).Append("\">").Append(c.StatusLabel).Append("</span></h3>\n");
        html.Append("    <div class=\"meta\"><span class=\"loc\">").Append(E(c.Location)).Append("</span> · ").Append(c.Samples).Append(" · pass ").Append(c.Threshold).Append("</div>\n");
        if (c.Expectations.Count == 0)
        {
            html.Append("    <p class=\"empty\">This case has no expectations.</p>\n");
        }
        else
        {
            Expectations(c, html);
        }

        if (c.RowRates.Count > 0)
        {
            html.Append("    <div class=\"rows\">\n      <h4>Per-row rates</h4>\n      <ul>\n");
            foreach (var rate in c.RowRates)
            {
                html.Append("        <li>").Append(E(rate)).Append("</li>\n");
            }

            html.Append("      </ul>\n      <p class=\"muted small\">Counts above are rows: a row holds when the expectation holds over its samples. Each row's transcripts are under its own case.</p>\n    </div>\n");
        }
        else
        {
            Runs(c, html);
        }

        html.Append("  </article>");
        return html.ToString();
    }

    private static void Expectations(CaseView c, StringBuilder html)
    {
        html.Append("    <div class=\"wrap\">\n    <table class=\"expectations\">\n      <thead><tr>\n");
        html.Append("        <th>Expectation</th><th>Kind</th><th>Pass rate</th><th>Wilson 95%</th><th>Threshold</th><th>Status</th>\n");
        if (c.HasBaseline)
        {
            html.Append("<th>Baseline</th><th>Delta</th><th>McNemar p</th>");
        }

        html.Append("      </tr></thead>\n      <tbody>\n");
        foreach (var e in c.Expectations)
        {
            html.Append("        <tr data-status=\"").Append(e.Status).Append("\">\n");
            html.Append("          <td><div class=\"exp-text\">").Append(E(e.Display)).Append("</div><div class=\"loc\">").Append(E(e.Location)).Append("</div>");
            if (e.FlipLabel != "") html.Append("<div class=\"flip muted\">").Append(E(e.FlipLabel)).Append("</div>");
            if (e.JudgeLabel != "") html.Append("<div class=\"judge muted\">").Append(E(e.JudgeLabel)).Append("</div>");
            html.Append("</td>\n");
            html.Append("          <td><span class=\"badge ").Append(e.Kind).Append("\">").Append(e.Kind).Append("</span></td>\n");
            html.Append("          <td class=\"num\">").Append(E(e.Rate)).Append(" <span class=\"muted\">(").Append(E(e.Counts)).Append(")</span>");
            if (e.Errors > 0) html.Append("<br><span class=\"muted\">").Append(E(e.ErrorsLabel)).Append("</span>");
            if (e.NotApplicableLabel != "") html.Append("<br><span class=\"muted\">").Append(E(e.NotApplicableLabel)).Append("</span>");
            if (e.Answers != "") html.Append("<br><span class=\"muted answers\">").Append(E(e.Answers)).Append("</span>");
            html.Append('\n');
            if (e.Decided)
            {
                html.Append("            <div class=\"bar\" aria-hidden=\"true\"><span class=\"ci\" style=\"left:").Append(e.BarLow).Append(";width:").Append(e.BarWidth)
                    .Append("\"></span><span class=\"dot\" style=\"left:").Append(e.BarRate).Append("\"></span><span class=\"thr\" style=\"left:").Append(e.BarThreshold).Append("\"></span></div>\n");
            }

            html.Append("          </td>\n");
            html.Append("          <td class=\"num\">").Append(E(e.Interval)).Append("</td>\n");
            html.Append("          <td class=\"num\">≥ ").Append(E(e.Threshold)).Append("</td>\n");
            html.Append("          <td><span class=\"badge ").Append(e.StatusClass).Append("\">").Append(e.StatusLabel).Append("</span></td>\n");
            if (c.HasBaseline)
            {
                if (e.Baseline is { } b)
                {
                    html.Append("          <td class=\"num\">").Append(E(b.Rate)).Append(" <span class=\"muted\">(").Append(E(b.Counts)).Append(")</span></td>\n");
                    html.Append("          <td class=\"num\"><span class=\"delta ").Append(b.DeltaSign).Append("\">").Append(E(b.Delta)).Append("</span>");
                    if (b.Regression) html.Append("<br><span class=\"badge regression\">regression</span>");
                    html.Append("</td>\n");
                    html.Append("          <td class=\"num\">").Append(E(b.PValue)).Append("</td>\n");
                }
                else
                {
                    html.Append("          <td class=\"muted\">—</td><td></td><td></td>\n");
                }
            }

            html.Append("        </tr>\n");
        }

        html.Append("      </tbody>\n    </table>\n    </div>\n");
    }

    private static void Runs(CaseView c, StringBuilder html)
    {
        html.Append("    <div class=\"runs\">\n      <h4>Transcripts</h4>\n");
        if (c.Runs.Count == 0) html.Append("      <p class=\"empty\">No sample ran.</p>\n");
        foreach (var r in c.Runs)
        {
            html.Append("      <details class=\"run\" id=\"").Append(r.Anchor).Append("\" data-status=\"").Append(r.Status).Append("\">\n");
            html.Append("        <summary><b>").Append(r.RoleLabel).Append("</b> <span>sample ").Append(r.Sample).Append("</span>");
            if (r.Variant != "") html.Append(" <span class=\"variant\">").Append(E(r.Variant)).Append("</span>");
            html.Append(" <span class=\"badge ").Append(r.Badge).Append("\">").Append(E(r.OutcomeSummary)).Append("</span></summary>\n");
            html.Append("        <div class=\"body\">\n");
            if (!string.IsNullOrEmpty(r.Error)) html.Append("          <div class=\"trial-error\"><b>The conversation failed:</b> ").Append(E(r.Error)).Append("</div>\n");
            foreach (var m in r.Messages)
            {
                html.Append("          <div class=\"msg ").Append(m.Kind).Append("\"><div class=\"who\">").Append(E(m.Label)).Append("</div><div class=\"text\" dir=\"auto\">").Append(E(m.Text)).Append("</div></div>\n");
            }

            if (r.Grades.Count > 0)
            {
                html.Append("          <ul class=\"grades\">\n");
                foreach (var g in r.Grades)
                {
                    html.Append("            <li>\n");
                    html.Append("              <div class=\"head\"><span class=\"badge ").Append(g.Outcome).Append("\">").Append(g.OutcomeLabel).Append("</span> <span class=\"exp-text\">").Append(E(g.Display)).Append("</span>");
                    if (g.AcrossVariants) html.Append(" <span class=\"muted\">(compares all variants of this sample)</span>");
                    html.Append(" <span class=\"loc\">").Append(E(g.Location)).Append("</span></div>\n");
                    html.Append("              <p class=\"reason\" dir=\"auto\">").Append(E(g.Reason)).Append("</p>\n");
                    html.Append("            </li>\n");
                }

                html.Append("          </ul>\n");
            }

            html.Append("        </div>\n      </details>\n");
        }

        html.Append("    </div>\n");
    }

    private static string? E(string? text) => text is null ? null : WebUtility.HtmlEncode(text);
}
