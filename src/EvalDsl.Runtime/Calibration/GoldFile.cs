using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace EvalDsl.Runtime.Calibration;

/// <summary>
/// A gold file (<c>calibrate --gold labels.jsonl</c>): one JSON object a line, blank lines and lines starting with
/// <c>//</c> skipped:
/// <c>{"behavior": "validate doubts", "reply": "…", "label": true}</c>, where <c>label</c> is <c>true</c> or
/// <c>"exhibits"</c> (the reply exhibits the behaviour) or <c>false</c> or <c>"does not"</c>; instead of, or with,
/// <c>reply</c>, a <c>conversation</c>: an array of <c>{"role": "user"|"assistant"|"system", "content": "…"}</c>
/// (<c>text</c> is read as <c>content</c>) whose last message is the reply judged when there is no <c>reply</c>.
/// An optional <c>id</c> names the example; else it is <c>FILE:LINE</c>. The behaviour must be one the judge knows: a
/// built-in one or one the specs declare.
/// </summary>
internal static class GoldFile
{
    /// <summary>Reads <paramref name="path"/>; throws <see cref="FormatException"/> whose message is <c>path(line,col): error: …</c>.</summary>
    public static IReadOnlyList<CalibrationExample> Read(string path, string display, IReadOnlyList<EvalBehavior> catalogue)
    {
        var byKey = catalogue.GroupBy(b => Examples.KeyOf(b.Phrase)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var list = new List<CalibrationExample>();
        var lines = File.ReadAllLines(path, new UTF8Encoding(false));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
            var example = ReadLine(line, n + 1, display, byKey);
            if (!ids.Add(example.Id)) throw Error(display, n + 1, 1, $"the id '{example.Id}' is used twice");
            list.Add(example);
        }
        if (list.Count == 0) throw Error(display, 1, 1, "the gold file holds no example (one JSON object a line: {\"behavior\": …, \"reply\": …, \"label\": true|false})");
        return list;
    }

    private static CalibrationExample ReadLine(string line, int number, string display, IReadOnlyDictionary<string, EvalBehavior> catalogue)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        // Where each top-level member's value starts, for messages that point at it.
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw Error(display, number, Column(line, bytes, (int)reader.TokenStartIndex), "a line must hold one JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                at[name] = (int)reader.TokenStartIndex;
                reader.Skip();
            }
            if (reader.Read()) throw Error(display, number, Column(line, bytes, (int)reader.TokenStartIndex), "a line must hold one JSON object and nothing after it");
        }
        catch (JsonException ex)
        {
            throw Error(display, number, (int)(ex.BytePositionInLine ?? 0) + 1, "this line is not valid JSON: " + ex.Message.Split('.')[0].Split(" LineNumber")[0]);
        }

        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        int Col(string member) => at.TryGetValue(member, out var i) ? Column(line, bytes, i) : 1;
        foreach (var member in at.Keys)
        {
            if (member is not ("behavior" or "behaviour" or "reply" or "conversation" or "label" or "id"))
            {
                throw Error(display, number, 1, $"unknown member \"{member}\"; a line has behavior, reply or conversation, label, and optionally id");
            }
        }

        var behaviorName = root.TryGetProperty("behavior", out var b) ? "behavior" : root.TryGetProperty("behaviour", out b) ? "behaviour" : null;
        if (behaviorName is null) throw Error(display, number, 1, "the line has no \"behavior\" (the behaviour phrase the label is about)");
        if (b.ValueKind != JsonValueKind.String) throw Error(display, number, Col(behaviorName), "\"behavior\" must be a string: the behaviour's phrase");
        var phrase = b.GetString()!;
        if (!catalogue.TryGetValue(Examples.KeyOf(phrase), out var behavior))
        {
            throw Error(display, number, Col(behaviorName), $"'{phrase}' is not a behaviour the judge knows: neither built in nor declared in the specs given");
        }

        if (!root.TryGetProperty("label", out var label)) throw Error(display, number, 1, "the line has no \"label\" (true or \"exhibits\", false or \"does not\")");
        bool exhibits;
        if (label.ValueKind is JsonValueKind.True or JsonValueKind.False) exhibits = label.GetBoolean();
        else if (label.ValueKind == JsonValueKind.String && label.GetString()!.Trim().ToLowerInvariant() is var text && text is "exhibits" or "does not" or "yes" or "no")
        {
            exhibits = text is "exhibits" or "yes";
        }
        else throw Error(display, number, Col("label"), "\"label\" must be true or \"exhibits\", or false or \"does not\"");

        var conversation = new List<TranscriptMessage>();
        if (root.TryGetProperty("conversation", out var c))
        {
            if (c.ValueKind != JsonValueKind.Array) throw Error(display, number, Col("conversation"), "\"conversation\" must be an array of {\"role\": …, \"content\": …} messages");
            foreach (var m in c.EnumerateArray())
            {
                var role = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                var content = m.ValueKind != JsonValueKind.Object ? null
                    : m.TryGetProperty("content", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                    : m.TryGetProperty("text", out t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                if (role is not ("user" or "assistant" or "system") || content is null)
                {
                    throw Error(display, number, Col("conversation"), "each message of \"conversation\" needs a \"role\" (user, assistant or system) and a \"content\" string");
                }
                conversation.Add(new TranscriptMessage(role, content));
            }
        }
        string reply;
        if (root.TryGetProperty("reply", out var rp))
        {
            if (rp.ValueKind != JsonValueKind.String) throw Error(display, number, Col("reply"), "\"reply\" must be a string: the reply the label is about");
            reply = rp.GetString()!;
        }
        else if (conversation.Count > 0 && conversation[^1].Role == "assistant")
        {
            reply = conversation[^1].Text;
            conversation.RemoveAt(conversation.Count - 1);
        }
        else throw Error(display, number, 1, "the line has no \"reply\", and its \"conversation\" does not end with an assistant message to judge");
        if (conversation.Count == 0) conversation.AddRange(Examples.NeutralConversation);

        var id = $"{display}:{number}";
        if (root.TryGetProperty("id", out var idValue))
        {
            if (idValue.ValueKind != JsonValueKind.String || idValue.GetString()!.Trim().Length == 0) throw Error(display, number, Col("id"), "\"id\" must be a non-empty string");
            id = idValue.GetString()!.Trim();
        }
        return new CalibrationExample(id, behavior, conversation, reply, exhibits);
    }

    // The 1-based column of a byte offset, in characters.
    private static int Column(string line, byte[] bytes, int byteOffset) =>
        Encoding.UTF8.GetCharCount(bytes, 0, Math.Min(Math.Max(0, byteOffset), bytes.Length)) + 1;

    private static FormatException Error(string display, int line, int column, string message) => new($"{display}({line},{column}): error: {message}");
}
