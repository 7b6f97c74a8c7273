using System;
using Microsoft.Extensions.AI;

namespace EvalDsl.Runtime.Models;

/// <summary>
/// One model call: the binding asked, the request, whether an answer is usable (<paramref name="Accept"/>, a judge's
/// JSON) and whether a stored answer may serve it (<paramref name="Fresh"/> skips the cache and the journal: a retry of
/// an unusable answer). Its <see cref="Key"/> names the call in the response cache and in the journal.
/// </summary>
internal sealed record ModelCall(ModelBinding Binding, ModelRequest Request, Func<string, bool>? Accept = null, bool Fresh = false)
{
    // The layers of a binding's chain (ModelCaller) find the call in the options they are given.
    private const string OptionsKey = "evaldsl.call";

    private string? _key;

    /// <summary>The request hashed with the model's identity, once per call (a copy made with <c>with</c> keeps it).</summary>
    public string Key => _key ??= Request.Key(Binding.Identity);

    /// <summary>Whether <paramref name="text"/> is an answer this call can use.</summary>
    public bool Accepts(string text) => Accept is null || Accept(text);

    /// <summary>The request's options, carrying this call to the layers of the chain.</summary>
    public ChatOptions ToOptions()
    {
        var options = Request.ToOptions();
        options.AdditionalProperties = new AdditionalPropertiesDictionary { [OptionsKey] = this };
        return options;
    }

    /// <summary>The call that <see cref="ToOptions"/> put in <paramref name="options"/>.</summary>
    public static ModelCall Of(ChatOptions? options) =>
        options?.AdditionalProperties is { } properties && properties.TryGetValue(OptionsKey, out var value) && value is ModelCall call
            ? call
            : throw new InvalidOperationException("A layer of a model chain was called without its call; calls go through ModelCaller.");
}
