using System.Collections.Generic;

namespace EvalDsl.Emit;

// What the Suite.sbncs template reads: every value already a C# token or literal, so the template decides layout
// only and no spec text can reach it as template source.

internal sealed record EmitSuite(string Namespace, string ClassName, string SuiteTitle, string Version, string HintName,
    IReadOnlyList<EmitCase> Cases, IReadOnlyList<EmitBehavior> Behaviors);

internal sealed record EmitBehavior(string Field, string Phrase, string Means, IReadOnlyList<string> Shows, IReadOnlyList<string> Lacks, IReadOnlyList<string> Cites);

internal sealed record EmitCase(
    string Method, string Field, string DisplayName, string Severity, IReadOnlyList<string> Tags, string? LineDirective,
    string Title, string Row, string File, int Line, int Column, int Samples, string Pass, string Temperature, string Model, string Judge,
    IReadOnlyList<EmitVariant> Variants, IReadOnlyList<EmitExpectation> Expectations)
{
    /// <summary>
    /// The <c>new EvalCase(…)</c> expression of the case's data. Written here rather than in the template: it is most
    /// of a suite's lines, and a template interpreter pays for every one of them in every build.
    /// </summary>
    public string Initializer(string suiteTitle)
    {
        const string Runtime = "global::EvalDsl.Runtime.";
        var sb = new System.Text.StringBuilder(1024);
        sb.Append("new ").Append(Runtime).Append("EvalCase(\n");
        foreach (var argument in new[]
        {
            suiteTitle, Title, Row, $"new {Runtime}SpecLocation({File}, {Line}, {Column})", $"new string[] {{ {string.Join(", ", Tags)} }}",
            Samples.ToString(System.Globalization.CultureInfo.InvariantCulture), Pass, Temperature, Model, Judge,
        })
        {
            sb.Append("            ").Append(argument).Append(",\n");
        }
        sb.Append("            new ").Append(Runtime).Append("EvalVariant[]\n            {\n");
        foreach (var v in Variants)
        {
            sb.Append("                new ").Append(Runtime).Append("EvalVariant(\n");
            sb.Append("                    new global::System.Collections.Generic.KeyValuePair<string, string>[] { ").Append(string.Join(", ", v.Labels)).Append(" },\n");
            sb.Append("                    ").Append(v.System).Append(",\n");
            sb.Append("                    new ").Append(Runtime).Append("EvalTurn[]\n                    {\n");
            foreach (var t in v.Turns)
            {
                sb.Append("                        new ").Append(Runtime).Append("EvalTurn(").Append(Runtime).Append("EvalRole.").Append(t.Role).Append(", ").Append(t.Text).Append("),\n");
            }
            sb.Append("                    }),\n");
        }
        sb.Append("            },\n            new ").Append(Runtime).Append("EvalExpectation[]\n            {\n");
        foreach (var e in Expectations)
        {
            sb.Append("                new ").Append(Runtime).Append("EvalExpectation(").Append(e.Index).Append(", ").Append(e.Blocking).Append(", ").Append(e.Negated)
              .Append(", ").Append(Runtime).Append("EvalCheck.").Append(e.Check).Append(", ").Append(e.Phrase).Append(", ").Append(e.Text).Append(", ")
              .Append(e.Pattern).Append(", ").Append(e.Flags).Append(", ").Append(e.VaryName).Append(", ").Append(e.Behavior)
              .Append(", new ").Append(Runtime).Append("SpecLocation(").Append(File).Append(", ").Append(e.Line).Append(", ").Append(e.Column).Append(")),\n");
        }
        sb.Append("            })");
        return sb.ToString();
    }
}

internal sealed record EmitVariant(IReadOnlyList<string> Labels, string System, IReadOnlyList<EmitTurn> Turns);

internal sealed record EmitTurn(string Role, string Text);

internal sealed record EmitExpectation(int Index, string Blocking, string Negated, string Check, string Phrase, string Text, string Pattern,
    string Flags, string VaryName, string Behavior, int Line, int Column);
