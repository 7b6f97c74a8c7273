using System.Collections.Generic;
using System.Text;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime.Execution;

/// <summary>
/// The request of a <c>user by model NAME "instruction"</c> turn: a system message that tells the model to write the
/// user's next message following the instruction, and one user message that renders the conversation so far as the
/// user saw it (its own messages as <c>User:</c>, the assistant's as <c>Assistant:</c>; never the target's system text,
/// which the user does not see). A transcript in one message, rather than the messages with their roles swapped, reads
/// the same on every server: no server gets two messages of one role in a row or a conversation that starts with an
/// assistant message.
/// </summary>
internal static class SimulatedUser
{
    /// <summary>The system message; <c>{instruction}</c> stands for the turn's instruction.</summary>
    public const string SystemTemplate =
        "You play the user in a conversation with an AI assistant. Write the user's next message in that conversation, following this instruction:\n\n" +
        "{instruction}\n\n" +
        "Write only the message itself, as the user would send it: no quotes, no name or label before it, no explanation.";

    public static IReadOnlyList<TranscriptMessage> Messages(string instruction, IEnumerable<TranscriptMessage> conversation)
    {
        var sb = new StringBuilder();
        foreach (var message in conversation)
        {
            if (message.Role is not ("user" or "assistant")) continue;
            sb.Append(sb.Length == 0 ? "The conversation so far:" : "").Append("\n\n").Append(message.Role == "user" ? "User: " : "Assistant: ").Append(message.Text);
        }
        sb.Append(sb.Length == 0 ? "The conversation has not started yet: write the user's first message." : "\n\nWrite the user's next message.");
        return new[]
        {
            new TranscriptMessage("system", SystemTemplate.Replace("{instruction}", instruction)),
            new TranscriptMessage("user", sb.ToString()),
        };
    }
}
