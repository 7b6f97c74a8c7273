using System;
using System.Collections.Generic;
using System.Linq;

namespace EvalDsl.Testing;

/// <summary>One message of a chat-completions request: its role and its text.</summary>
/// <param name="Role">The role as sent (<c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c>, <c>tool</c>).</param>
/// <param name="Text">The text content; an array of content parts is joined with newlines (text parts only).</param>
public sealed record ChatMessageInfo(string Role, string Text);

/// <summary>What the server understood of one <c>POST /v1/chat/completions</c> request.</summary>
public sealed class ChatRequestInfo
{
    /// <summary>Creates a request description (the server builds these; tests may build them to call scripted models directly).</summary>
    /// <param name="model">The requested model name.</param>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="rawJson">The request body as received.</param>
    public ChatRequestInfo(string model, IReadOnlyList<ChatMessageInfo> messages, string rawJson = "{}")
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Messages = messages ?? throw new ArgumentNullException(nameof(messages));
        RawJson = rawJson ?? throw new ArgumentNullException(nameof(rawJson));
    }

    /// <summary>Builds a request with one user message (convenient for calling scripted models in tests).</summary>
    /// <param name="model">The model name.</param>
    /// <param name="userText">The user message.</param>
    /// <returns>The request.</returns>
    public static ChatRequestInfo FromUser(string model, string userText) =>
        new(model, new[] { new ChatMessageInfo("user", userText) });

    /// <summary>The requested model name (<c>model</c>).</summary>
    public string Model { get; }

    /// <summary>The messages (<c>messages</c>), in order.</summary>
    public IReadOnlyList<ChatMessageInfo> Messages { get; }

    /// <summary>The request body exactly as received.</summary>
    public string RawJson { get; }

    /// <summary><c>temperature</c>, when sent.</summary>
    public double? Temperature { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>, when sent.</summary>
    public int? MaxTokens { get; init; }

    /// <summary><c>seed</c>, when sent.</summary>
    public long? Seed { get; init; }

    /// <summary><c>stream</c>: whether the client asked for a server-sent-event stream.</summary>
    public bool Stream { get; init; }

    /// <summary><c>continue_final_message</c> (vLLM): the model is to continue the final assistant message, not answer it.</summary>
    public bool ContinueFinalMessage { get; init; }

    /// <summary><c>add_generation_prompt</c> (vLLM), when sent.</summary>
    public bool? AddGenerationPrompt { get; init; }

    /// <summary>
    /// The text a continuing request asks the model to go on from: the final message when it is an assistant message
    /// and the request says <c>continue_final_message</c>; else <see langword="null"/>. A scripted model's reply to such
    /// a request is the continuation only, as vLLM's and Ollama's are.
    /// </summary>
    public string? Prefill =>
        ContinueFinalMessage && Messages.Count > 0 && string.Equals(Messages[Messages.Count - 1].Role, "assistant", StringComparison.OrdinalIgnoreCase)
            ? Messages[Messages.Count - 1].Text
            : null;

    /// <summary>The bearer token of the <c>Authorization</c> header, when sent (test keys only: this server is loopback-only).</summary>
    public string? ApiKey { get; init; }

    /// <summary>The path and query string the request was sent to (<c>/v1/chat/completions?api-version=1</c>); empty for requests built in tests.</summary>
    public string PathAndQuery { get; internal set; } = string.Empty;

    /// <summary>Every request header, by name (case-insensitive); empty for requests built in tests.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; internal set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The text of the last <c>user</c> message, or an empty string when there is none.</summary>
    public string LastUserMessage =>
        Messages.LastOrDefault(m => string.Equals(m.Role, "user", StringComparison.OrdinalIgnoreCase))?.Text ?? string.Empty;

    /// <summary>The text of the last <c>assistant</c> message, or <see langword="null"/> when the conversation has none yet.</summary>
    public string? LastAssistantMessage =>
        Messages.LastOrDefault(m => string.Equals(m.Role, "assistant", StringComparison.OrdinalIgnoreCase))?.Text;
}
