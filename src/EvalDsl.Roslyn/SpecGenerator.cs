using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EvalDsl.Roslyn;

/// <summary>
/// Turns the <c>*.eval</c> AdditionalFiles of a project into xunit test classes: one partial class per suite, one
/// test per case (one per data row). Each spec is parsed on its own step, so an edit re-parses only that spec; all
/// specs are then bound together (one scope across files) and split into one value-equal output per suite, so the
/// other suites' outputs come back Unchanged. A <c>use</c> of a file outside the project reads it from the
/// AdditionalFiles marked <c>EvalDslUse</c>. Diagnostics are the analyzer's job (<see cref="SpecAnalyzer"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // A .eval file the package added only because a spec uses it (EvalDslUse="true") is no spec of the project:
        // use reads its declarations, its suites generate nothing.
        var evalFiles = context.AdditionalTextsProvider
            .Where(t => SpecInputs.IsSpec(t.Path))
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select((pair, ct) => (Text: pair.Left, UsedOnly: SpecInputs.IsUsedOnly(pair.Right.GetOptions(pair.Left))));

        var parsed = evalFiles
            .Where(f => !f.UsedOnly)
            .Select((f, ct) => SpecInputs.Read(f.Text, ct))
            .WithTrackingName(TrackingNames.Specs)
            .Select((f, ct) => new ParsedSpec(f, SpecInputs.Parse(f)))
            .WithTrackingName(TrackingNames.Parsed);

        var usedFiles = evalFiles
            .Where(f => f.UsedOnly)
            .Select((f, ct) => SpecInputs.Read(f.Text, ct))
            .WithTrackingName(TrackingNames.UsedFiles)
            .Collect();

        var dataFiles = context.AdditionalTextsProvider
            .Where(t => SpecInputs.IsDataFile(t.Path))
            .Select(SpecInputs.Read)
            .WithTrackingName(TrackingNames.DataFiles)
            .Collect();

        var severities = context.AdditionalTextsProvider
            .Where(t => SpecInputs.IsEditorConfig(t.Path))
            .Select(SpecInputs.Read)
            .WithTrackingName(TrackingNames.Severities)
            .Collect();

        // The namespace, and whether the project's C# takes UTF-8 literals (C# 11) for long values.
        var @namespace = context.AnalyzerConfigOptionsProvider
            .Combine(context.ParseOptionsProvider)
            .Select((options, ct) => (Namespace: Namespace(options.Left.GlobalOptions),
                Utf8: options.Right is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp11 }))
            .WithTrackingName(TrackingNames.Options);

        var suites = parsed.Collect()
            .Combine(dataFiles)
            .Combine(severities)
            .Combine(@namespace)
            .Combine(usedFiles)
            .Select((all, ct) =>
            {
                var input = all.Left;
                return Compile(input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, all.Right, input.Right.Namespace, input.Right.Utf8, ct);
            })
            .WithTrackingName(TrackingNames.Compiled)
            .SelectMany((all, ct) => all)
            .WithTrackingName(TrackingNames.Suites);

        context.RegisterSourceOutput(suites, (spc, suite) =>
        {
            if (suite.Problem is null)
            {
                spc.AddSource(suite.HintName, suite.Text);
                return;
            }
            var position = new Microsoft.CodeAnalysis.Text.LinePosition(suite.Line - 1, suite.Column - 1);
            var location = Location.Create(suite.Path!, default, new Microsoft.CodeAnalysis.Text.LinePositionSpan(position, position));
            spc.ReportDiagnostic(Diagnostic.Create(RoslynDescriptors.EVAL0109, location, suite.Problem));
        });
    }

    private static EquatableArray<GeneratedSuite> Compile(ImmutableArray<ParsedSpec> specs, ImmutableArray<FileInput> data, ImmutableArray<FileInput> editorConfigs, ImmutableArray<FileInput> used, string @namespace, bool utf8Literals, CancellationToken cancellationToken)
    {
        if (specs.IsDefaultOrEmpty) return default;
        cancellationToken.ThrowIfCancellationRequested();
        var compilation = SpecInputs.Compile(specs.Select(s => s.Spec), data, editorConfigs, used);
        return new EquatableArray<GeneratedSuite>(Fit(compilation.GenerateTests(@namespace, utf8Literals: utf8Literals)));
    }

    /// <summary>
    /// The bytes of user strings an assembly can hold (the #US heap: 2^24, CS8103), less room for the project's own
    /// code. Suites whose literals would not fit are reported (EVAL0109 at their title) instead of failing the
    /// compiler, largest first.
    /// </summary>
    internal const long StringBudget = 15L * 1024 * 1024;

    private static IEnumerable<GeneratedSuite> Fit(IReadOnlyList<Emit.GeneratedFile> files)
    {
        var sizes = files.Select(f => LiteralBytes(f.Text)).ToList();
        var total = sizes.Sum();
        var dropped = new HashSet<int>();
        foreach (var i in Enumerable.Range(0, files.Count).OrderByDescending(i => sizes[i]))
        {
            if (total <= StringBudget) break;
            dropped.Add(i);
            total -= sizes[i];
        }
        for (var i = 0; i < files.Count; i++)
        {
            var f = files[i];
            if (!dropped.Contains(i) || f.Suite is not { } at)
            {
                yield return new GeneratedSuite(f.HintName, f.Text);
                continue;
            }
            var mb = (sizes[i] / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            yield return new GeneratedSuite(f.HintName, "",
                $"The tests of this suite need {mb} MB of string literals, more than a .NET assembly can hold beside the others (CS8103); split its data into smaller files used by separate suites, or run it with evaldsl run.",
                at.Path, at.Line, at.Column);
        }
    }

    /// <summary>
    /// The #US heap bytes of a generated file's distinct ordinary string literals (2 bytes a character plus a header;
    /// escapes counted as written, an upper bound). UTF-8 literals (<c>"…"u8</c>, how the emitter writes long values)
    /// are data, not user strings, and count nothing.
    /// </summary>
    internal static long LiteralBytes(string text)
    {
        long bytes = 0;
        var seen = new HashSet<string>(System.StringComparer.Ordinal);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '"') continue;
            var start = ++i;
            while (i < text.Length && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
            if (i > text.Length) break;
            var end = System.Math.Min(i, text.Length);
            if (end + 2 < text.Length && text[end] == '"' && text[end + 1] == 'u' && text[end + 2] == '8') continue;
            var literal = text.Substring(start, end - start);
            if (seen.Add(literal)) bytes += 2L * literal.Length + 5;
        }
        return bytes;
    }

    private static string Namespace(AnalyzerConfigOptions options)
    {
        foreach (var key in new[] { "build_property.EvalDslNamespace", "build_property.RootNamespace" })
        {
            if (options.TryGetValue(key, out var value) && EvalCompilation.NamespaceOf(value) is { } valid) return valid;
        }
        return EvalCompilation.DefaultNamespace;
    }
}
