using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Calibration;
using EvalDsl.Runtime.Grading;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime;

/// <summary>
/// How far the bound <c>judge</c> agrees with labelled examples: every behaviour's <c>shows</c> lines (labelled
/// "exhibits") and <c>lacks</c> lines ("does not"), and the lines of gold files. Per behaviour and overall: raw
/// agreement, Cohen's κ with its 95% interval, the base rate and a constant-predictor baseline, the confusion matrix,
/// the false-pass rate, the share of questions whose answers differ across repeats, and the disagreeing examples.
/// </summary>
public sealed class JudgeCalibration
{
    /// <summary>The folder of calibration records, under the working folder (<c>.evaldsl/calibration</c>).</summary>
    public const string RecordFolder = ".evaldsl/calibration";

    /// <summary>The report file name <c>calibrate --report DIR</c> writes (<c>calibration.json</c>).</summary>
    public const string FileName = "calibration.json";

    private readonly IReadOnlyList<ExampleAnswers> _answers;
    private readonly IReadOnlyList<Figures> _behaviors;
    private readonly Figures _overall;

    private JudgeCalibration(string judge, string templateHash, string catalogueHash, RunOptions options, int repeat, IReadOnlyList<ExampleAnswers> answers, IReadOnlyList<Figures> behaviors, Figures overall, DateTimeOffset date)
    {
        JudgeIdentity = judge;
        TemplateHash = templateHash;
        CatalogueHash = catalogueHash;
        Temperature = options.JudgeTemperature;
        Seed = options.JudgeSeed;
        Repeat = repeat;
        _answers = answers;
        _behaviors = behaviors;
        _overall = overall;
        Date = date;
    }

    /// <summary>The judge model as bound, without credentials (<c>openai:gpt-4o@https://host/v1</c>, <c>replay:judge</c>).</summary>
    public string JudgeIdentity { get; }

    /// <summary>A hash of the judge template and system text the judge was asked with.</summary>
    public string TemplateHash { get; }

    /// <summary>A hash of the behaviours calibrated (phrases, meanings, examples).</summary>
    public string CatalogueHash { get; }

    /// <summary>The judge's temperature.</summary>
    public double Temperature { get; }

    /// <summary>The judge's seed (null: none sent).</summary>
    public long? Seed { get; }

    /// <summary>How many times each question was asked.</summary>
    public int Repeat { get; }

    /// <summary>When the calibration ran.</summary>
    public DateTimeOffset Date { get; }

    /// <summary>The questions asked (examples, not counting repeats).</summary>
    public int Questions => _answers.Count;

    /// <summary>One line per question the judge could not answer (after retries): the example's id and why. For a jury,
    /// every judge's (prefixed with the judge): the jury's figures are complete only when every judge answered everything.</summary>
    public IReadOnlyList<string> Failures => _answers.Where(a => a.Errors.Count > 0).Select(a => $"{a.Example.Id}: {a.Errors[0]}")
        .Concat(Members.SelectMany(m => m.Failures.Select(f => $"{m.JudgeIdentity}: {f}"))).ToList();

    /// <summary>For a jury (<c>--judge A --judge B --judge C</c>): each judge's own calibration, in the jury's order; empty for one judge.</summary>
    public IReadOnlyList<JudgeCalibration> Members { get; private init; } = Array.Empty<JudgeCalibration>();

    /// <summary>For a jury: the questions (first repeat) on which the judges that answered were tied, so the jury gave no answer.</summary>
    public int Ties { get; private init; }

    /// <summary>For a jury: the agreement of every pair of its judges over the questions (first repeat); null for one judge.</summary>
    public JuryAgreement? Pairs { get; private init; }

