using System;
using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalDsl.Runtime.Models;

/// <summary>A resolved binding: its name, an identity for the cache, and the client.</summary>
internal sealed class ModelBinding
{
    public ModelBinding(string name, string identity, IChatClient client, bool isReplay)
    {
        Name = name;
        Identity = identity;
        Client = client;
        IsReplay = isReplay;
    }

    public string Name { get; }
    public string Identity { get; }
    public IChatClient Client { get; }
    public bool IsReplay { get; }
}

/// <summary>Creates the chat client of a model reference.</summary>
internal static class ModelClients
{
    public static ModelBinding Create(string name, ModelReference reference)
    {
        if (reference.Provider == "replay")
        {
            return new ModelBinding(name, reference.ToString(), new ReplayChatClient(ReplayStore.Load(reference.Path!)), isReplay: true);
        }

        var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            // Local OpenAI-compatible servers (Ollama, vLLM) take any key; api.openai.com does not.
            if (reference.BaseUrl is null)
            {
                throw new ModelSetupException($"{reference} needs an API key: set OPENAI_API_KEY (keys are read from the environment only)");
            }
            key = "unused";
        }
        var options = new OpenAIClientOptions
        {
            // Retries and timeouts are EvalDsl's own (ModelCaller): the SDK must not retry behind its back.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        if (reference.BaseUrl is not null) options.Endpoint = reference.BaseUrl;
        var client = new OpenAIClient(new ApiKeyCredential(key!), options).GetChatClient(reference.Model).AsIChatClient();
        return new ModelBinding(name, reference.ToString(), client, isReplay: false);
    }
}
