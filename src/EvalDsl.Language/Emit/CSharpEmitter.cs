using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using EvalDsl.Plan;
using Scriban;
using Scriban.Runtime;

namespace EvalDsl.Emit;

/// <summary>A generated C# file: its hint name (<c>Sycophancy.g.cs</c>) and text.</summary>
/// <param name="HintName">The file name, unique among the generated files.</param>
/// <param name="Text">The C# source.</param>
public sealed record GeneratedFile(string HintName, string Text)
{
    /// <summary>Where the suite's title is written (for a diagnostic about the file as a whole).</summary>
    public Text.SourceLocation? Suite { get; init; }
}

/// <summary>
/// Emits one partial xunit test class per suite with one test per case (one per data row), through the embedded
/// Scriban template <c>Emit/Templates/Suite.sbncs</c>. Identifiers are valid and stable for any title; every spec
/// value is a C# literal that round-trips exactly (a long one a UTF-8 literal, see <see cref="CSharp.Value"/>).
/// </summary>
internal static class CSharpEmitter
{
    public const string DefaultNamespace = "EvalDsl.Specs";

    private static readonly Lazy<Template> SuiteTemplate = new(() =>
    {
        using var stream = typeof(CSharpEmitter).Assembly.GetManifestResourceStream("EvalDsl.Emit.Suite.sbncs")
            ?? throw new InvalidOperationException("The Suite.sbncs template is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var template = Template.Parse(reader.ReadToEnd());
        if (template.HasErrors) throw new InvalidOperationException("Suite.sbncs does not parse: " + string.Join("; ", template.Messages));
        return template;
    });

    public static string Version => typeof(CSharpEmitter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Generates the file of one suite with a given class name and file name (see <see cref="CSharp.FileNames"/>);
    /// long values as UTF-8 literals unless <paramref name="utf8Literals"/> is false (C# before 11).
    /// </summary>
    public static GeneratedFile EmitSuite(EvalSuite suite, string className, string fileName, string? @namespace = null, Func<string, string>? linePath = null, bool utf8Literals = true) =>
        Render(Model(suite, className, @namespace ?? DefaultNamespace, fileName, linePath, utf8Literals));

    internal static GeneratedFile Render(EmitSuite model)
    {
        var script = Plain(model);
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 0, RecursiveLimit = 0, LimitToString = 0, AutoIndent = false };
        context.PushGlobal(script);
        var text = SuiteTemplate.Value.Render(context).Replace("\r\n", "\n");
        return new GeneratedFile(model.HintName, text);
    }

    // The model as plain Scriban objects (snake_case keys): reading them costs no reflection per member access.
    private static ScriptObject Plain(EmitSuite s) => new()
    {
        ["namespace"] = s.Namespace,
        ["class_name"] = s.ClassName,
        ["suite_title"] = s.SuiteTitle,
        ["version"] = s.Version,
        ["cases"] = Array(s.Cases.Select(c => new ScriptObject
        {
            ["method"] = c.Method,
            ["field"] = c.Field,
            ["display_name"] = c.DisplayName,
            ["severity"] = c.Severity,
            ["tags"] = Array(c.Tags),
            ["line_directive"] = c.LineDirective,
            ["initializer"] = c.Initializer,
        })),
        ["datasets"] = Array(s.Datasets.Select(d => new ScriptObject
        {
            ["method"] = d.Method,
            ["display_name"] = d.DisplayName,
            ["severity"] = d.Severity,
            ["tags"] = Array(d.Tags),
            ["line_directive"] = d.LineDirective,
            ["fields"] = Array(d.Fields),
        })),
        ["behaviors"] = Array(s.Behaviors.Select(b => new ScriptObject
        {
            ["field"] = b.Field,
            ["phrase"] = b.Phrase,
            ["means"] = b.Means,
            ["shows"] = Array(b.Shows),
            ["lacks"] = Array(b.Lacks),
            ["cites"] = Array(b.Cites),
        })),
    };

    private static ScriptArray Array<T>(IEnumerable<T> items)
    {
        var array = new ScriptArray();
        foreach (var item in items) array.Add(item);
        return array;
    }

    internal static EmitSuite Model(EvalSuite suite, string className, string @namespace, string? fileName = null, Func<string, string>? linePath = null, bool utf8Literals = true)
    {
        var literals = new PlanLiterals(utf8Literals);
        // The rows of one pass N% of rows case (plan order keeps them together) also get one test over all of them.
        var datasets = suite.Cases.Select((c, i) => (Case: c, Index: i)).Where(x => x.Case.RowsPass is not null)
            .GroupBy(x => (x.Case.TitleTemplate ?? x.Case.Title, x.Case.DataSet, x.Case.Location)).ToList();
        var methods = CSharp.Unique(suite.Cases.Select(c =>
            CSharp.Identifier(c.Row is { } r ? (c.TitleTemplate ?? c.Title) + " row " + r : c.Title, "Case", pascal: false))
            .Concat(datasets.Select(d => CSharp.Identifier(d.Key.Item1 + " over rows", "Case", pascal: false))),
            new HashSet<string>(CSharp.ReservedMembers, StringComparer.Ordinal) { className });

        var cases = suite.Cases.Select((c, i) => new EmitCase(
            methods[i],
            // Fields are named __Case0…: a title never yields an identifier that starts with two underscores.
            "__Case" + i,
            CSharp.Literal(c.Row is { } row ? $"{c.Title} #{row}" : c.Title),
            c.IsBlocking ? "blocking" : "tracking",
            c.Tags.Select(CSharp.Literal).ToList(),
            LineDirective(linePath is null ? c.Location.File : linePath(c.Location.File), c.Location.Line),
            literals.Case(c))).ToList();

        var datasetTests = datasets.Select((d, k) =>
        {
            var first = d.First().Case;
            var rows = d.Count();
            // As the reports name it: corrects {claim} (10 rows of claims, pass 90% of rows).
            var title = $"{d.Key.Item1} ({rows} row{(rows == 1 ? "" : "s")} of {first.DataSet}, pass {Percent(first.RowsPass!.Value)} of rows)";
            return new EmitDataset(methods[suite.Cases.Count + k], CSharp.Literal(title), first.IsBlocking ? "blocking" : "tracking",
                first.Tags.Select(CSharp.Literal).ToList(),
                LineDirective(linePath is null ? first.Location.File : linePath(first.Location.File), first.Location.Line),
                d.Select(x => "__Case" + x.Index).ToList());
        }).ToList();

        return new EmitSuite(@namespace, className, CSharp.Literal(suite.Title), Version, fileName ?? className + ".g.cs", cases,
            literals.Behaviors.Select(b => new EmitBehavior(b.Field, literals.Value(b.Behavior.Phrase), literals.Value(b.Behavior.Means),
                b.Behavior.Shows.Select(literals.Value).ToList(), b.Behavior.Lacks.Select(literals.Value).ToList(), b.Behavior.Cites.Select(literals.Value).ToList())).ToList())
        {
            Datasets = datasetTests,
        };
    }

    private static string Percent(decimal value) => value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";

    // #line file names take no escapes: a path that cannot be written there gets no mapping rather than broken code.
    private static string? LineDirective(string path, int line) =>
        path.IndexOfAny(new[] { '"', '\n', '\r', '\u2028', '\u2029', '\u0085' }) >= 0 ? null : $"#line {line} \"{path}\"";
}