    /// <summary>
    /// Calibrates the <c>judge</c> binding of <paramref name="models"/> on the examples of <paramref name="behaviors"/>
    /// (one per phrase: the first wins) and of the gold file <paramref name="goldPath"/> (JSONL; see the README), asking
    /// each question <paramref name="repeat"/> times. Throws <see cref="FormatException"/> (<c>file(line,col): error: …</c>)
    /// for a bad gold file and <see cref="ModelSetupException"/> when no judge is bound, before any call.
    /// </summary>
    public static async Task<JudgeCalibration> RunAsync(ModelBindings models, IEnumerable<EvalBehavior> behaviors, RunOptions options, int repeat, string? goldPath = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(behaviors);
        ArgumentNullException.ThrowIfNull(options);
        if (repeat < 1) throw new ArgumentOutOfRangeException(nameof(repeat), "repeat must be at least 1");
        var catalogue = Examples.Distinct(behaviors);
        var examples = Examples.Of(catalogue).ToList();
        if (goldPath is not null) examples.AddRange(GoldFile.Read(goldPath, goldPath.Replace('\\', '/'), catalogue));
        var prompt = new JudgePrompt(options.JudgeTemplate);
        var date = DateTimeOffset.UtcNow;
        var caller = new ModelCaller(options);
        if (models.JuryOf("judge") is { } jury)
        {
            // Each judge of the jury is calibrated as one judge is; the jury's answer to each question and repeat is the
            // majority of the judges that answered (a tie is no answer), as run decides.
            var members = new List<JudgeCalibration>();
            var names = new List<string>();
            foreach (var name in jury)
            {
                var member = await Task.Run(() => models.Resolve(name), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
                var memberAnswers = await CalibrationEngine.AskAsync(member, caller, prompt, options, examples, repeat, cancellationToken).ConfigureAwait(false);
                members.Add(Build(member.Identity, memberAnswers, catalogue, options, repeat, date));
                names.Add(name);
            }
            var juryAnswers = examples.Select((e, i) => new ExampleAnswers(e,
                Enumerable.Range(0, repeat).Select(r => MajorityOf(members.Select(m => m._answers[i].Answers[r]))).ToList(), Array.Empty<string>())).ToList();
            var ballots = examples.Select((e, i) => (IReadOnlyList<JudgeVote>)members.Select((m, k) =>
                new JudgeVote(names[k], m._answers[i].First is { } v ? (v ? "yes" : "no") : null, "")).ToList());
            var ties = examples.Where((e, i) => juryAnswers[i].First is null && members.Any(m => m._answers[i].First is not null)).Count();
            return Build(models.IdentityOf(jury), juryAnswers, catalogue, options, repeat, date).WithMembers(members, ties, JuryAgreement.Of(ballots));
        }
        var judge = await Task.Run(() => models.Resolve("judge"), CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        var answers = await CalibrationEngine.AskAsync(judge, caller, prompt, options, examples, repeat, cancellationToken).ConfigureAwait(false);
        return Build(judge.Identity, answers, catalogue, options, repeat, date);
    }

    /// <summary>A jury's answer: the strict majority of the answers given; null for none or a tie.</summary>
    private static bool? MajorityOf(IEnumerable<bool?> answers)
    {
        var given = answers.Where(a => a.HasValue).Select(a => a!.Value).ToList();
        var yes = given.Count(a => a);
        return yes * 2 > given.Count ? true : (given.Count - yes) * 2 > given.Count ? false : null;
    }

    private static JudgeCalibration Build(string identity, IReadOnlyList<ExampleAnswers> answers, IReadOnlyList<EvalBehavior> catalogue, RunOptions options, int repeat, DateTimeOffset date)
    {

        // Per behaviour in catalogue order, gold examples with their behaviour's own.
        var figures = catalogue
            .Select(b => Figures.Of(b.Phrase, BehaviorHash(b), answers.Where(a => Examples.KeyOf(a.Example.Behavior.Phrase) == Examples.KeyOf(b.Phrase)).ToList(), repeat))
            .Where(f => f.Table.Total + f.Failed.Count > 0)
            .ToList();
        var overall = Figures.Of("overall", null, answers, repeat);
        return new JudgeCalibration(identity, TemplateHashOf(options.JudgeTemplate), CatalogueHashOf(catalogue), options, repeat, answers, figures, overall, date);
    }

    private JudgeCalibration WithMembers(IReadOnlyList<JudgeCalibration> members, int ties, JuryAgreement? pairs) =>
        new(JudgeIdentity, TemplateHash, CatalogueHash, new RunOptions { JudgeTemperature = Temperature, JudgeSeed = Seed }, Repeat, _answers, _behaviors, _overall, Date)
        {
            Members = members, Ties = ties, Pairs = pairs,
        };

    /// <summary>
    /// Puts the judge's calibration (<see cref="ExpectationResult.Calibration"/>) beside every judged behaviour
    /// expectation of <paramref name="result"/>, read from the records in <paramref name="folder"/> (default
    /// <see cref="RecordFolder"/>). A record vouches for an expectation when it is fresh: made for the same judge
    /// identity, judge template and temperature, and for the same definition of the behaviour (its phrase, meaning and
    /// examples). With <paramref name="requireKappa"/>, a <c>must</c> whose judge has no fresh record, or a κ below the
    /// floor, is undecided (whatever the judge said), and the verdict is recomputed.
    /// </summary>
    public static RunResult Annotate(RunResult result, EvalPlan plan, ModelBindings models, RunOptions options, double? requireKappa = null, string? folder = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        return CalibrationGate.Apply(result, plan, models, options, requireKappa, folder ?? RecordFolder);
    }

    /// <summary>A hash of one behaviour's definition: a record of it is fresh only while the behaviour is the same.</summary>
    internal static string BehaviorHash(EvalBehavior b) => Hash(RuntimeJson.Behavior(Examples.KeyOf(b.Phrase), b.Means, b.Shows, b.Lacks));

    internal static string CatalogueHashOf(IEnumerable<EvalBehavior> catalogue) => Hash(string.Join("\n", catalogue.Select(BehaviorHash).OrderBy(h => h, StringComparer.Ordinal)));

    internal static string TemplateHashOf(string? template) => Hash((template ?? JudgePrompt.DefaultTemplate()) + "\n" + JudgePrompt.SystemText);

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant().Substring(0, 16);

    private static readonly Regex Unsafe = new(@"(?:[^A-Za-z0-9._-]|\.\.+|-)+", RegexOptions.CultureInvariant);

    /// <summary>
    /// The record's file name for a judge: the identity with every character outside <c>A-Z a-z 0-9 . _ -</c> as
    /// <c>-</c> (and so every run of dots or dashes; at most 60 characters), then a short hash of the whole identity, and <c>.json</c>.
    /// </summary>
    public static string RecordFileName(string judgeIdentity)
    {
        ArgumentNullException.ThrowIfNull(judgeIdentity);
        var safe = Unsafe.Replace(judgeIdentity, "-").Trim('-', '.');
        if (safe.Length > 60) safe = safe.Substring(0, 60).TrimEnd('-', '.');
        return $"{safe}-{Hash(judgeIdentity).Substring(0, 8)}.json";
    }

    /// <summary>The figures as JSON: what <c>calibration.json</c> and the calibration record hold.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["schemaVersion"] = 1,
            ["judge"] = JudgeIdentity,
            ["judgeTemplateHash"] = TemplateHash,
            ["catalogueHash"] = CatalogueHash,
            ["date"] = Date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["temperature"] = Temperature,
            ["seed"] = Seed,
            ["repeat"] = Repeat,
            ["questions"] = Questions,
            ["overall"] = _overall.ToJson(),
            ["behaviors"] = new JsonArray(_behaviors.Select(b => (JsonNode)b.ToJson()).ToArray()),
            ["failures"] = new JsonArray(Failures.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        };
        if (Members.Count > 0)
        {
            // The jury's figures above; each judge's own overall figures, and how far each pair of judges agrees.
            json["ties"] = Ties;
            json["members"] = new JsonArray(Members.Select(m =>
            {
                var overall = m._overall.ToJson();
                overall["behavior"] = null;
                overall.Remove("behavior");
                overall.Insert(0, "judge", m.JudgeIdentity);
                return (JsonNode)overall;
            }).ToArray());
            json["pairs"] = new JsonArray((Pairs?.Pairs ?? Array.Empty<JurorPair>()).Select(p => (JsonNode)new JsonObject
            {
                ["first"] = p.First, ["second"] = p.Second, ["both"] = p.Both,
                ["agreement"] = p.Agreement is { } a ? Math.Round(a, 4) : null,
                ["kappa"] = p.Kappa is { } k ? Math.Round(k, 4) : null,
            }).ToArray());
        }
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>, replacing the file (its folder is created).</summary>
    public void WriteJson(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson(), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Writes the calibration record, <c>FOLDER/&lt;judge&gt;.json</c> (<see cref="RecordFileName"/>; FOLDER defaults to
    /// <see cref="RecordFolder"/>), which <c>run</c> reads; returns its path. Nothing is written when a question failed.
    /// </summary>
    public string? WriteRecord(string? folder = null)
    {
        if (Failures.Count > 0) return null;
        var path = Path.Combine(folder ?? RecordFolder, RecordFileName(JudgeIdentity));
        WriteJson(path);
        // Each judge of a jury vouches for itself too, as if calibrated alone.
        foreach (var member in Members) member.WriteRecord(folder);
        return path;
    }

    /// <summary>The report page's file name (<c>calibration.html</c>).</summary>
    public const string HtmlFileName = "calibration.html";

    /// <summary>
    /// A self-contained HTML page (no script, nothing loaded from outside; every text escaped) with the calibration
    /// section: the judge, the agreement table per behaviour and overall, the confusion matrix, the disagreeing
    /// examples and the questions the judge could not answer.
    /// </summary>
    public string ToHtml()
    {
        static string E(string text) => System.Net.WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
        html.Append("<title>EvalDsl judge calibration</title>\n<style>\n");
        html.Append("body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}");
        html.Append("th,td{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}");
        html.Append("tr.overall td{font-weight:bold;border-top:2px solid #999}.low{color:#b00020}.muted{color:#777}code{font-size:90%}\n</style>\n</head>\n<body>\n");
        html.Append("<section id=\"calibration\">\n<h1>Judge calibration</h1>\n");
        html.Append($"<p>Judge <code>{E(JudgeIdentity)}</code>, temperature {Temperature.ToString(CultureInfo.InvariantCulture)}, seed {(Seed is { } s ? s.ToString(CultureInfo.InvariantCulture) : "none")}; ");
        html.Append($"{Questions} questions, each asked {Repeat} time{(Repeat == 1 ? "" : "s")}; {E(Date.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))}. ");
        html.Append($"<span class=\"muted\">Template {E(TemplateHash)}, catalogue {E(CatalogueHash)}.</span></p>\n");
        html.Append("<table>\n<thead><tr><th>Behaviour</th><th>n</th><th>Agreement</th><th>κ</th><th>95% interval</th><th>Base rate</th><th>Constant baseline</th><th>False-pass rate</th><th>False-fail rate</th><th>Answers differ</th></tr></thead>\n<tbody>\n");
        foreach (var r in _behaviors.Append(_overall))
        {
            var k = r.Table.Kappa;
            var low = k is { } v && v.Kappa < 0.6 ? " class=\"low\"" : "";
            html.Append(ReferenceEquals(r, _overall) ? "<tr class=\"overall\">" : "<tr>");
            html.Append($"<td>{E(r.Behavior)}</td><td>{r.Table.Total}</td><td>{Percent(r.Table.Raw)}</td><td{low}>{(k is { } a ? a.Kappa.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}</td>");
            html.Append($"<td>{(k is { } b ? $"{b.Lower.ToString("0.00", CultureInfo.InvariantCulture)} – {b.Upper.ToString("0.00", CultureInfo.InvariantCulture)}" : "n/a")}</td>");
            html.Append($"<td>{Percent(r.Table.BaseRate)}</td><td>{Percent(r.Table.ConstantBaseline)}</td><td>{Percent(r.Table.FalsePassRate)}</td><td>{Percent(r.Table.FalseFailRate)}</td><td>{Percent(r.Inconsistent)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        var c = _overall.Table;
        html.Append("<h2>Confusion matrix</h2>\n<table>\n<thead><tr><th>Judge says</th><th>Label: exhibits</th><th>Label: does not</th></tr></thead>\n<tbody>\n");
        html.Append($"<tr><td>exhibits</td><td>{c.BothYes}</td><td>{c.JudgeYesLabelNo}</td></tr>\n<tr><td>does not</td><td>{c.JudgeNoLabelYes}</td><td>{c.BothNo}</td></tr>\n</tbody>\n</table>\n");
        if (Members.Count > 0)
        {
            // A jury: the figures above are the jury's (majority of the judges that answered); each judge's own, and each pair's.
            html.Append($"<h2>Judges of the jury</h2>\n<p>The figures above are the jury's: the majority of the judges that answered; {Ties} question{(Ties == 1 ? "" : "s")} tied (no answer).</p>\n");
            html.Append("<table>\n<thead><tr><th>Judge</th><th>n</th><th>Agreement</th><th>κ</th><th>95% interval</th><th>False-pass rate</th><th>Answers differ</th></tr></thead>\n<tbody>\n");
            foreach (var m in Members)
            {
                var t = m._overall.Table;
                var mk = t.Kappa;
                html.Append($"<tr><td><code>{E(m.JudgeIdentity)}</code></td><td>{t.Total}</td><td>{Percent(t.Raw)}</td><td>{(mk is { } a ? a.Kappa.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}</td>");
                html.Append($"<td>{(mk is { } b ? $"{b.Lower.ToString("0.00", CultureInfo.InvariantCulture)} – {b.Upper.ToString("0.00", CultureInfo.InvariantCulture)}" : "n/a")}</td><td>{Percent(t.FalsePassRate)}</td><td>{Percent(m._overall.Inconsistent)}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n<table>\n<thead><tr><th>Pair</th><th>Both answered</th><th>Agreement</th><th>κ</th></tr></thead>\n<tbody>\n");
            foreach (var p in Pairs?.Pairs ?? Array.Empty<JurorPair>())
            {
                html.Append($"<tr><td>{E(p.First)} – {E(p.Second)}</td><td>{p.Both}</td><td>{Percent(p.Agreement)}</td><td>{(p.Kappa is { } pk ? pk.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("<h2>Disagreements</h2>\n");
        html.Append(_overall.Disagreeing.Count == 0 ? "<p>None.</p>\n" : "<ul>\n" + string.Concat(_overall.Disagreeing.Select(d => $"<li><code>{E(d)}</code></li>\n")) + "</ul>\n");
        if (Failures.Count > 0)
        {
            html.Append("<h2>Questions the judge could not answer</h2>\n<ul>\n" + string.Concat(Failures.Select(f => $"<li>{E(f)}</li>\n")) + "</ul>\n");
        }
        html.Append("<p class=\"muted\">κ corrects agreement for chance: 0 is no better than guessing at the base rate, 1 is perfect. The false-pass rate is the share of replies that exhibit the behaviour which the judge lets through: what a <code>must not</code> misses.</p>\n");
        html.Append("</section>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes <see cref="ToHtml"/> to <paramref name="path"/>, replacing the file (its folder is created).</summary>
    public void WriteHtml(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, ToHtml(), new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The agreement table for a terminal: one row per behaviour, then the overall row, then the disagreeing examples.</summary>
    public string ToTable()
    {
        var rows = _behaviors.Append(_overall).ToList();
        var width = Math.Max(9, rows.Max(r => r.Behavior.Length));
        var text = new StringBuilder();
        text.AppendLine($"{"behaviour".PadRight(width)}  {"n",4}  {"agree",6}  {"κ [95% interval]",-22}  {"base",5}  {"const",6}  {"false-pass",10}  {"differ",6}");
        foreach (var r in rows)
        {
            if (ReferenceEquals(r, _overall)) text.AppendLine(new string('-', width + 76));
            var k = r.Table.Kappa;
            var kappa = k is { } v ? $"{v.Kappa:0.00} [{v.Lower:0.00}, {v.Upper:0.00}]" : "n/a";
            text.AppendLine($"{r.Behavior.PadRight(width)}  {r.Table.Total,4}  {Percent(r.Table.Raw),6}  {kappa,-22}  {Percent(r.Table.BaseRate),5}  {Percent(r.Table.ConstantBaseline),6}  {Percent(r.Table.FalsePassRate),10}  {Percent(r.Inconsistent),6}");
        }
        var c = _overall.Table;
        text.AppendLine();
        text.AppendLine($"confusion (judge × label): exhibits/exhibits {c.BothYes}, exhibits/does not {c.JudgeYesLabelNo}, does not/exhibits {c.JudgeNoLabelYes}, does not/does not {c.BothNo}");
        text.AppendLine(_overall.Disagreeing.Count == 0 ? "disagreements: none" : $"disagreements ({_overall.Disagreeing.Count}): {string.Join(", ", _overall.Disagreeing)}");
        if (Members.Count > 0)
        {
            text.AppendLine($"jury ties (no majority, undecided): {Ties}");
            text.AppendLine();
            text.AppendLine("each judge of the jury (overall):");
            foreach (var m in Members)
            {
                var t = m._overall.Table;
                var k = t.Kappa;
                text.AppendLine($"  {m.JudgeIdentity}: n {t.Total}, agree {Percent(t.Raw)}, κ {(k is { } v ? $"{v.Kappa:0.00} [{v.Lower:0.00}, {v.Upper:0.00}]" : "n/a")}, false-pass {Percent(t.FalsePassRate)}, differ {Percent(m._overall.Inconsistent)}");
            }
            foreach (var p in Pairs?.Pairs ?? Array.Empty<JurorPair>())
            {
                text.AppendLine($"  {p.First}–{p.Second}: agree {Percent(p.Agreement)}, κ {(p.Kappa is { } pk ? pk.ToString("0.00", CultureInfo.InvariantCulture) : "n/a")} on {p.Both}");
            }
        }
        return text.ToString();
    }

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "n/a";
}
