using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using EvalDsl.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using RoslynSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace EvalDsl.Roslyn.Tests.Generator;

/// <summary>The analyzer reports the checker's diagnostics at their .eval locations, with per-file severity and in-file suppressions.</summary>
public sealed class AnalyzerTests
{
    private const string Spec = """
        suite "Checked" {
          samples 3
          pass 80%
          case "typo" {
            user "Hi"
            must not flatter teh user
          }
          # evaldsl-disable-next-line EVAL0106
          case "no expectations" {
            user "Hi"
          }
          case "also no expectations" {
            user "Hi"
          }
        }

        """;

    private static Task<string> Analyze(params AdditionalText[] editorConfigs) =>
        AnalyzeFiles(new AdditionalText[] { new TestAdditionalText("/specs/checked.eval", Spec) }.Concat(editorConfigs).ToArray());

    private static Task<string> AnalyzeFiles(params AdditionalText[] files) =>
        AnalyzeFiles(new Dictionary<string, IReadOnlyDictionary<string, string>>(), files);

    private static async Task<string> AnalyzeFiles(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> perFile, params AdditionalText[] files)
    {
        var provider = new TestOptionsProvider(new Dictionary<string, string>(), perFile);
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new SpecAnalyzer());
        var options = new AnalyzerOptions(ImmutableArray.Create(files), provider);
        var diagnostics = await Consumer.Compilation().WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return string.Join("\n", diagnostics.OrderBy(d => d.Location.GetLineSpan().Path, System.StringComparer.Ordinal).ThenBy(d => d.Location.GetLineSpan().StartLinePosition).Select(d =>
        {
            var span = d.Location.GetLineSpan();
            var severity = d.Severity switch { RoslynSeverity.Error => "error", RoslynSeverity.Warning => "warning", RoslynSeverity.Info => "info", _ => "hidden" };
            // The whole span (end exclusive, as csc -errorendlocation prints it), so the end cannot drift.
            return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1},{span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage()}";
        }));
    }

    [Fact]
    public async Task Reports_every_diagnostic_at_its_eval_location()
    {
        Assert.Equal("""
            /specs/checked.eval(3,8,3,11): info EVAL0202: With 3 samples, pass 80% really requires 3 of 3 (100%); raise samples or write the threshold you mean.
            /specs/checked.eval(6,14,6,30): error EVAL0101: Unknown behavior 'flatter teh user'. Did you mean 'flatter the user'?
            /specs/checked.eval(12,8,12,30): warning EVAL0106: Case 'also no expectations' has no expectations, so it checks nothing; add a must or should line.
            """, await Analyze());
    }

    [Fact]
    public async Task Applies_the_editorconfig_files_passed_as_additional_files_as_check_does()
    {
        // Nearer files win; root = true stops the walk (the file above the root is never read).
        Assert.Equal("""
            /specs/checked.eval(6,14,6,30): error EVAL0101: Unknown behavior 'flatter teh user'. Did you mean 'flatter the user'?
            /specs/checked.eval(12,8,12,30): error EVAL0106: Case 'also no expectations' has no expectations, so it checks nothing; add a must or should line.
            """, await Analyze(
            new TestAdditionalText("/.editorconfig", "[*.eval]\ndotnet_diagnostic.EVAL0101.severity = none\n"),
            new TestAdditionalText("/specs/.editorconfig", "root = true\n[*.eval]\ndotnet_diagnostic.EVAL0106.severity = error\ndotnet_diagnostic.EVAL0202.severity = none\n"),
            new TestAdditionalText("/specs/sub/.editorconfig", "[*.eval]\ndotnet_diagnostic.EVAL0101.severity = none\n"),
            new TestAdditionalText("/specs/other.editorconfig", "[*.eval]\ndotnet_diagnostic.EVAL0101.severity = none\n")));
    }

    [Fact]
    public async Task A_spec_the_compiler_cannot_read_is_one_EVAL0006_and_the_other_specs_are_still_checked()
    {
        Assert.Equal("""
            /specs/checked.eval(3,8,3,11): info EVAL0202: With 3 samples, pass 80% really requires 3 of 3 (100%); raise samples or write the threshold you mean.
            /specs/checked.eval(6,14,6,30): error EVAL0101: Unknown behavior 'flatter teh user'. Did you mean 'flatter the user'?
            /specs/checked.eval(12,8,12,30): warning EVAL0106: Case 'also no expectations' has no expectations, so it checks nothing; add a must or should line.
            /specs/gone.eval(1,1,1,1): error EVAL0006: This is not a spec file: the compiler could not read it as text.
            """, await AnalyzeFiles(new TestAdditionalText("/specs/checked.eval", Spec), new UnreadableAdditionalText("/specs/gone.eval")));
    }

    [Fact]
    public async Task A_used_file_reports_its_own_problems_in_it_and_a_missing_one_is_EVAL0114()
    {
        const string user = """
            use "../shared/common.eval"
            use "../shared/missing.eval"
            suite "Uses" {
              case "a case" {
                user "Hi"
                must not cheer on a gamble
              }
            }

            """;
        const string common = """
            behavior "cheer on a gamble" {
              cite "no means line"
            }

            """;
        var marked = new Dictionary<string, IReadOnlyDictionary<string, string>>
        {
            ["/p/shared/common.eval"] = new Dictionary<string, string> { [Roslyn.SpecInputs.UseMetadata] = "true" },
        };
        Assert.Equal("""
            /p/shared/common.eval(1,10,1,29): error EVAL0110: Behavior 'cheer on a gamble' does not say what it means; add a line such as means "…" so the judge knows what to look for.
            /p/shared/common.eval(1,10,1,29): info EVAL0204: Behavior 'cheer on a gamble' has no shows and no lacks example, so its judge cannot be calibrated; add a shows line with a reply that exhibits it and a lacks line with one that does not.
            /p/specs/a.eval(2,5,2,29): error EVAL0114: Cannot use '../shared/missing.eval': there is no file /p/specs/../shared/missing.eval among the compilation's AdditionalFiles (the EvalDsl package adds every file a spec uses).
            """, await AnalyzeFiles(marked, new TestAdditionalText("/p/specs/a.eval", user), new TestAdditionalText("/p/shared/common.eval", common)));
    }

    [Fact]
    public void Roslyn_descriptors_match_the_catalogue()
    {
        Assert.Equal(DiagnosticDescriptors.All.Select(d => d.Id), RoslynDescriptors.All.Select(d => d.Id));
        foreach (var (ours, roslyn) in DiagnosticDescriptors.All.Zip(RoslynDescriptors.All))
        {
            Assert.Equal(ours.Title, roslyn.Title.ToString());
            Assert.Equal(ours.Category, roslyn.Category);
            Assert.Equal(RoslynBridge.ToRoslyn(ours.DefaultSeverity), roslyn.DefaultSeverity);
            Assert.Equal(!ours.IsConfigurable, roslyn.CustomTags.Contains(WellKnownDiagnosticTags.NotConfigurable));
            Assert.Equal(ours.HelpLink, roslyn.HelpLinkUri);
        }
    }
}
