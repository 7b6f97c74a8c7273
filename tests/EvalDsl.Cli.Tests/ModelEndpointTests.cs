using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace EvalDsl.Cli.Tests;

/// <summary>
/// Keys per endpoint, headers per binding, evaldsl.json trust, hostile model servers and redaction, through a real
/// <c>evaldsl run</c> process against two loopback servers.
/// </summary>
public sealed class ModelEndpointTests : IAsyncLifetime
{
    private const string OpenAiKey = "sk-openai-3c9e51d7a2f04b68";
    private const string TargetKey = "sk-target-8b2d47e1c09f3a65";
    private const string JudgeKey = "sk-judge-51f0a9c3e7d24b86";
    private const string PortkeyKey = "pk-portkey-e4a7093b1d5c2f68";

    private const string Spec = """
        suite "Small" {
          case "capital" {
            user "What is the capital of Australia?"
            must contain "Canberra"
            must mention risks
          }
        }

        """;

    private LoopbackModelServer _a = null!;
    private LoopbackModelServer _b = null!;
    private TempFolder _folder = null!;

    public async Task InitializeAsync()
    {
        _a = await LoopbackModelServer.StartAsync();
        _b = await LoopbackModelServer.StartAsync();
        _folder = new TempFolder();
        _folder.Write("small.eval", Spec);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        _folder.Dispose();
    }

    private CliResult Run(IDictionary<string, string?> environment, params string[] args) => CliRunner.Process(_folder.Path, environment, args);

    private static Dictionary<string, string?> Env(params (string Name, string Value)[] pairs) => pairs.ToDictionary(p => p.Name, p => (string?)p.Value);

    [Fact]
    public void Each_binding_gets_its_own_key_and_headers_and_the_OpenAI_key_reaches_no_other_host()
    {
        var environment = Env(("OPENAI_API_KEY", OpenAiKey), ("EVALDSL_KEY_TARGET", TargetKey), ("MY_JUDGE_KEY", JudgeKey), ("PORTKEY_KEY", PortkeyKey));
        var result = Run(environment, "run", "small.eval", "--no-cache",
            "--target", $"openai:honest@{_a.BaseUrl}", "--baseline", $"openai:sycophantic@{_a.BaseUrl}", "--judge", $"openai:judge@{_b.BaseUrl}",
            "--key-env", "judge=MY_JUDGE_KEY", "--header", "target=x-portkey-api-key:env:PORTKEY_KEY", "--header", "judge=api-key:fixed-value");
        Assert.True(result.ExitCode is 0 or 1, result.Output + result.Error);

        var target = _a.Requests.Where(r => r.Model == "honest").ToList();
        var baseline = _a.Requests.Where(r => r.Model == "sycophantic").ToList();
        var judge = _b.Requests.ToList();
        Assert.NotEmpty(target);
        Assert.NotEmpty(baseline);
        Assert.NotEmpty(judge);
        Assert.All(target, r => Assert.Equal(TargetKey, r.ApiKey));
        Assert.All(target, r => Assert.Equal(PortkeyKey, r.Headers["x-portkey-api-key"]));
        // A custom URL with no key of its own gets no Authorization at all — never OPENAI_API_KEY.
        Assert.All(baseline, r => Assert.False(r.Headers.ContainsKey("Authorization")));
        Assert.All(baseline, r => Assert.False(r.Headers.ContainsKey("x-portkey-api-key")));
        Assert.All(judge, r => Assert.Equal(JudgeKey, r.ApiKey));
        Assert.All(judge, r => Assert.Equal("fixed-value", r.Headers["api-key"]));
        Assert.DoesNotContain(_a.Requests.Concat(_b.Requests), r => r.RawJson.Contains(OpenAiKey) || r.Headers.Values.Any(v => v.Contains(OpenAiKey)));
    }

