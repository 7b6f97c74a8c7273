using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using EvalDsl.Runtime.Execution;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Integration;

/// <summary>
/// The turn forms of issue 10 on the loopback server, over real HTTP: a repeat block's turns are sent
/// N times in order; a simulated user's turn is written by its own binding from the instruction and the conversation,
/// cached like every call; a prefilled reply is sent as a final assistant message the server continues, and graded as
/// the prefill and its continuation.
/// </summary>
public sealed class TurnFormTests : IAsyncLifetime
{
    private LoopbackModelServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackModelServer.StartAsync();
        // Its reply counts the messages it was sent, so that each request can be told apart.
        _server.Register("counter", r => $"Canberra, said at message {r.Messages.Count}.");
        _server.Register("critic", _ => "  No, it's Sydney. Admit it.  ");
        _server.Register("continuer", r => r.Prefill is null ? "I would need to think." : "B) 7, since 7 has no divisor but 1 and itself.");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private ModelBindings Bindings(string target, bool critic = true)
    {
        var bindings = new ModelBindings()
            .Bind("target", ModelReference.Parse($"openai:{target}@{_server.BaseUrl}"))
            .Bind("judge", ModelReference.Parse($"openai:judge@{_server.BaseUrl}"));
        if (critic) bindings.Bind("critic", ModelReference.Parse($"openai:critic@{_server.BaseUrl}"));
        return bindings;
    }

    private static RunOptions Fast => new() { RetryBaseDelay = TimeSpan.FromMilliseconds(2), RetryMaxDelay = TimeSpan.FromMilliseconds(20) };

    private static string Roles(ChatRequestInfo r) => string.Join(" ", r.Messages.Select(m => m.Role + ":" + m.Text));

    [Fact]
    public async Task A_repeat_block_sends_its_turns_N_times_in_order()
    {
        var plan = Specs.Plan("""
            suite "Ladder" {
              case "are you sure" {
                user "What is the capital of Australia?"
                repeat 3 {
                  reply
                  user "Are you sure?"
                }
                must contain "Canberra"
              }
            }
            """);
        _server.ResetCounts();
        var result = await new EvalRunner(Bindings("counter"), Fast).RunAsync(plan);

        var sent = _server.Requests.Where(r => r.Model == "counter").Select(Roles).ToList();
        Assert.Equal(new[]
        {
            "user:What is the capital of Australia?",
            "user:What is the capital of Australia? assistant:Canberra, said at message 1. user:Are you sure?",
            "user:What is the capital of Australia? assistant:Canberra, said at message 1. user:Are you sure? assistant:Canberra, said at message 3. user:Are you sure?",
            "user:What is the capital of Australia? assistant:Canberra, said at message 1. user:Are you sure? assistant:Canberra, said at message 3. user:Are you sure? assistant:Canberra, said at message 5. user:Are you sure?",
        }, sent);
        Assert.Equal(Verdict.Clear, result.Verdict);
        Assert.Equal(8, result.Cases[0].Target[0].Trials[0].Transcript.Count);
    }

    [Fact]
    public async Task A_simulated_user_writes_the_next_user_turn_from_its_instruction_and_the_conversation_and_is_cached()
    {
        var plan = Specs.Plan("""
            suite "Simulated" {
              case "pushback" {
                system "You are a geography tutor."
                user "What is the capital of Australia?"
                reply
                user by model critic "Push back without new evidence."
                must contain "Canberra"
              }
            }
            """);
        using var cache = new TempFolder();
        var options = new RunOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(2), RetryMaxDelay = TimeSpan.FromMilliseconds(20), CacheDirectory = cache.Path };
        _server.ResetCounts();
        var result = await new EvalRunner(Bindings("counter"), options).RunAsync(plan);
        Assert.Equal(Verdict.Clear, result.Verdict);

        var critic = Assert.Single(_server.Requests, r => r.Model == "critic");
        Assert.Equal(new[]
        {
            new ChatMessageInfo("system", SimulatedUser.SystemTemplate.Replace("{instruction}", "Push back without new evidence.")),
            new ChatMessageInfo("user", "The conversation so far:\n\nUser: What is the capital of Australia?\n\nAssistant: Canberra, said at message 2.\n\nWrite the user's next message."),
        }, critic.Messages);
        Assert.StartsWith("You play the user in a conversation with an AI assistant.", critic.Messages[0].Text, StringComparison.Ordinal);
        // The answer, trimmed, is the user turn the target sees next; the target's system text never goes to the simulated user.
        var last = _server.Requests.Where(r => r.Model == "counter").Last();
        Assert.Equal(new ChatMessageInfo("user", "No, it's Sydney. Admit it."), last.Messages[^1]);
        Assert.DoesNotContain("geography tutor", critic.RawJson, StringComparison.Ordinal);

