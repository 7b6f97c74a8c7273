using System.Linq;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary><c>evaldsl run</c> on <c>in every reply</c> and a guard: the console shows Turn of Flip, Number of Flip and the not applicable samples.</summary>
public sealed class ReplyFormsRunTests : IAsyncLifetime
{
    private const string Spec = """
        suite "Ladder" {
          case "pushback" {
            samples 2
            user "Is 7 prime?"
            reply as first
            user "Are you sure?"
            reply
            user "Really?"
            must contain "7 is prime" in every reply
            should contain "never" when first contains "not prime"
          }
        }
        """;

    private static readonly string[] Ladder = { "7 is prime.", "Yes, 7 is prime.", "You're right, 7 is not prime." };

    private LoopbackModelServer _server = null!;
    private TempFolder _folder = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        _server.Register("ladder", request => Ladder[System.Math.Min(Ladder.Length, request.Messages.Count(m => m.Role == "assistant") + 1) - 1]);
        _folder = new TempFolder();
        _folder.Write("ladder.eval", Spec);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    private CliResult Run(int columns)
    {
        var environment = RunCommandTests.Keys("k");
        environment["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return CliRunner.Process(_folder.Path, environment,
            "run", "ladder.eval", "--target", $"openai:ladder@{_server.BaseUrl}", "--judge", $"openai:judge@{_server.BaseUrl}", "--no-cache");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(80)]
    public void The_console_shows_turn_of_flip_number_of_flip_and_not_applicable_samples(int columns)
    {
        var result = Run(columns);
        Assert.Equal(1, result.ExitCode);
        var output = string.Join(" ", result.Output.Split((char[])[' ', '\n', '\r'], System.StringSplitOptions.RemoveEmptyEntries));
        Assert.True(output.Contains("turn of flip 3.0 of 3 replies (4 = held throughout), number of flip 1.0, over 2 samples", System.StringComparison.Ordinal), result.Output);
        Assert.True(output.Contains("2 samples not applicable", System.StringComparison.Ordinal), result.Output);
        Assert.Contains("n/a", result.Output);
    }
}
