using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EvalDsl.Plan;

namespace EvalDsl.Emit;

/// <summary>
/// Writes plan objects as C# expressions (<c>new global::EvalDsl.Plan.EvalCase(…)</c>) that rebuild them exactly.
/// Written here rather than in the template: the cases are most of a suite's lines, and a template interpreter pays
/// for every one of them in every build. Behaviors are shared: each distinct one becomes a field of the class.
/// </summary>
internal sealed class PlanLiterals
{
    private const string Plan = "global::EvalDsl.Plan.";
    private readonly Func<string?, string> _value;
    private readonly List<(EvalBehavior Behavior, string Field)> _behaviors = new();

    /// <param name="utf8Literals">A long value may be a UTF-8 literal (C# 11 and later; attribute arguments never are).</param>
    public PlanLiterals(bool utf8Literals) => _value = utf8Literals ? CSharp.Value : CSharp.Literal;

    /// <summary>The behaviors the written cases use, with the field each is written to.</summary>
    public IReadOnlyList<(EvalBehavior Behavior, string Field)> Behaviors => _behaviors;

    /// <summary>A value that need not be a constant.</summary>
    public string Value(string? value) => _value(value);

    /// <summary>The expression of a case.</summary>
    public string Case(EvalCase c)
    {
        var sb = new StringBuilder(1024);
        sb.Append("new ").Append(Plan).Append("EvalCase(\n");
        foreach (var argument in new[]
        {
            CSharp.Literal(c.Suite), Value(c.Title), c.Row is { } row ? row.ToString(CultureInfo.InvariantCulture) : "null",
            Location(c.Location), $"new string[] {{ {string.Join(", ", Map(c.Tags, CSharp.Literal))} }}",
            c.Samples.ToString(CultureInfo.InvariantCulture), c.Pass.ToString(CultureInfo.InvariantCulture) + "m",
            c.Temperature is { } t ? CSharp.Number(t) : "null", CSharp.Literal(c.Model), CSharp.Literal(c.Judge),
        })
        {
            sb.Append("            ").Append(argument).Append(",\n");
        }
        sb.Append("            new ").Append(Plan).Append("EvalVariant[]\n            {\n");
        foreach (var v in c.Variants)
        {
            sb.Append("                new ").Append(Plan).Append("EvalVariant(\n");
            sb.Append("                    new global::System.Collections.Generic.KeyValuePair<string, string>[] { ")
              .Append(string.Join(", ", Map(v.Labels, l => $"new global::System.Collections.Generic.KeyValuePair<string, string>({Value(l.Key)}, {Value(l.Value)})")))
              .Append(" },\n");
            sb.Append("                    ").Append(Value(v.System)).Append(",\n");
            sb.Append("                    new ").Append(Plan).Append("EvalTurn[]\n                    {\n");
            foreach (var turn in v.Turns)
            {
                sb.Append("                        new ").Append(Plan).Append("EvalTurn(").Append(Plan).Append("EvalRole.").Append(turn.Role).Append(", ").Append(Value(turn.Text)).Append(")");
                var turnInitializers = new List<string>();
                if (turn.Name is not null) turnInitializers.Add("Name = " + CSharp.Literal(turn.Name));
                if (turn.Model is not null) turnInitializers.Add("Model = " + CSharp.Literal(turn.Model));
                if (turn.Prefill is not null) turnInitializers.Add("Prefill = " + Value(turn.Prefill));
                if (turnInitializers.Count > 0) sb.Append(" { ").Append(string.Join(", ", turnInitializers)).Append(" }");
                sb.Append(",\n");
            }
            sb.Append("                    }),\n");
        }
        sb.Append("            },\n            new ").Append(Plan).Append("EvalExpectation[]\n            {\n");
        foreach (var e in c.Expectations)
        {
            sb.Append("                new ").Append(Plan).Append("EvalExpectation(").Append(e.Index).Append(", ").Append(Bool(e.Blocking)).Append(", ").Append(Bool(e.Negated))
              .Append(", ").Append(Plan).Append("EvalCheck.").Append(e.Check).Append(", ").Append(Value(e.Phrase)).Append(", ").Append(Value(e.Text)).Append(", ")
              .Append(Value(e.Pattern)).Append(", ").Append(CSharp.Literal(e.Flags)).Append(", ").Append(CSharp.Literal(e.VaryName)).Append(", ")
              .Append(e.Behavior is null ? "null" : BehaviorField(e.Behavior)).Append(", ").Append(Location(e.Location)).Append(")");
            var initializers = new List<string>();
            if (e.Alternatives is { } alternatives) initializers.Add("Alternatives = new string[] { " + string.Join(", ", Map(alternatives, a => Value(a))) + " }");
            // Only a row of a pass N% of rows case needs the display as written: its dataset's result shows it.
            if (c.RowsPass is not null && e.DisplayTemplate is not null) initializers.Add("DisplayTemplate = " + Value(e.DisplayTemplate));
            if (e.Reply is not null) initializers.Add("Reply = " + CSharp.Literal(e.Reply));
            if (e.EveryReply) initializers.Add("EveryReply = true");
            if (e.Guard is { } guard)
            {
                initializers.Add("Guard = new " + Plan + "EvalGuard(" + CSharp.Literal(guard.Reply) + ", " + Value(guard.Text) + ", " + Value(guard.Pattern) + ", " + CSharp.Literal(guard.Flags) + ")");
            }
            if (e.UnderLabel is not null) initializers.Add("UnderLabel = " + CSharp.Literal(e.UnderLabel));
            if (e.ThanLabel is not null) initializers.Add("ThanLabel = " + CSharp.Literal(e.ThanLabel));
            if (e.ForVary is not null) initializers.Add("ForVary = " + CSharp.Literal(e.ForVary));
            if (e.ForLabel is not null) initializers.Add("ForLabel = " + CSharp.Literal(e.ForLabel));
            if (initializers.Count > 0) sb.Append(" { ").Append(string.Join(", ", initializers)).Append(" }");
            sb.Append(",\n");
        }
        sb.Append("            })");
        if (c.TitleTemplate is not null || c.DataSet is not null || c.Reference is not null || c.Answer is not null || c.Jury is not null)
        {
            sb.Append("\n        {\n            TitleTemplate = ").Append(Value(c.TitleTemplate)).Append(",\n            DataSet = ").Append(CSharp.Literal(c.DataSet)).Append(",\n");
            if (c.Reference is not null) sb.Append("            Reference = ").Append(Value(c.Reference)).Append(",\n");
            if (c.RowsPass is { } rows) sb.Append("            RowsPass = ").Append(rows.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("m,\n");
            if (c.Answer is not null) sb.Append("            Answer = ").Append(Value(c.Answer)).Append(",\n");
            if (c.Jury is { } jury) sb.Append("            Jury = new string[] { ").Append(string.Join(", ", Map(jury, CSharp.Literal))).Append(" },\n");
            sb.Append("        }");
        }
        return sb.ToString();
    }

    private static string Location(SpecLocation l) => $"new {Plan}SpecLocation({CSharp.Literal(l.File)}, {l.Line}, {l.Column})";

    private static string Bool(bool value) => value ? "true" : "false";

    private string BehaviorField(EvalBehavior b)
    {
        foreach (var (known, field) in _behaviors) if (known == b || (known.Phrase == b.Phrase && known.Means == b.Means)) return field;
        var name = "__Behavior" + _behaviors.Count;
        _behaviors.Add((b, name));
        return name;
    }

    private static IEnumerable<string> Map<T>(IEnumerable<T> items, Func<T, string> write)
    {
        foreach (var item in items) yield return write(item);
    }
}