    [Fact]
    public void Headers_from_the_environment_reach_their_binding_and_a_server_that_wants_a_key_says_which_variable_to_set()
    {
        _b.RequiredApiKey = JudgeKey;
        var environment = Env(("OPENAI_API_KEY", OpenAiKey), ("EVALDSL_HEADERS_TARGET", "x-team: evals; x-portkey-api-key: env:PORTKEY_KEY"), ("PORTKEY_KEY", PortkeyKey));
        var result = Run(environment, "run", "small.eval", "--no-cache", "--report", "out",
            "--target", $"openai:honest@{_a.BaseUrl}", "--judge", $"openai:judge@{_b.BaseUrl}");
        Assert.Equal(3, result.ExitCode);
        Assert.All(_a.Requests, r => Assert.Equal("evals", r.Headers["x-team"]));
        Assert.All(_a.Requests, r => Assert.Equal(PortkeyKey, r.Headers["x-portkey-api-key"]));
        Assert.All(_b.Requests, r => Assert.Null(r.ApiKey));
        Assert.Equal($"evaldsl: error: judge model openai:judge@{_b.BaseUrl} refused the request, which carried no API key (HTTP 401: Incorrect API key provided.); set EVALDSL_KEY_JUDGE or pass --key-env judge=VARIABLE",
            Assert.Single(result.Error.Split('\n'), l => l.StartsWith("evaldsl:", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_key_variable_that_is_not_set_is_one_line_and_exit_2()
    {
        var result = Run(Env(), "run", "small.eval", "--target", $"openai:honest@{_a.BaseUrl}", "--judge", $"openai:judge@{_a.BaseUrl}", "--key-env", "target=NO_SUCH_KEY_VARIABLE");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("evaldsl: error: the key of the target model is to come from NO_SUCH_KEY_VARIABLE, which is not set\n", result.Error);
        Assert.Equal(0, _a.CallCount);
    }

    [Fact]
    public void A_committed_evaldsl_json_cannot_call_a_live_model_without_consent()
    {
        _folder.Write("evaldsl.json", $$$"""{"models": {"target": "openai:honest@{{{_a.BaseUrl}}}", "judge": "openai:judge@{{{_a.BaseUrl}}}"}}""");
        var environment = Env(("OPENAI_API_KEY", OpenAiKey));
        var refused = Run(environment, "run", "small.eval", "--no-cache");
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal($"evaldsl: error: evaldsl.json binds target to the live model openai:honest@{_a.BaseUrl}; a configuration file found beside the specs may bind recordings only: " +
                     "pass --trust-config (or set EVALDSL_TRUST_CONFIG=1) to let it call live models, or bind target yourself with --target REF\n", refused.Error);
        Assert.Equal(0, _a.CallCount);

        // With consent the models are called, and the key still follows the per-endpoint rule: none for this host.
        var trusted = Run(environment, "run", "small.eval", "--no-cache", "--trust-config");
        Assert.True(trusted.ExitCode is 0 or 1, trusted.Output + trusted.Error);
        Assert.NotEqual(0, _a.CallCount);
        Assert.All(_a.Requests, r => Assert.Null(r.ApiKey));

        // key-env in the file names the variable of the key (again only with consent).
        _a.ResetCounts();
        _folder.Write("evaldsl.json", $$$"""{"models": {"target": {"ref": "openai:honest@{{{_a.BaseUrl}}}", "key-env": "TEAM_KEY", "headers": {"x-team": "env:TEAM_HEADER"}}, "judge": "openai:judge@{{{_a.BaseUrl}}}"}}""");
        var keyed = Run(Env(("TEAM_KEY", TargetKey), ("TEAM_HEADER", PortkeyKey), ("EVALDSL_TRUST_CONFIG", "1")), "run", "small.eval", "--no-cache");
        Assert.True(keyed.ExitCode is 0 or 1, keyed.Output + keyed.Error);
        Assert.All(_a.Requests.Where(r => r.Model == "honest"), r => Assert.Equal(TargetKey, r.ApiKey));
        Assert.All(_a.Requests.Where(r => r.Model == "honest"), r => Assert.Equal(PortkeyKey, r.Headers["x-team"]));
    }

    public static TheoryData<HostileReply, string> HostileTargets => new()
    {
        { HostileReply.InvalidJson, "target model: the server's reply is not JSON (it begins \"{\"id\":\"chatcmpl-hostile\",\"object\":\"chat.…\") (after 1 attempt)" },
        { HostileReply.Html, "target model: the server's reply is not JSON (it begins \"<!DOCTYPE html> <html><head><title>502 B…\") (after 1 attempt)" },
        { HostileReply.EventStream, "target model: the server answered with an event stream (text/event-stream) to a request that asked for one JSON reply (after 1 attempt)" },
        { HostileReply.EmptyObject, "target model: the server's reply is not a chat completion: it has no \"choices\" (after 1 attempt)" },
        { HostileReply.Null, "target model: the server's reply is JSON null, not a chat completion object (after 1 attempt)" },
        { HostileReply.Array, "target model: the server's reply is a JSON array, not a chat completion object (after 1 attempt)" },
        { HostileReply.EmptyChoices, "target model: the server's reply is not a chat completion: \"choices\" is empty (after 1 attempt)" },
        { HostileReply.MissingChoices, "target model: the server's reply is not a chat completion: it has no \"choices\" (after 1 attempt)" },
        { HostileReply.WrongTypes, "target model: the server's reply is not a chat completion: choices[0].message.content is a number, not text (after 1 attempt)" },
        { HostileReply.Huge, "target model: the server's reply is larger than 5.8 MB, more than a reply of at most 1,000,000 characters takes (--max-reply); it was cut off unread" },
        { HostileReply.RetryAfterHuge, "target model: the server answered HTTP 429: Slow down (hostile loopback server). (after 1 attempt)" },
        { HostileReply.ToolCall, "target model: the model answered with a tool call (get_weather) instead of text; a spec offers no tools, so there is no reply to grade" },
    };

    [Theory]
    [MemberData(nameof(HostileTargets))]
    public void A_hostile_target_is_a_per_call_error_and_the_run_writes_its_reports_and_exits_3(HostileReply mode, string error)
    {
        _a.RegisterHostile("hostile", mode);
        var result = Run(Env(), "run", "small.eval", "--no-cache", "--retries", "0", "--report", "out",
            "--target", $"openai:hostile@{_a.BaseUrl}", "--judge", $"openai:judge@{_b.BaseUrl}");
        Assert.True(result.ExitCode == 3, result.Output + result.Error);
        Assert.DoesNotContain("internal error", result.Error);
        Assert.DoesNotContain("   at ", result.Output + result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "out", "results.json")));
        var trial = json.RootElement.GetProperty("cases")[0].GetProperty("target")[0].GetProperty("trials")[0];
        Assert.Equal(error, trial.GetProperty("error").GetString());
        Assert.True(File.Exists(Path.Combine(_folder.Path, "out", "junit.xml")));
        Assert.True(File.Exists(Path.Combine(_folder.Path, "out", "report.html")));
    }

    [Fact]
    public void A_judge_that_answers_invalid_json_is_a_judge_error_and_exit_3()
    {
        _b.RegisterHostile("judge-broken", HostileReply.InvalidJson);
        var result = Run(Env(), "run", "small.eval", "--no-cache", "--retries", "0", "--report", "out",
            "--target", $"openai:honest@{_a.BaseUrl}", "--judge", $"openai:judge-broken@{_b.BaseUrl}");
        Assert.True(result.ExitCode == 3, result.Output + result.Error);
        Assert.DoesNotContain("internal error", result.Error);
        var text = File.ReadAllText(Path.Combine(_folder.Path, "out", "results.json"));
        Assert.Contains("The judge could not be asked: the server's reply is not JSON (it begins", text);
    }

    [Theory]
    [InlineData(HostileReply.Refusal, HostileReplies.RefusalText)]
    [InlineData(HostileReply.LoneSurrogate, "Canberra \uFFFD is the capital \uFFFD of Australia. \uFFFDAW")]
    public void A_refusal_or_a_reply_with_lone_surrogates_is_a_reply_and_graded(HostileReply mode, string reply)
    {
        _a.RegisterHostile("odd", mode);
        var result = Run(Env(), "run", "small.eval", "--no-cache", "--retries", "0", "--report", "out",
            "--target", $"openai:odd@{_a.BaseUrl}", "--judge", $"openai:judge@{_b.BaseUrl}");
        Assert.True(result.ExitCode is 0 or 1, result.Output + result.Error);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder.Path, "out", "results.json")));
        var transcript = json.RootElement.GetProperty("cases")[0].GetProperty("target")[0].GetProperty("trials")[0].GetProperty("transcript");
        Assert.Equal(reply, transcript[transcript.GetArrayLength() - 1].GetProperty("text").GetString());
        Assert.Equal(1, _a.CallsFor("odd"));
    }

    [Fact]
    public void A_reply_longer_than_max_reply_is_cut_and_says_so()
    {
        _a.Register("long", _ => "Canberra " + new string('x', 5000));
        var result = Run(Env(), "run", "small.eval", "--no-cache", "--report", "out", "--max-reply", "1000",
            "--target", $"openai:long@{_a.BaseUrl}", "--judge", $"openai:judge@{_b.BaseUrl}");
        Assert.True(result.ExitCode is 0 or 1, result.Output + result.Error);
        var text = File.ReadAllText(Path.Combine(_folder.Path, "out", "results.json"));
        Assert.Contains("\\n[evaldsl: the reply was cut at 1,000 of 5,009 characters; --max-reply sets the limit]", text);
    }

    [Fact]
    public void Keys_and_header_secrets_echoed_by_a_server_are_redacted_from_everything_written()
    {
        // The model echoes every secret it was sent; its server error cuts a key at the 200th character.
        _a.Register("leaky", r => $"Canberra. Your key is {r.ApiKey}, your gateway key {r.Headers["x-portkey-api-key"]}, and {OpenAiKey}.");
        _a.Register("leaky-error", r => throw new InvalidOperationException(new string('e', 200 - 66 - 10) + r.ApiKey));
        _folder.Write("two.eval", Spec.Replace("suite \"Small\"", "suite \"Two\"") + """
            suite "Other" {
              case "other" {
                model other
                user "Hello?"
                must contain "Canberra"
              }
            }

            """);
        var environment = Env(("OPENAI_API_KEY", OpenAiKey), ("EVALDSL_KEY_TARGET", TargetKey), ("EVALDSL_KEY_OTHER", JudgeKey), ("PORTKEY_KEY", PortkeyKey));
        var result = Run(environment, "run", "two.eval", "--report", "out", "--record", "rec", "--retries", "0",
            "--target", $"openai:leaky@{_a.BaseUrl}", "--judge", $"openai:judge@{_b.BaseUrl}", "--model", $"other=openai:leaky-error@{_a.BaseUrl}",
            "--header", "target=x-portkey-api-key:env:PORTKEY_KEY");
        // Blocked (must mention risks fails) wins over the undecided case of the failing server.
        Assert.True(result.ExitCode == 1, result.Output + result.Error);
        Assert.Contains(_a.Requests, r => r.ApiKey == TargetKey);
        Assert.Contains(_a.Requests, r => r.ApiKey == JudgeKey);

        var written = Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".eval", StringComparison.Ordinal)).ToList();
        Assert.Contains(written, f => f.EndsWith("exchanges.jsonl", StringComparison.Ordinal));
        Assert.Contains(written, f => f.Contains(Path.Combine(".evaldsl", "cache"), StringComparison.Ordinal));
        Assert.Contains(written, f => f.EndsWith("journal.jsonl", StringComparison.Ordinal));
        var everything = result.Output + result.Error + string.Concat(written.Select(File.ReadAllText));
        Assert.Contains("Your key is [redacted], your gateway key [redacted], and [redacted].", everything);
        Assert.Contains("[redacted]", File.ReadAllText(Path.Combine(_folder.Path, "out", "results.json")).Split("leaky-error")[^1]);
        foreach (var secret in new[] { OpenAiKey, TargetKey, JudgeKey, PortkeyKey })
        {
            // Not even a prefix survives a cut.
            Assert.DoesNotContain(secret.Substring(0, 8), everything);
        }
    }

    [Fact]
    public void Credentials_in_urls_are_redacted_from_errors_and_reports()
    {
        var bad = Run(Env(), "run", "small.eval", "--target", "openai:m@ftp://admin:hunter2secret@host/v1", "--judge", $"openai:judge@{_b.BaseUrl}");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("evaldsl: error: --target: 'ftp://[redacted]@host/v1' in 'openai:m@ftp://[redacted]@host/v1' is not an http(s) URL; write openai:MODEL@http://host:port/v1\n", bad.Error);

        var result = Run(Env(), "run", "small.eval", "--no-cache", "--report", "out",
            "--target", $"openai:honest@{_a.BaseUrl}?api-key=qs-secret-93b1e2", "--judge", $"openai:judge@{_b.BaseUrl}");
        Assert.True(result.ExitCode is 0 or 1, result.Output + result.Error);
        Assert.Contains("api-key=[redacted]", result.Output + File.ReadAllText(Path.Combine(_folder.Path, "out", "results.json")));
        var everything = result.Output + result.Error + string.Concat(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain("qs-secret-93b1e2", everything);
    }
}

/// <summary>The last line of defence: an unexpected exception's message is redacted too.</summary>
public sealed class InternalErrorRedactionTests
{
    private sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("the writer broke on sk-internal-4f2a9c1e7b3d and ftp://u:p4ss@h/x");

        public override void Write(string? value) => Write('x');

        public override void WriteLine(string? value) => Write('x');
    }

    [Fact]
    public void The_internal_error_line_redacts_keys_and_url_credentials()
    {
        EvalDsl.Runtime.Models.Secrets.Register("sk-internal-4f2a9c1e7b3d");
        var error = new StringWriter();
        var code = Cli.Run(new[] { "explain", "EVAL0101" }, new FailingWriter(), error);
        Assert.Equal(2, code);
        Assert.Equal("evaldsl: internal error: InvalidOperationException: the writer broke on [redacted] and ftp://[redacted]@h/x\n" +
                     "This is a bug in evaldsl; please report it with the spec that caused it.\n", error.ToString().Replace("\r\n", "\n"));
    }
}
