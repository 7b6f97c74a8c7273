using System.Linq;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary>
/// <c>evaldsl run</c> with more expectations than a table shows (<c>RunConsole.TableRows</c>): even on a wide terminal
/// the console lists them as it goes (a table measures every row first, and would hold them all).
/// </summary>
public sealed class LargeRunConsoleTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;
    private TempFolder _folder = null!;

    private static string Spec(int expectations) =>
        "suite \"Wide\" {\n  case \"many checks\" {\n    user \"Say the words.\"\n" +
        string.Concat(Enumerable.Range(1, expectations).Select(i => $"    should contain \"word{i} \"\n")) + "  }\n}\n";

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        // One reply with every word but the last one: one call, every expectation graded on it.
        _server.Register("words", _ => string.Concat(Enumerable.Range(1, Output.RunConsole.TableRows).Select(i => $"word{i} ")));
        _folder = new TempFolder();
        _folder.Write("table.eval", Spec(Output.RunConsole.TableRows));
        _folder.Write("list.eval", Spec(Output.RunConsole.TableRows + 1));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    private CliResult Run(string spec)
    {
        var environment = RunCommandTests.Keys("k");
        environment["COLUMNS"] = "200";
        return CliRunner.Process(_folder.Path, environment, "run", spec, "--target", $"openai:words@{_server.BaseUrl}", "--no-cache");
    }

    [Fact]
    public void Up_to_TableRows_expectations_are_a_table_and_more_are_a_list()
    {
        var table = Run("table.eval");
        var list = Run("list.eval");

        Assert.Equal(0, table.ExitCode);
        Assert.Equal(0, list.ExitCode);
        // The table: its header row, and the row of the first expectation beside the case.
        Assert.Matches(@"(?m)^  Case +Expectation +Rate +95% CI +Need +$", table.Output);
        Assert.Matches(@"(?m)^  many checks +should contain ""word1 "" +100% +21%–100% +100% +holds +$", table.Output);
        Assert.DoesNotContain("Expectation", list.Output);
        // The list: the suite, the case, then one line per expectation; the last word is missing from the reply.
        Assert.Contains("\nWide\n  many checks\n    holds     should contain \"word1 \": 100% (21%–100%), needs 100%\n", list.Output.Replace("\r\n", "\n"));
        Assert.Contains($"\n    fails     should contain \"word{Output.RunConsole.TableRows + 1} \": 0% (0%–79%), needs 100%\n", list.Output.Replace("\r\n", "\n"));
    }
}
