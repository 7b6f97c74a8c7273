using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EvalDsl.Roslyn;

/// <summary>
/// Reports the checker's diagnostics at their <c>.eval</c> locations during the build and in the IDE. Roslyn does
/// not apply <c>.editorconfig</c> severities to AdditionalFiles locations (dotnet/roslyn#31916), so the analyzer reads
/// the <c>.editorconfig</c> files the package passes as AdditionalFiles and reports with the effective severity, after
/// the spec's in-file suppressions — the same configuration code the CLI uses.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SpecAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = RoslynBridge.All.ToImmutableArray();

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var files = start.Options.AdditionalFiles;
            var diagnostics = new Lazy<ILookup<string, EvalDsl.Diagnostics.Diagnostic>>(() =>
            {
                var specs = files.Where(f => RoslynBridge.IsSpec(f.Path)).ToList();
                var documents = specs.Select(f => f.GetText(start.CancellationToken) is { } text
                    ? SpecDocument.FromText(f.Path, text.ToString())
                    : SpecDocument.FromBytes(f.Path, new byte[] { 0xFF })).ToList();
                var data = files.Where(f => RoslynBridge.IsDataFile(f.Path)).Select(f => new FileInput(f.Path, f.GetText(start.CancellationToken)?.ToString()));
                var editorConfigs = files.Where(f => RoslynBridge.IsEditorConfig(f.Path)).Select(f => new FileInput(f.Path, f.GetText(start.CancellationToken)?.ToString()));
                var compilation = EvalCompilation.Create(documents, new EvalCompilationOptions
                {
                    DataFiles = new RoslynBridge.DataFiles(data),
                    DiagnosticOptions = RoslynBridge.Options(editorConfigs),
                });
                return compilation.Diagnostics.ToLookup(d => d.Location.Path, StringComparer.Ordinal);
            }, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

            start.RegisterAdditionalFileAction(file =>
            {
                if (!RoslynBridge.IsSpec(file.AdditionalFile.Path)) return;
                var text = file.AdditionalFile.GetText(file.CancellationToken);
                foreach (var diagnostic in diagnostics.Value[file.AdditionalFile.Path])
                {
                    file.ReportDiagnostic(RoslynBridge.ToRoslyn(diagnostic, text));
                }
            });
        });
    }
}