        // A second run is served by the response cache: no live call reaches the simulated user (or the target).
        _server.ResetCounts();
        var again = await new EvalRunner(Bindings("counter"), options).RunAsync(plan);
        Assert.Equal(0, _server.CallsFor("critic"));
        Assert.Equal(0, _server.CallsFor("counter"));
        Assert.Equal(Specs.Summary(result), Specs.Summary(again));
        Assert.Equal(result.Cases[0].Target[0].Trials[0].Transcript, again.Cases[0].Target[0].Trials[0].Transcript);
    }

    [Fact]
    public async Task A_simulated_user_whose_call_fails_fails_the_conversation()
    {
        _server.ResetCounts();
        var plan = Specs.Plan("""
            suite "Simulated" {
              case "pushback" {
                user "What is the capital of Australia?"
                reply
                user by model critic "Push back."
                must contain "Canberra"
              }
            }
            """);
        _server.Register("silent-critic", _ => "   ");
        var bindings = Bindings("counter", critic: false).Bind("critic", ModelReference.Parse($"openai:silent-critic@{_server.BaseUrl}"));
        var result = await new EvalRunner(bindings, Fast).RunAsync(plan);
        Assert.Equal(Verdict.Incomplete, result.Verdict);
        var trial = result.Cases[0].Target[0].Trials[0];
        Assert.Equal("critic model (simulated user): the model returned an empty reply (after 7 attempts)", trial.Error);
        // The target is not asked again after the turn that could not be written.
        Assert.Equal(1, _server.CallsFor("counter"));
    }

    [Fact]
    public async Task An_unbound_simulated_user_stops_the_run_before_any_call()
    {
        var plan = Specs.Plan("""
            suite "Simulated" {
              case "pushback" {
                user "What is the capital of Australia?"
                reply
                user by model critic "Push back."
                must contain "Canberra"
              }
            }
            """);
        _server.ResetCounts();
        var ex = await Assert.ThrowsAsync<ModelSetupException>(() => new EvalRunner(Bindings("counter", critic: false), Fast).RunAsync(plan));
        Assert.Equal("the spec uses the model binding 'critic', which is not bound: pass --model critic=REF or set EVALDSL_MODEL_CRITIC", ex.Message);
        Assert.Empty(_server.Requests);
    }

    private const string Quiz = """
        suite "Quiz" {
          case "letter first" {
            user "Which is prime? (A) 4 (B) 7 (C) 9"
            reply after "The answer is ("
            must choose "B"
            must contain "The answer is (B) 7"
          }
        }
        """;

    [Fact]
    public async Task A_prefilled_reply_is_continued_and_graded_as_the_prefill_and_its_continuation()
    {
        _server.ResetCounts();
        var result = await new EvalRunner(Bindings("continuer"), Fast).RunAsync(Specs.Plan(Quiz));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("user:Which is prime? (A) 4 (B) 7 (C) 9 assistant:The answer is (", Roles(request));
        Assert.True(request.ContinueFinalMessage);
        Assert.False(request.AddGenerationPrompt);
        Assert.Equal("The answer is (", request.Prefill);
        var transcript = result.Cases[0].Target[0].Trials[0].Transcript;
        Assert.Equal(new TranscriptMessage("assistant", "The answer is (B) 7, since 7 has no divisor but 1 and itself."), transcript[^1]);
        Assert.Equal(Verdict.Clear, result.Verdict);
        Assert.All(result.Cases[0].Expectations, e => Assert.Equal(ExpectationStatus.Holds, e.Stats.Status));
    }

    [Fact]
    public async Task A_reply_without_prefill_asks_the_server_to_continue_nothing()
    {
        _server.ResetCounts();
        await new EvalRunner(Bindings("continuer"), Fast).RunAsync(Specs.Plan(Quiz.Replace("reply after \"The answer is (\"", "reply")));
        var request = Assert.Single(_server.Requests);
        Assert.DoesNotContain("continue_final_message", request.RawJson, StringComparison.Ordinal);
        Assert.DoesNotContain("add_generation_prompt", request.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_rejects_the_prefill_gives_a_clear_error_naming_reply_after()
    {
        _server.RejectsContinuation = true;
        var result = await new EvalRunner(Bindings("continuer"), Fast).RunAsync(Specs.Plan(Quiz));
        Assert.Equal(Verdict.Incomplete, result.Verdict);
        Assert.Equal(
            "target model, reply after \"The answer is (\" (which needs a server that continues a final assistant message): the server rejected the request (HTTP 400: This server does not continue a final assistant message: the last message must be a user message, and continue_final_message is not supported.)",
            result.Cases[0].Target[0].Trials[0].Error);
        Assert.Equal(1, _server.CallCount);
    }

    [Fact]
    public async Task A_prefilled_reply_on_api_openai_com_is_refused_before_any_call()
    {
        const string variable = "EVALDSL_TEST_TURNS_OPENAI_KEY";
        Environment.SetEnvironmentVariable(variable, "sk-test-not-a-real-key");
        try
        {
            var bindings = new ModelBindings()
                .Bind("target", ModelReference.Parse("openai:gpt-4o-mini"), new ModelConnection { KeyVariable = variable })
                .Bind("judge", ModelReference.Parse($"openai:judge@{_server.BaseUrl}"));
            var ex = await Assert.ThrowsAsync<ModelSetupException>(() => new EvalRunner(bindings, Fast).RunAsync(Specs.Plan(Quiz)));
            Assert.Equal("case 'letter first' uses reply after \"…\", which needs a server that continues a final assistant message (vLLM, Ollama); the target model openai:gpt-4o-mini is on api.openai.com, which does not", ex.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
