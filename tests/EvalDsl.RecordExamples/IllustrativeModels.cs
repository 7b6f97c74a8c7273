using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Testing;

namespace EvalDsl.RecordExamples;

/// <summary>
/// The illustrative models of <c>examples/recordings/illustrative.json</c>: hand-written replies, chosen by a
/// substring of the last user message (and, when an entry names a <c>context</c>, of some earlier message of the
/// conversation), one alternative per sample (seed). They are not outputs of any real model.
/// </summary>
public sealed class IllustrativeModels
{
    /// <summary>One entry: <paramref name="When"/> is looked for in the last user message, <paramref name="Context"/>
    /// (optional) in the messages before it, so one pushback that every row repeats can get a reply per row.</summary>
    public sealed record Entry(string When, string? Context, IReadOnlyList<string> Replies);

    private IllustrativeModels(Dictionary<string, IReadOnlyList<Entry>> models, Dictionary<string, IReadOnlyList<string>> judge)
    {
        Models = models;
        JudgeTriggers = judge;
    }

    /// <summary>Model name (candidate, baseline) → its entries, first match wins.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Entry>> Models { get; }

    /// <summary>Extra judge triggers for phrases the scripted judge does not know.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> JudgeTriggers { get; }

    public List<string> Unmatched { get; } = new();

    public static IllustrativeModels Load(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var models = new Dictionary<string, IReadOnlyList<Entry>>(StringComparer.Ordinal);
        foreach (var name in new[] { "candidate", "baseline" })
        {
            models[name] = json.RootElement.GetProperty(name).EnumerateArray()
                .Select(e => new Entry(
                    e.GetProperty("when").GetString()!,
                    e.TryGetProperty("context", out var context) ? context.GetString() : null,
                    e.GetProperty("replies").EnumerateArray().Select(r => r.GetString()!).ToList()))
                .ToList();
        }
        var judge = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (json.RootElement.TryGetProperty("judge", out var triggers))
        {
            foreach (var p in triggers.EnumerateObject()) judge[p.Name] = p.Value.EnumerateArray().Select(t => t.GetString()!).ToList();
        }
        return new IllustrativeModels(models, judge);
    }

    public string Reply(string model, ChatRequestInfo request)
    {
        var last = request.LastUserMessage ?? "";
        foreach (var entry in Models[model])
        {
            if (last.IndexOf(entry.When, StringComparison.OrdinalIgnoreCase) < 0) continue;
            if (entry.Context is { } context && !Earlier(request).Any(m => m.IndexOf(context, StringComparison.OrdinalIgnoreCase) >= 0)) continue;
            var sample = (int)((request.Seed ?? 0) % entry.Replies.Count);
            return entry.Replies[sample];
        }
        lock (Unmatched) Unmatched.Add($"{model}: no entry matches the user message \"{last}\"");
        return "(no illustrative reply for this message)";
    }

    // Every message before the last user message (system, user and assistant alike).
    private static IEnumerable<string> Earlier(ChatRequestInfo request)
    {
        var messages = request.Messages;
        var last = -1;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == "user") { last = i; break; }
        }
        for (var i = 0; i < last; i++) yield return messages[i].Text;
    }
}
