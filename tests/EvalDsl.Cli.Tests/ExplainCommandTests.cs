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
        Assert.StartsWith("evaldsl: error: 'EVAL9999' is not a diagnostic ID. Known IDs: EVAL0001, ", result.Error);
    }
}
