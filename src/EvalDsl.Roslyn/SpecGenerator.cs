using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using EvalDsl.Parsing;
using EvalDsl.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EvalDsl.Roslyn;

/// <summary>
/// Turns the <c>*.eval</c> AdditionalFiles of a project into xunit test classes: one partial class per suite, one
/// test per case (one per data row). Each spec is parsed on its own step, so an edit re-parses only that spec; all
/// specs are then bound together (one scope across files) and split into one value-equal output per suite, so the
/// other suites' outputs come back Unchanged. Diagnostics are the analyzer's job (<see cref="SpecAnalyzer"/>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.AdditionalTextsProvider
            .Where(t => RoslynBridge.IsSpec(t.Path))
            .Select((t, ct) => new FileInput(t.Path, t.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.Specs)
            .Select((f, ct) => new ParsedSpec(f.Path, f.Text, Parse(f)))
            .WithTrackingName(TrackingNames.Parsed);

        var dataFiles = context.AdditionalTextsProvider
            .Where(t => RoslynBridge.IsDataFile(t.Path))
            .Select((t, ct) => new FileInput(t.Path, t.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.DataFiles)
            .Collect();

        var severities = context.AdditionalTextsProvider
            .Where(t => RoslynBridge.IsEditorConfig(t.Path))
            .Select((t, ct) => new FileInput(t.Path, t.GetText(ct)?.ToString()))
            .WithTrackingName(TrackingNames.Severities)
            .Collect();

        var @namespace = context.AnalyzerConfigOptionsProvider
            .Select((options, ct) => Namespace(options.GlobalOptions))
            .WithTrackingName(TrackingNames.Options);

        var suites = parsed.Collect()
            .Combine(dataFiles)
            .Combine(severities)
            .Combine(@namespace)
            .Select((input, ct) => Compile(input.Left.Left.Left, input.Left.Left.Right, input.Left.Right, input.Right, ct))
            .WithTrackingName(TrackingNames.Compiled)
            .SelectMany((all, ct) => all)
            .WithTrackingName(TrackingNames.Suites);

        context.RegisterSourceOutput(suites, (spc, suite) => spc.AddSource(suite.HintName, suite.Text));
    }

    private static Syntax.SyntaxTree Parse(FileInput file) =>
        file.Text is null
            ? Parser.Unreadable(file.Path, "the compiler could not read it as text")
            : Parser.Parse(new SourceText(file.Path, SourceDecoder.StripBom(file.Text)));

    private static EquatableArray<GeneratedSuite> Compile(ImmutableArray<ParsedSpec> specs, ImmutableArray<FileInput> data, ImmutableArray<FileInput> editorConfigs, string @namespace, CancellationToken cancellationToken)
    {
        if (specs.IsDefaultOrEmpty) return default;
        cancellationToken.ThrowIfCancellationRequested();
        var compilation = EvalCompilation.Analyze(specs.Select(s => s.Tree).ToList(), new EvalCompilationOptions
        {
            DataFiles = new RoslynBridge.DataFiles(data),
            DiagnosticOptions = RoslynBridge.Options(editorConfigs),
        });
        return new EquatableArray<GeneratedSuite>(compilation.GenerateTests(@namespace).Select(f => new GeneratedSuite(f.HintName, f.Text)));
    }

    private static string Namespace(AnalyzerConfigOptions options)
    {
        foreach (var key in new[] { "build_property.EvalDslNamespace", "build_property.RootNamespace" })
        {
            if (options.TryGetValue(key, out var value) && Emit.CSharp.Namespace(value) is { } valid) return valid;
        }
        return Emit.CSharpEmitter.DefaultNamespace;
    }
}
