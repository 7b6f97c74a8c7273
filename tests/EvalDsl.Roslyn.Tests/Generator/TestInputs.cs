using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace EvalDsl.Roslyn.Tests.Generator;

/// <summary>An AdditionalFile held in memory.</summary>
internal sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>An AdditionalFile the compiler cannot read (its GetText gives null, as for a file that vanished or is not text).</summary>
internal sealed class UnreadableAdditionalText(string path) : AdditionalText
{
    public override string Path { get; } = path;

    public override SourceText? GetText(CancellationToken cancellationToken = default) => null;
}

/// <summary>EditorConfig options as the compiler hands them to generators and analyzers: global ones, and per file.</summary>
internal sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> global, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perFile) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(new Dictionary<string, string>());

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        new Options(perFile.TryGetValue(textFile.Path, out var values) ? values : new Dictionary<string, string>());

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);

        public override IEnumerable<string> Keys => values.Keys;
    }
}

/// <summary>A consumer compilation: .NET 10 reference assemblies, xunit and the EvalDsl runtime.</summary>
internal static class Consumer
{
    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "Consumer",
        sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            // As the .NET SDK does by default (NoWarn 1701;1702): reference-version unification notes.
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }));

    public static readonly ImmutableArray<MetadataReference> References = Basic.Reference.Assemblies.Net100.References.All
        .Cast<MetadataReference>()
        .Concat(new[]
        {
            typeof(Xunit.FactAttribute).Assembly.Location,
            typeof(Xunit.Sdk.XunitException).Assembly.Location,
            typeof(Xunit.Abstractions.ITestOutputHelper).Assembly.Location,
            typeof(EvalDsl.Plan.EvalCase).Assembly.Location,
            typeof(EvalDsl.Runtime.SpecTest).Assembly.Location,
            typeof(Microsoft.Extensions.AI.IChatClient).Assembly.Location,
        }.Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)))
        .ToImmutableArray();

    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, AnalyzerConfigOptionsProvider? options = null, LanguageVersion language = LanguageVersion.Latest) =>
        CSharpGeneratorDriver.Create(
            new[] { new SpecGenerator().AsSourceGenerator() },
            files,
            new CSharpParseOptions(language),
            options ?? new TestOptionsProvider(new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, string>>()),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Warnings and errors of a compilation, one a line, without the generated code's own hidden ones.</summary>
    public static string Problems(Compilation compilation) => string.Join("\n", compilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .Select(d => d.ToString()));
}
