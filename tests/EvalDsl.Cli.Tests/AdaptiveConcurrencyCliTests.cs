using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary><c>evaldsl run</c> against a server with a concurrency limit: the adaptive limit backs off and says so in the progress line.</summary>
public sealed class AdaptiveConcurrencyCliTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;
    private TempFolder _folder = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        _folder = new TempFolder();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public void A_run_that_meets_429s_finishes_every_sample_and_shows_the_binding_limit_below_its_ceiling()
    {
        _server.ConcurrencyLimit = 1;
        // Long enough that the calls the run starts together meet at the server.
        _server.Latency = System.TimeSpan.FromMilliseconds(100);
        _folder.Write("echo.eval", """
            suite "Echo" {
              samples 8
              case "echo" {
                user "hello"
                must contain "hello"
              }
            }

            """);
        var result = CliRunner.Process(_folder.Path, new Dictionary<string, string?> { ["EVALDSL_PROGRESS_SECONDS"] = "0" },
            "run", "echo.eval", "--target", $"openai:echo@{_server.BaseUrl}", "--concurrency", "4", "--retries", "20", "--no-cache", "--report", "out");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal(8, _server.CallCount);
        Assert.True(_server.ThrottledCount > 0);
        Assert.Matches(new Regex(@"progress: \d of 8 samples finished \(\d+%\), \d+ s, limit [1-3]/4 target\n"), result.Output);
    }
}
