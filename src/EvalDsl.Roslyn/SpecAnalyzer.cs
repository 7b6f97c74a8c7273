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
            var configOptions = start.Options.AnalyzerConfigOptionsProvider;
            var diagnostics = new Lazy<ILookup<string, EvalDsl.Diagnostics.Diagnostic>>(() =>
            {
                var ct = start.CancellationToken;
                var evalFiles = files.Where(f => SpecInputs.IsSpec(f.Path)).ToLookup(f => SpecInputs.IsUsedOnly(configOptions.GetOptions(f)));
                var compilation = SpecInputs.Compile(
                    evalFiles[false].Select(f => SpecInputs.Parse(SpecInputs.Read(f, ct))),
                    files.Where(f => SpecInputs.IsDataFile(f.Path)).Select(f => SpecInputs.Read(f, ct)),
                    files.Where(f => SpecInputs.IsEditorConfig(f.Path)).Select(f => SpecInputs.Read(f, ct)),
                    evalFiles[true].Select(f => SpecInputs.Read(f, ct)));
                // A used file's diagnostics name it by the path its use resolved to: compare paths normalized.
                return compilation.Diagnostics.ToLookup(d => SpecInputs.Normalize(d.Location.Path), StringComparer.Ordinal);
            }, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

            start.RegisterAdditionalFileAction(file =>
            {
                if (!SpecInputs.IsSpec(file.AdditionalFile.Path)) return;
                var text = file.AdditionalFile.GetText(file.CancellationToken);
                foreach (var diagnostic in diagnostics.Value[SpecInputs.Normalize(file.AdditionalFile.Path)])
                {
                    file.ReportDiagnostic(RoslynBridge.ToRoslyn(diagnostic, text, file.AdditionalFile.Path));
                }
            });
        });
    }
}
