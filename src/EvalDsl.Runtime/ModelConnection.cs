using System;
using System.Collections.Generic;
using System.Linq;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime;

/// <summary>
/// How one binding reaches its server, besides its reference: the environment variable its API key is read from
/// and extra request headers (gateways such as Portkey want <c>x-portkey-*</c> headers, Azure OpenAI wants
/// <c>api-key</c>). Keys are per binding: <c>OPENAI_API_KEY</c> is sent to api.openai.com only.
/// </summary>
public sealed record ModelConnection
{
    /// <summary>No key variable named and no headers: the key comes from <c>EVALDSL_KEY_&lt;NAME&gt;</c>, or <c>OPENAI_API_KEY</c> for api.openai.com.</summary>
    public static ModelConnection Default { get; } = new();

    /// <summary>The environment variable that holds the key of this binding (it must be set), or null for the default.</summary>
    public string? KeyVariable { get; init; }

    /// <summary>
    /// Extra request headers, name → value. A value <c>env:VAR</c> is read from the environment variable VAR (and
    /// redacted from everything written, like a key).
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>A copy with the headers of <paramref name="other"/> added (its values win) and its key variable, when it names one.</summary>
    public ModelConnection With(ModelConnection other)
    {
        if (other is null) throw new ArgumentNullException(nameof(other));
        var headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase);
        foreach (var pair in other.Headers) headers[pair.Key] = pair.Value;
        return new ModelConnection { KeyVariable = other.KeyVariable ?? KeyVariable, Headers = headers };
    }

    /// <summary>Parses <c>Header: value</c> (the value may be <c>env:VAR</c>).</summary>
    public static bool TryParseHeader(string text, out string name, out string value, out string? problem)
    {
        var colon = text.IndexOf(':');
        name = colon > 0 ? text.Substring(0, colon).Trim() : "";
        value = colon > 0 ? text.Substring(colon + 1).Trim() : "";
        problem = null;
        if (name.Length == 0 || value.Length == 0)
        {
            problem = $"'{Secrets.Redact(text)}' is not a header; write Header:Value or Header:env:VARIABLE";
            return false;
        }
        if (name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".IndexOf(c) >= 0))
        {
            problem = $"'{name}' is not a valid header name";
            return false;
        }
        return true;
    }
}
