using System.Linq;
using System.Threading.Tasks;
using EvalDsl.Testing;

namespace EvalDsl.Cli.Tests;

/// <summary><c>evaldsl run</c> with a simulated user (<c>user by model NAME</c>): its binding is one more model name, bound before any call.</summary>
public sealed class TurnFormsCliTests : IAsyncLifetime
{
    private const string Spec = """
        suite "Simulated" {
          case "pushback" {
            user "What is the capital of Australia?"
            reply
            user by model critic "Push back without new evidence."
            must contain "Canberra"
          }
        }
        """;

    private LoopbackModelServer _server = null!;
    private TempFolder _folder = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        _server.Register("canberra", _ => "Canberra.");
        _server.Register("critic", _ => "No, it's Sydney.");
        _folder = new TempFolder();
        _folder.Write("simulated.eval", Spec);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public void An_unbound_simulated_user_is_a_usage_error_before_any_call()
    {
        var result = CliRunner.Process(_folder.Path, RunCommandTests.Keys("k"),
            "run", "simulated.eval", "--target", $"openai:canberra@{_server.BaseUrl}", "--no-cache");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the spec uses the model binding 'critic', which is not bound: pass --model critic=REF or set EVALDSL_MODEL_CRITIC", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void A_simulated_user_bound_in_the_environment_writes_the_pushback()
    {
        var environment = RunCommandTests.Keys("k");
        environment["EVALDSL_MODEL_CRITIC"] = $"openai:critic@{_server.BaseUrl}";
        var result = CliRunner.Process(_folder.Path, environment,
            "run", "simulated.eval", "--target", $"openai:canberra@{_server.BaseUrl}", "--no-cache");
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Equal(1, _server.CallsFor("critic"));
        Assert.Equal("No, it's Sydney.", _server.Requests.Last(r => r.Model == "canberra").LastUserMessage);
    }
}
