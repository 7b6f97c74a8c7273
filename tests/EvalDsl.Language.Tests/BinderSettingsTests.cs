using System.Linq;
using EvalDsl.Binding;
using EvalDsl.Parsing;
using EvalDsl.Text;

namespace EvalDsl.Tests;

/// <summary>The binder alone works out each case's effective settings: the case's, else the suite's, else the default.</summary>
public sealed class BinderSettingsTests
{
    private const string Spec = """
        suite "S" {
          samples 5
          pass 80%
          model cheap
          case "inherits" {
            user "Hi"
            must say "x"
          }
          case "overrides" {
            samples 10
            pass 60%
            temperature 0.5
            judge cheap
            user "Hi"
            must say "x"
          }
          case "invalid" {
            samples 0
            pass 150%
            temperature 3
            user "Hi"
            must say "x"
          }
        }
        suite "Defaults" {
          case "none" {
            user "Hi"
            must say "x"
          }
        }
        """;

    [Fact]
    public void Each_case_gets_its_own_setting_else_the_suite_setting_else_the_default()
    {
        var tree = Parser.Parse(new SourceText("settings.eval", Spec));
        var cases = Binder.Bind(new[] { tree }, null).AllCases
            .Select(c => $"{c.Syntax.Title.Template}: samples {c.Samples}{(c.HasInvalidSamples ? " (invalid)" : "")}, pass {c.Pass}" +
                         $" ({c.PassSyntax?.Text ?? "default"}), temperature {c.Temperature?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, model {c.Model} ({c.ModelSyntax?.Text ?? "default"}), judge {c.Judge}");
        Assert.Equal(
            "inherits: samples 5, pass 80 (80%), temperature none, model cheap (cheap), judge judge\n" +
            "overrides: samples 10, pass 60 (60%), temperature 0.5, model cheap (cheap), judge cheap\n" +
            "invalid: samples 1 (invalid), pass 100 (default), temperature none, model cheap (cheap), judge judge\n" +
            "none: samples 1, pass 100 (default), temperature none, model target (default), judge judge",
            string.Join("\n", cases));
    }
}
