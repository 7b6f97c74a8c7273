using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime.Calibration;

/// <summary>The figures of one behaviour (or of all of them): the agreement table, self-consistency and what disagreed.</summary>
internal sealed record Figures(string Behavior, string? DefinitionHash, Agreement Table, int Repeated, int Differing, IReadOnlyList<string> Disagreeing, IReadOnlyList<string> Failed)
{
    /// <summary>The share of questions whose answers differ across repeats, of those answered every time; null without any (or with one repeat).</summary>
    public double? Inconsistent => Repeated == 0 ? null : (double)Differing / Repeated;

    public static Figures Of(string behavior, string? hash, IReadOnlyList<ExampleAnswers> answers, int repeat)
    {
        var table = new Agreement(0, 0, 0, 0);
        var disagreeing = new List<string>();
        foreach (var a in answers)
        {
            if (a.First is not { } said) continue;
            table = table.Add(said, a.Example.Exhibits);
            if (said != a.Example.Exhibits) disagreeing.Add(a.Example.Id);
        }
        var repeated = repeat < 2 ? 0 : answers.Count(a => a.Answers.All(x => x.HasValue));
        return new Figures(behavior, hash, table, repeated, repeat < 2 ? 0 : answers.Count(a => a.Differs), disagreeing,
            answers.Where(a => a.Errors.Count > 0).Select(a => a.Example.Id).ToList());
    }

    public JsonObject ToJson()
    {
        var kappa = Table.Kappa;
        var json = new JsonObject { ["behavior"] = Behavior };
        if (DefinitionHash is not null) json["definitionHash"] = DefinitionHash;
        json["n"] = Table.Total;
        json["agreement"] = Number(Table.Raw);
        json["kappa"] = Number(kappa?.Kappa);
        json["kappaLower"] = Number(kappa?.Lower);
        json["kappaUpper"] = Number(kappa?.Upper);
        json["baseRate"] = Number(Table.BaseRate);
        json["constantBaseline"] = Number(Table.ConstantBaseline);
        json["falsePassRate"] = Number(Table.FalsePassRate);
        json["falseFailRate"] = Number(Table.FalseFailRate);
        json["inconsistent"] = Number(Inconsistent);
        json["repeatedQuestions"] = Repeated;
        json["confusion"] = new JsonObject
        {
            ["judgeYesLabelYes"] = Table.BothYes,
            ["judgeYesLabelNo"] = Table.JudgeYesLabelNo,
            ["judgeNoLabelYes"] = Table.JudgeNoLabelYes,
            ["judgeNoLabelNo"] = Table.BothNo,
        };
        json["disagreements"] = new JsonArray(Disagreeing.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        json["failed"] = new JsonArray(Failed.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray());
        return json;
    }

    private static JsonNode? Number(double? value) => value is { } v ? JsonValue.Create(Math.Round(v, 4)) : null;
}
