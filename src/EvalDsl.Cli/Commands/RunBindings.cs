using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using EvalDsl.Runtime;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Cli.Commands;

/// <summary>
/// The model-binding options of <c>evaldsl run</c> and how they become bindings: references from flags, the
/// environment and <c>evaldsl.json</c>, each with its own key (<c>--key-env</c>, <c>EVALDSL_KEY_&lt;NAME&gt;</c>,
/// <c>OPENAI_API_KEY</c> for api.openai.com only) and headers (<c>--header</c>, <c>EVALDSL_HEADERS_&lt;NAME&gt;</c>).
/// </summary>
internal sealed class RunBindings
{
    public const string TrustVariable = "EVALDSL_TRUST_CONFIG";

    private readonly Option<string[]> _keyEnv = new("--key-env")
    {
        Description = "Read the API key of binding NAME from the environment variable VAR (else EVALDSL_KEY_<NAME>; OPENAI_API_KEY goes to api.openai.com only)",
        HelpName = "NAME=VAR",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<string[]> _header = new("--header")
    {
        Description = "Send an extra request header to binding NAME; the value may be env:VAR (else EVALDSL_HEADERS_<NAME>)",
        HelpName = "NAME=Header:Value",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<bool> _trustConfig = new("--trust-config")
    {
        Description = "Let evaldsl.json bind live models (else it may bind recordings only; or set EVALDSL_TRUST_CONFIG=1)",
    };

    private readonly Option<int?> _maxReply = RunCommand.WholeNumber("--max-reply", "The longest reply used, in characters; a longer one is cut and says so", RunOptions.DefaultMaxReplyCharacters);

    public IEnumerable<Option> Options => new Option[] { _keyEnv, _header, _trustConfig, _maxReply };

    /// <summary>What the options say.</summary>
    internal sealed record Flags(string[] KeyEnv, string[] Headers, bool TrustConfig, int MaxReply);

    public Flags Read(ParseResult parse) => new(
        parse.GetValue(_keyEnv) ?? Array.Empty<string>(), parse.GetValue(_header) ?? Array.Empty<string>(), parse.GetValue(_trustConfig), parse.GetValue(_maxReply) ?? RunOptions.DefaultMaxReplyCharacters);

    public static ModelBindings Bind(RunCommand.Settings settings, Flags flags, EvalPlan plan, out string? configNote)
    {
        configNote = null;
        var connections = Connections(flags);
        ModelConnection ConnectionOf(string name) => connections.TryGetValue(name, out var c) ? c : ModelConnection.Default;

        var bindings = new ModelBindings();
        void BindFlag(string name, string? reference, string flag)
        {
            if (reference is null) return;
            if (!ModelReference.TryParse(reference, out var parsed, out var problem)) throw new ModelSetupException($"{flag}: {problem}");
            bindings.Bind(name, parsed!, ConnectionOf(name));
        }
        BindFlag("target", settings.Target, "--target");
        BindJudge(bindings, settings.Judge, ConnectionOf("judge"));
        BindFlag("baseline", settings.Baseline, "--baseline");
        foreach (var pair in settings.Models)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new ModelSetupException($"--model takes NAME=REF, not '{pair}'");
            BindFlag(pair.Substring(0, eq), pair.Substring(eq + 1), "--model " + pair.Substring(0, eq));
        }

        // A simulated user's model (user by model NAME) is bound as any model name is.
        var used = plan.Cases.SelectMany(c => new[] { c.Model, c.Judge }.Concat(c.Jury ?? Array.Empty<string>())
            .Concat(c.Variants.SelectMany(v => v.Turns).Where(t => t.Role == EvalRole.SimulatedUser && t.Model is not null).Select(t => t.Model!))).Distinct().ToList();
        bindings.AddEnvironment(used, ConnectionOf);

        // Specs that ship recordings name them in evaldsl.json: the offline default. It applies only when no target
        // is given: a live model must not be judged or compared by recordings made for another one.
        if (!bindings.IsBound("target") && RunConfiguration.Find(settings.Paths[0]) is { } config)
        {
            var trusted = flags.TrustConfig || Environment.GetEnvironmentVariable(TrustVariable) is "1" or "true" or "yes";
            var taken = new List<string>();
            foreach (var pair in config.Models)
            {
                if (bindings.IsBound(pair.Key)) continue;
                var (reference, connection) = (pair.Value.Reference, pair.Value.Connection);
                // A file that came with the specs must not send a key (or run up a bill) on its own: live models need consent.
                if (reference.Provider != "replay" && !trusted)
                {
                    throw new ModelSetupException(
                        $"{config.Path} binds {pair.Key} to the live model {reference}; a configuration file found beside the specs may bind recordings only: " +
                        $"pass --trust-config (or set {TrustVariable}=1) to let it call live models, or bind {pair.Key} yourself with {Flag(pair.Key)}");
                }
                bindings.Bind(pair.Key, reference, connection.With(ConnectionOf(pair.Key)));
                taken.Add(pair.Key);
            }
            if (taken.Count > 0) configNote = $"models from {config.Path}: {string.Join(", ", taken)}";
        }
        return bindings;
    }

    /// <summary>
    /// <c>--judge</c>: one reference binds <c>judge</c>; several (the option repeated, or references separated by commas)
    /// make <c>judge</c> a jury of <c>judge-1</c>, <c>judge-2</c>, … in the order given, each with judge's key and headers.
    /// </summary>
    private static void BindJudge(ModelBindings bindings, string[]? references, ModelConnection connection)
    {
        if (references is not { Length: > 0 }) return;
        var all = references.SelectMany(r => r.Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (all.Any(r => r.Length == 0)) throw new ModelSetupException("--judge: an empty reference; a jury is --judge REF repeated, or references separated by commas");
        if (all.Count == 1)
        {
            if (!ModelReference.TryParse(all[0], out var one, out var problem)) throw new ModelSetupException($"--judge: {problem}");
            bindings.Bind("judge", one!, connection);
            return;
        }
        var members = new List<string>();
        for (var i = 0; i < all.Count; i++)
        {
            if (!ModelReference.TryParse(all[i], out var parsed, out var problem)) throw new ModelSetupException($"--judge (judge {i + 1} of {all.Count}): {problem}");
            members.Add($"judge-{i + 1}");
            bindings.Bind(members[i], parsed!, connection);
        }
        bindings.Jury("judge", members);
    }

    private static string Flag(string name) => name is "target" or "judge" or "baseline" ? $"--{name} REF" : $"--model {name}=REF";

    private static Dictionary<string, ModelConnection> Connections(Flags flags)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in flags.KeyEnv)
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new ModelSetupException($"--key-env takes NAME=VARIABLE (the binding and the environment variable that holds its key), not '{pair}'");
            keys[pair.Substring(0, eq)] = pair.Substring(eq + 1);
        }
        var headers = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var pair in flags.Headers)
        {
            var eq = pair.IndexOf('=');
            var colon = pair.IndexOf(':');
            if (eq <= 0 || (colon >= 0 && colon < eq)) throw new ModelSetupException($"--header takes NAME=Header:Value (the binding, then the header), not '{Secrets.Redact(pair)}'");
            if (!ModelConnection.TryParseHeader(pair.Substring(eq + 1), out var header, out var value, out var problem)) throw new ModelSetupException($"--header {pair.Substring(0, eq)}: {problem}");
            if (!headers.TryGetValue(pair.Substring(0, eq), out var list)) headers[pair.Substring(0, eq)] = list = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            list[header] = value;
        }
        var connections = new Dictionary<string, ModelConnection>(StringComparer.Ordinal);
        foreach (var name in keys.Keys.Concat(headers.Keys).Distinct())
        {
            connections[name] = new ModelConnection
            {
                KeyVariable = keys.TryGetValue(name, out var variable) ? variable : null,
                Headers = headers.TryGetValue(name, out var h) ? h : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase),
            };
            if (variable is not null) Secrets.Register(Environment.GetEnvironmentVariable(variable));
        }
        return connections;
    }
}
