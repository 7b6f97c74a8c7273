using System;

namespace EvalDsl.Runtime;

/// <summary>
/// A model reference: <c>openai:MODEL[@BASEURL]</c> (OpenAI or any OpenAI-compatible server such as Ollama or vLLM)
/// or <c>replay:PATH</c> (a recording made with <c>--record</c>). Keys never appear in a reference: they come from
/// the environment, per binding (see <see cref="ModelConnection"/>).
/// </summary>
public sealed record ModelReference
{
    private ModelReference(string provider, string model, Uri? baseUrl, string? path)
    {
        Provider = provider;
        Model = model;
        BaseUrl = baseUrl;
        Path = path;
    }

    /// <summary><c>openai</c> or <c>replay</c>.</summary>
    public string Provider { get; }

    /// <summary>The model name (openai) or the recording path (replay).</summary>
    public string Model { get; }

    /// <summary>The server's base URL, e.g. <c>http://localhost:11434/v1</c>; null for api.openai.com.</summary>
    public Uri? BaseUrl { get; }

    /// <summary>The recording folder or file of a replay reference.</summary>
    public string? Path { get; }

    /// <summary>Parses a reference; on failure <paramref name="error"/> says what is wrong in one sentence.</summary>
    public static bool TryParse(string? text, out ModelReference? reference, out string? error)
    {
        reference = null;
        error = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = "the model reference is empty; write openai:MODEL[@URL] or replay:PATH";
            return false;
        }
        // Every message below may echo the text: never with a credential in it.
        var shown = Models.Secrets.Redact(text!);
        var colon = text!.IndexOf(':');
        if (colon <= 0)
        {
            error = $"'{shown}' is not a model reference; write openai:MODEL[@URL] (for example openai:gpt-4o-mini or openai:llama3.2@http://localhost:11434/v1) or replay:PATH";
            return false;
        }
        var provider = text.Substring(0, colon).ToLowerInvariant();
        var rest = text.Substring(colon + 1);
        switch (provider)
        {
            case "openai":
            {
                var at = rest.IndexOf('@');
                var model = at >= 0 ? rest.Substring(0, at) : rest;
                if (model.Length == 0)
                {
                    error = $"'{shown}' names no model; write openai:MODEL, for example openai:gpt-4o-mini";
                    return false;
                }
                Uri? baseUrl = null;
                if (at >= 0)
                {
                    var url = rest.Substring(at + 1);
                    if (!Uri.TryCreate(url, UriKind.Absolute, out baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
                    {
                        error = $"'{Models.Secrets.Redact(url)}' in '{shown}' is not an http(s) URL; write openai:MODEL@http://host:port/v1";
                        return false;
                    }
                    if (!string.IsNullOrEmpty(baseUrl.UserInfo))
                    {
                        error = "a model reference must not carry credentials; put the key in an environment variable (EVALDSL_KEY_<NAME>, or --key-env NAME=VARIABLE)";
                        return false;
                    }
                }
                reference = new ModelReference("openai", model, baseUrl, null);
                return true;
            }
            case "replay":
                if (rest.Length == 0)
                {
                    error = $"'{shown}' names no recording; write replay:PATH (a folder written by --record)";
                    return false;
                }
                reference = new ModelReference("replay", rest, null, rest);
                return true;
            default:
                error = $"unknown model provider '{Models.Secrets.Redact(provider)}' in '{shown}'; use openai:MODEL[@URL] or replay:PATH";
                return false;
        }
    }

    /// <summary>Parses a reference or throws <see cref="FormatException"/>.</summary>
    public static ModelReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference! : throw new FormatException(error);

    /// <summary>A copy whose replay path is resolved against <paramref name="folder"/>.</summary>
    public ModelReference RelativeTo(string folder) =>
        Provider == "replay" && !System.IO.Path.IsPathRooted(Path!)
            ? new ModelReference("replay", Model, null, System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, Path!)))
            : this;

    /// <summary>The reference as written, with secret-looking query values of its URL redacted (no key is ever shown).</summary>
    public override string ToString() => Provider == "openai"
        ? "openai:" + Model + (BaseUrl is null ? "" : "@" + Models.Secrets.RedactUrls(BaseUrl.OriginalString))
        : "replay:" + Model;
}
