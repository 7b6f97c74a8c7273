using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime.Calibration;

/// <summary>
/// Puts the judge's calibration beside every judged behaviour expectation of a run, and with a required floor, makes a
/// <c>must</c> the judge cannot be trusted on undecided: a pass or a fail from an unmeasured judge decides nothing.
/// </summary>
internal static class CalibrationGate
{
    /// <summary>One behaviour's entry in a record.</summary>
    private sealed record Entry(string Hash, int N, double? Agreement, double? Kappa, double? Lower, double? Upper, double? FalsePass);

    /// <summary>A record as read: null figures when the file is missing or unreadable (with why).</summary>
    private sealed record Record(string? TemplateHash, double? Temperature, string? Date, IReadOnlyDictionary<string, Entry> Behaviors, string? Unreadable);

    public static RunResult Apply(RunResult result, EvalPlan plan, ModelBindings models, RunOptions options, double? floor, string folder)
    {
        var cases = plan.Cases.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var templateHash = JudgeCalibration.TemplateHashOf(options.JudgeTemplate);
        var records = new Dictionary<string, (string Identity, Record Record)?>(StringComparer.Ordinal);

        // A jury's record is the jury's own, keyed by its members' identities (ModelBindings.IdentityOf).
        (string Identity, Record Record)? RecordOf(IReadOnlyList<string> judges)
        {
            var judgeName = string.Join("\n", judges);
            if (records.TryGetValue(judgeName, out var known)) return known;
            (string, Record)? found = null;
            try
            {
                var identity = models.IdentityOf(judges);
                found = (identity, Read(Path.Combine(folder, JudgeCalibration.RecordFileName(identity))));
            }
            catch (ModelSetupException)
            {
            }
            return records[judgeName] = found;
        }

        ExpectationResult Annotate(EvalCase @case, ExpectationResult e)
        {
            var planned = @case.Expectations.FirstOrDefault(x => x.Index == e.Index);
            if (planned is not { Check: EvalCheck.Behavior, Behavior: { } behavior }) return e;
            var agreement = AgreementOf(RecordOf(models.JudgesOf(@case)), behavior, templateHash, options.JudgeTemperature, floor);
            var annotated = e with { Calibration = agreement };
            if (floor is not null && !agreement.Trusted && e.Blocking && e.Stats.Status is ExpectationStatus.Holds or ExpectationStatus.Fails)
            {
                annotated = annotated with { Stats = annotated.Stats with { Status = ExpectationStatus.Undecided } };
            }
            return annotated;
        }

        var annotatedCases = result.Cases
            .Select(c => cases.TryGetValue(c.Id, out var planned) ? c with { Expectations = c.Expectations.Select(e => Annotate(planned, e)).ToList() } : c)
            .ToList();
        var datasets = result.Datasets
            .Select(d => d.Rows.Count > 0 && cases.TryGetValue(d.Rows[0], out var planned) ? d with { Expectations = d.Expectations.Select(e => Annotate(planned, e)).ToList() } : d)
            .ToList();
        var verdict = result.Verdict is Verdict.Interrupted ? result.Verdict : Aggregator.VerdictOf(annotatedCases, datasets);
        return result with { Cases = annotatedCases, Datasets = datasets, Verdict = verdict };
    }

    private static JudgeAgreement AgreementOf((string Identity, Record Record)? found, EvalBehavior behavior, string templateHash, double temperature, double? floor)
    {
        var phrase = behavior.Phrase;
        if (found is not { } f) return new JudgeAgreement(phrase, 0, null, null, null, null, null, null, "no judge is bound, so none is calibrated");
        var record = f.Record;
        JudgeAgreement None(string why) => new(phrase, 0, null, null, null, null, null, record.Date, why);
        if (record.Unreadable is { } unreadable) return None(unreadable);
        if (record.TemplateHash != templateHash) return None($"the calibration of {f.Identity} ({record.Date}) used another judge template; run evaldsl calibrate again");
        if (record.Temperature is { } t && Math.Abs(t - temperature) > 1e-9) return None($"the calibration of {f.Identity} ({record.Date}) used judge temperature {t.ToString(CultureInfo.InvariantCulture)}, this run {temperature.ToString(CultureInfo.InvariantCulture)}");
        if (!record.Behaviors.TryGetValue(Examples.KeyOf(phrase), out var entry)) return None($"the calibration of {f.Identity} ({record.Date}) does not cover '{phrase}': pass its spec to evaldsl calibrate");
        if (entry.Hash != JudgeCalibration.BehaviorHash(behavior)) return None($"'{phrase}' changed since the calibration of {f.Identity} ({record.Date}); run evaldsl calibrate again");
        string? problem = null;
        if (floor is { } k)
        {
            if (entry.Kappa is not { } kappa) problem = $"the judge's κ on '{phrase}' is undefined (its examples are all labelled alike, or all answered alike): add shows and lacks examples or a gold file";
            else if (kappa < k) problem = $"the judge's κ on '{phrase}' is {kappa.ToString("0.00", CultureInfo.InvariantCulture)}, below the required {k.ToString("0.00", CultureInfo.InvariantCulture)}";
        }
        return new JudgeAgreement(phrase, entry.N, entry.Agreement, entry.Kappa, entry.Lower, entry.Upper, entry.FalsePass, record.Date, problem);
    }

    private static Record Read(string path)
    {
        var empty = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!File.Exists(path)) return new Record(null, null, null, empty, "no calibration record for this judge (run evaldsl calibrate)");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = json.RootElement;
            static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
            var behaviors = new Dictionary<string, Entry>(StringComparer.Ordinal);
            foreach (var b in root.GetProperty("behaviors").EnumerateArray())
            {
                behaviors[Examples.KeyOf(b.GetProperty("behavior").GetString()!)] = new Entry(
                    b.GetProperty("definitionHash").GetString()!, b.GetProperty("n").GetInt32(), Number(b, "agreement"), Number(b, "kappa"), Number(b, "kappaLower"), Number(b, "kappaUpper"), Number(b, "falsePassRate"));
            }
            return new Record(root.GetProperty("judgeTemplateHash").GetString(), Number(root, "temperature"), root.GetProperty("date").GetString(), behaviors, null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return new Record(null, null, null, empty, $"the calibration record {path} cannot be read; run evaldsl calibrate again");
        }
    }
}
