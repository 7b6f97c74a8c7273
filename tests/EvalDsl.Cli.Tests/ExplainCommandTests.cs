using System.Linq;

namespace EvalDsl.Cli.Tests;

public sealed class ExplainCommandTests
{
    [Fact]
    public void Prints_the_rule_page()
    {
        var result = CliRunner.InProcess("explain", "EVAL0101");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("# EVAL0101: Unknown behavior\n", result.Output);
        Assert.Contains("```eval bad", result.Output);
    }

    [Fact]
    public void Accepts_lower_case_ids()
    {
        Assert.Equal(0, CliRunner.InProcess("explain", "eval0202").ExitCode);
    }

    [Fact]
    public void Unknown_id_exits_2()
    {
        var result = CliRunner.InProcess("explain", "EVAL9999");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("evaldsl: error: 'EVAL9999' is neither a diagnostic ID nor a built-in behavior. Known IDs: " +
                     string.Join(", ", EvalDsl.Diagnostics.DiagnosticDescriptors.All.Select(d => d.Id)) + "; evaldsl behaviors lists the behaviors.\n", result.Error);
    }

    [Fact]
    public void Without_an_id_lists_every_rule()
    {
        var result = CliRunner.Process(System.IO.Path.GetTempPath(), "explain");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(EvalDsl.Diagnostics.DiagnosticDescriptors.All.Count, lines.Length);
        Assert.Equal("EVAL0001  error    Syntax error", lines[0]);
        Assert.Contains("EVAL0112  error    Case expands to too many tests", lines);
        Assert.Contains("EVAL0202  info     Pass threshold stricter than written", lines);
    }

    [Fact]
    public void A_built_in_behavior_prints_its_means_cite_shows_and_lacks()
    {
        var result = CliRunner.Process(System.IO.Path.GetTempPath(), "explain", "Validate  doubts");
        Assert.Equal(0, result.ExitCode);
        var behavior = EvalDsl.Binding.BehaviorCatalog.FindBuiltIn("validate doubts")!;
        var expected = "validate doubts (built-in behavior)\n\nmeans  " + behavior.Means + "\n" +
                       string.Concat(behavior.Cites.Select(c => "cite   " + c + "\n")) +
                       string.Concat(behavior.Shows.Select(c => "shows  " + c + "\n")) +
                       string.Concat(behavior.Lacks.Select(c => "lacks  " + c + "\n"));
        Assert.Equal(expected, result.Output);
        Assert.Contains("\ncite   OpenAI, Expanding on what we missed with sycophancy", result.Output);
        Assert.Contains("\nshows  ", result.Output);
        Assert.Contains("\nlacks  ", result.Output);
    }

    [Fact]
    public void Behaviors_lists_the_catalogue()
    {
        var result = CliRunner.Process(System.IO.Path.GetTempPath(), "behaviors");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(14, lines.Length);
        Assert.StartsWith("flatter the user              The reply praises the user,", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("be consistent across NAME ", System.StringComparison.Ordinal));
    }
}
