using System;
using System.Collections.Generic;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// Creates the chat client of a model reference. Keys are per endpoint: a binding's key comes from the variable it
/// names (<see cref="ModelConnection.KeyVariable"/>), else <c>EVALDSL_KEY_&lt;NAME&gt;</c>, else — for api.openai.com
/// only — <c>OPENAI_API_KEY</c>; any other server gets no key at all unless one is given for it.
/// </summary>
internal static class ModelClients
{
    public const string KeyVariablePrefix = "EVALDSL_KEY_";
    public const string HeadersVariablePrefix = "EVALDSL_HEADERS_";

    /// <summary><c>EVALDSL_KEY_MY_BOT</c> for the binding <c>my-bot</c>.</summary>
    public static string KeyVariable(string name) => KeyVariablePrefix + Suffix(name);

    /// <summary><c>EVALDSL_HEADERS_MY_BOT</c> for the binding <c>my-bot</c>.</summary>
    public static string HeadersVariable(string name) => HeadersVariablePrefix + Suffix(name);

    private static string Suffix(string name) => name.ToUpperInvariant().Replace('-', '_');

    /// <summary>Whether OPENAI_API_KEY may go to the reference's server: api.openai.com over https, or no URL at all.</summary>
    public static bool IsOpenAi(ModelReference reference) =>
        reference.BaseUrl is null ||
        (reference.BaseUrl.Scheme == Uri.UriSchemeHttps && string.Equals(reference.BaseUrl.IdnHost, "api.openai.com", StringComparison.OrdinalIgnoreCase) && reference.BaseUrl.IsDefaultPort);

    public static ModelBinding Create(string name, ModelReference reference, ModelConnection? connection = null)
    {
        if (reference.Provider == "replay")
        {
            return new ModelBinding(name, reference.ToString(), new ReplayChatClient(ReplayStore.Load(reference.Path!)), isReplay: true);
        }

        connection ??= ModelConnection.Default;
        var (key, source) = Key(name, reference, connection);
        Secrets.Register(key);
        if (reference.BaseUrl is { } url)
        {
            foreach (var value in Secrets.QueryValues(url)) Secrets.Register(value);
        }
        var headers = Headers(name, connection);

        // Retries and timeouts are EvalDsl's own (CallPipeline): the client makes one request per attempt, with no time limit.
        var baseUrl = reference.BaseUrl ?? OpenAiCompatibleClient.DefaultBaseUrl;
        var client = new OpenAiCompatibleClient(baseUrl, reference.Model, key, headers);
        return new ModelBinding(name, reference.ToString(), client, isReplay: false, source)
        {
            IsOpenAiApi = IsOpenAi(reference),
            BatchEndpoint = new Batch.BatchEndpoint(baseUrl, reference.Model, key, headers),
        };
    }

    private static (string? Key, string? Source) Key(string name, ModelReference reference, ModelConnection connection)
    {
        if (connection.KeyVariable is { } variable)
        {
            var named = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrWhiteSpace(named))
            {
                throw new ModelSetupException($"the key of the {name} model is to come from {variable}, which is not set");
            }
            return (named.Trim(), variable);
        }
        var own = KeyVariable(name);
        if (Environment.GetEnvironmentVariable(own) is { } value && !string.IsNullOrWhiteSpace(value)) return (value.Trim(), own);
        if (IsOpenAi(reference))
        {
            var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ModelSetupException($"{reference} needs an API key: set OPENAI_API_KEY (keys are read from the environment only)");
            }
            return (key.Trim(), "OPENAI_API_KEY");
        }
        // Another server (Ollama, vLLM, a gateway) never gets the OpenAI key: without a key of its own it gets none.
        return (null, null);
    }

    private static List<KeyValuePair<string, string>> Headers(string name, ModelConnection connection)
    {
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var variable = HeadersVariable(name);
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } list)
        {
            foreach (var item in list.Split(new[] { ';', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!ModelConnection.TryParseHeader(item, out var header, out var value, out var problem)) throw new ModelSetupException($"{variable}: {problem}");
                all[header] = value;
            }
        }
        foreach (var pair in connection.Headers) all[pair.Key] = pair.Value;

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var pair in all)
        {
            var value = pair.Value;
            if (value.StartsWith("env:", StringComparison.Ordinal))
            {
                var source = value.Substring(4);
                value = Environment.GetEnvironmentVariable(source) ?? "";
                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new ModelSetupException($"the header {pair.Key} of the {name} model is to come from {source}, which is not set");
                }
                value = value.Trim();
                Secrets.Register(value);
            }
            if (value.IndexOfAny(new[] { '\r', '\n' }) >= 0) throw new ModelSetupException($"the header {pair.Key} of the {name} model holds a line break");
            headers.Add(new KeyValuePair<string, string>(pair.Key, value));
        }
        return headers;
    }

}
