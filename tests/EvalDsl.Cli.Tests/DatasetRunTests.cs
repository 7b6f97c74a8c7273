using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary><c>evaldsl run</c> on a <c>pass N% of rows</c> case: the verdict over the rows, and what the console shows.</summary>
public sealed class DatasetRunTests : IAsyncLifetime
{
    private const string Spec = """
        suite "Arithmetic" {
          data numbers {
            n | next
            "0" | "1"
            "1" | "2"
            "2" | "3"
            "3" | "4"
            "4" | "5"
          }
          case "adds one to {n}" for each numbers {
            pass SHARE of rows
            user "What is {n} plus one?"
            must contain "is {next}."
          }
        }
        """;

    private LoopbackModelServer _server = null!;
    private TempFolder _folder = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        // Right on every row but n = 3.
        _server.Register("one-off", request =>
        {
            var n = int.Parse(Regex.Match(request.LastUserMessage, @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
            return "The answer is " + (n == 3 ? n + 2 : n + 1) + ".";
        });
        _folder = new TempFolder();
        _folder.Write("lenient.eval", Spec.Replace("SHARE", "80%"));
        _folder.Write("strict.eval", Spec.Replace("SHARE", "90%"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    private CliResult Run(string file)
    {
        var environment = RunCommandTests.Keys("k");
        environment["COLUMNS"] = "200";
        return CliRunner.Process(_folder.Path, environment,
        "run", file, "--target", $"openai:one-off@{_server.BaseUrl}", "--judge", $"openai:judge@{_server.BaseUrl}", "--no-cache");
    }

    [Fact]
    public void Four_of_five_rows_clear_80_percent_of_rows_though_a_row_fails()
    {
        var result = Run("lenient.eval");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("adds one to {n} (5 rows of numbers, 1 sample each)", result.Output);
        Assert.Contains("80% of rows", result.Output);
        Assert.True(result.Output.Contains("#4 0%"), result.Output);
    }

    [Fact]
    public void Four_of_five_rows_block_90_percent_of_rows()
    {
        var result = Run("strict.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("4/5 rows held, needs 90% of rows", result.Output);
        Assert.Contains("1 must failing", result.Output);
    }
}
