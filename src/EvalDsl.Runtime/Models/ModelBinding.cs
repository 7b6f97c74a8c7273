using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>A resolved binding: its name, an identity for the cache, and the client.</summary>
internal sealed class ModelBinding
{
    public ModelBinding(string name, string identity, IChatClient client, bool isReplay, string? keySource = null)
    {
        Name = name;
        Identity = identity;
        Client = client;
        IsReplay = isReplay;
        KeySource = keySource;
    }

    public string Name { get; }
    public string Identity { get; }
    public IChatClient Client { get; }
    public bool IsReplay { get; }

    /// <summary>The environment variable the key was read from, or null when the binding sends no key.</summary>
    public string? KeySource { get; }

    /// <summary>Where the binding's calls go under <c>--batch</c> (null for a binding that is not an OpenAI-compatible server).</summary>
    public Batch.BatchEndpoint? BatchEndpoint { get; init; }

    /// <summary>Bound to api.openai.com, which does not continue a final assistant message (<c>reply after "…"</c>).</summary>
    public bool IsOpenAiApi { get; init; }
}
