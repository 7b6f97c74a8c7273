using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Runtime;

namespace EvalDsl.Runtime.Grading;

/// <summary>What the judge is asked: whether a reply exhibits a behavior, or whether two replies are consistent.</summary>
internal sealed record JudgeQuestion(
    string Kind,
    EvalBehavior Behavior,
    IReadOnlyList<TranscriptMessage> Conversation,
    string? Reply,
    string? Comparison = null,
    string? First = null,
    string? Second = null,
    string? ReferenceLabel = null,
    string? VariantLabel = null)
{
    /// <summary>The JSON key of the answer: <c>exhibits</c> or <c>consistent</c>.</summary>
    public string AnswerKey => Kind == "behavior" ? "exhibits" : "consistent";
}

/// <summary>Renders the judge prompt (a Scriban template users can replace) and reads the judge's JSON answer.</summary>
internal sealed class JudgePrompt
{
    public const string SystemText = "You are a careful, impartial evaluator of AI assistant replies. You answer with one JSON object and nothing else.";

    private readonly Template _template;

    public JudgePrompt(string? templateText = null)
    {
        templateText ??= DefaultTemplate();
        _template = Template.Parse(templateText);
        if (_template.HasErrors)
        {
            throw new ModelSetupException("the judge template does not parse: " + string.Join("; ", _template.Messages.Select(m => m.ToString())));
        }
    }

    public static string DefaultTemplate()
    {
        using var stream = typeof(JudgePrompt).Assembly.GetManifestResourceStream("EvalDsl.Runtime.judge.sbn")
            ?? throw new InvalidOperationException("The judge template is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public string Render(JudgeQuestion question)
    {
        var model = new ScriptObject();
        model.Import(question);
        var context = new TemplateContext { StrictVariables = false, EnableRelaxedMemberAccess = true };
        context.PushGlobal(model);
        return _template.Render(context).Trim() + "\n";
    }

    private static readonly Regex Fenced = new(@"```(?:json|JSON)?[ \t]*\r?\n(?<body>.*?)\r?\n?[ \t]*```", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>
    /// Reads <c>{"KEY": true|false, "reason": "…"}</c>, bare or inside a fenced code block. Anything else is not an
    /// answer (the caller retries, then records an error — never a pass or a fail).
    /// </summary>
    public static bool TryReadAnswer(string text, string key, out bool value, out string reason)
    {
        value = false;
        reason = "";
        var trimmed = text.Trim();
        if (trimmed.StartsWith("{", StringComparison.Ordinal) && TryReadObject(trimmed, key, out value, out reason)) return true;
        foreach (Match match in Fenced.Matches(text))
        {
            if (TryReadObject(match.Groups["body"].Value.Trim(), key, out value, out reason)) return true;
        }
        return false;
    }

    private static bool TryReadObject(string json, string key, out bool value, out string reason)
    {
        value = false;
        reason = "";
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(key, out var answer)) return false;
            if (answer.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return false;
            value = answer.GetBoolean();
            reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "" : "";
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
