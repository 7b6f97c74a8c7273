namespace EvalDsl.Runtime.Tests.Unit;

public sealed class ModelReferenceTests
{
    [Theory]
    [InlineData("openai:gpt-4o-mini", "openai", "gpt-4o-mini", null)]
    [InlineData("openai:llama3.2@http://localhost:11434/v1", "openai", "llama3.2", "http://localhost:11434/v1")]
    [InlineData("replay:examples/recordings/candidate", "replay", "examples/recordings/candidate", null)]
    public void Parses_references(string text, string provider, string model, string? url)
    {
        var reference = ModelReference.Parse(text);
        Assert.Equal(provider, reference.Provider);
        Assert.Equal(model, reference.Model);
        Assert.Equal(url, reference.BaseUrl?.OriginalString);
        Assert.Equal(text, reference.ToString());
    }

    [Theory]
    [InlineData("", "the model reference is empty; write openai:MODEL[@URL] or replay:PATH")]
    [InlineData("gpt-4o", "'gpt-4o' is not a model reference; write openai:MODEL[@URL] (for example openai:gpt-4o-mini or openai:llama3.2@http://localhost:11434/v1) or replay:PATH")]
    [InlineData("anthropic:claude", "unknown model provider 'anthropic' in 'anthropic:claude'; use openai:MODEL[@URL] or replay:PATH")]
    [InlineData("openai:", "'openai:' names no model; write openai:MODEL, for example openai:gpt-4o-mini")]
    [InlineData("openai:m@ftp://x", "'ftp://x' in 'openai:m@ftp://x' is not an http(s) URL; write openai:MODEL@http://host:port/v1")]
    [InlineData("openai:m@http://user:secret@host/v1", "a model reference must not carry credentials; put the key in an environment variable (EVALDSL_KEY_<NAME>, or --key-env NAME=VARIABLE)")]
    [InlineData("openai:m@ftp://user:hunter22@host/v1", "'ftp://[redacted]@host/v1' in 'openai:m@ftp://[redacted]@host/v1' is not an http(s) URL; write openai:MODEL@http://host:port/v1")]
    [InlineData("replay:", "'replay:' names no recording; write replay:PATH (a folder written by --record)")]
    public void Malformed_references_say_what_is_wrong(string text, string error)
    {
        Assert.False(ModelReference.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }
}
