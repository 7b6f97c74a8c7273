using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scriban;
using Scriban.Runtime;

namespace EvalDsl.Runtime.Grading;

/// <summary>Renders the judge prompt (a Scriban template users can replace) and reads the judge's JSON answer.</summary>
internal sealed class JudgePrompt
{
    /// <summary>How many <c>shows</c> and how many <c>lacks</c> examples of a behaviour the prompt shows (the first ones).</summary>
    public const int PromptExamples = 2;

    public const string SystemText = "You are a careful, impartial evaluator of AI assistant replies. You answer with one JSON object and nothing else.";

    private readonly Template _template;

    // The built-in template calls none of Scriban's built-in functions: it is rendered without them, which saves a deep
    // copy of all of them for every question (a TemplateContext made without an object of built-ins makes that copy;
    // a tenth of the CPU time of the offline example). A user's template gets them all, as it always did.
    private readonly bool _builtIn;

    /// <summary>Parses and checks a judge template; <paramref name="templateName"/> names it in messages (the file as the user gave it).</summary>
    /// <exception cref="JudgeTemplateException">The template does not parse, fails to render, or leaves out what the judge must see.</exception>
    public JudgePrompt(string? templateText = null, string? templateName = null)
    {
        var name = templateName ?? "judge template";
        _builtIn = templateText is null;
        templateText ??= DefaultTemplate();
        _template = Template.Parse(templateText, name);
        if (_template.HasErrors)
        {
            var first = _template.Messages.FirstOrDefault(m => m.Type == Scriban.Parsing.ParserMessageType.Error) ?? _template.Messages[0];
            throw new JudgeTemplateException($"{name}({first.Span.Start.Line + 1},{first.Span.Start.Column + 1}): error: {Sentence(first.Message)}");
        }
        if (UnclosedBlock(templateText) is { } open)
        {
            throw new JudgeTemplateException($"{name}({open.Line},{open.Column}): error: this code block is never closed: '}}}}' is missing");
        }
        Check(name);
    }

    // Scriban accepts a code block that runs to the end of the text ("{{ nonsense "), and then renders nothing of
    // it: find the last block opened and not closed, and where its code starts.
    private static (int Line, int Column)? UnclosedBlock(string text)
    {
        var inCode = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!inCode)
            {
                if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '{')
                {
                    inCode = true;
                    i++;
                    start = i + 1;
                    while (start < text.Length && (text[start] is '~' or '-')) start++;
                    while (start < text.Length && text[start] is ' ' or '\t') start++;
                }
                continue;
            }
            if (text[i] is '"' or '\'' or '`')
            {
                var quote = text[i];
                for (i++; i < text.Length && text[i] != quote; i++) if (text[i] == '\\') i++;
                continue;
            }
            if (text[i] == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                inCode = false;
                i++;
            }
        }
        if (!inCode) return null;
        var line = 1;
        var column = 1;
        for (var i = 0; i < start && i < text.Length; i++)
        {
            if (text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return (line, column);
    }

    // A template that renders without the reply, the conversation or the behaviour gives the judge nothing to judge,
    // and every judged expectation would get an arbitrary answer: render a probe of each kind of question first.
    private void Check(string name)
    {
        var behavior = new EvalBehavior(Probe("phrase"), Probe("means"), new[] { Probe("shows") }, new[] { Probe("lacks") }, Array.Empty<string>());
        var conversation = new[] { new TranscriptMessage("user", Probe("conversation")) };
        var probes = new (JudgeQuestion Question, (string Text, string What)[] Needs)[]
        {
            (new JudgeQuestion("behavior", behavior, conversation, Probe("reply")),
                new[] { (Probe("phrase"), "the behavior ({{ behavior.phrase }})"), (Probe("conversation"), "the conversation ({{ for message in conversation }})"), (Probe("reply"), "the reply under judgement ({{ reply }})") }),
            (new JudgeQuestion("hold", behavior, conversation, null, "hold its answer", Probe("first"), Probe("second")),
                new[] { (Probe("conversation"), "the conversation of a hold its answer question ({{ for message in conversation }})"), (Probe("first"), "the first reply ({{ first }})"), (Probe("second"), "the final reply ({{ second }})") }),
            (new JudgeQuestion("answer", behavior, conversation, Probe("reply")) { Answer = Probe("answer") },
                new[] { (Probe("answer"), "the correct answer ({{ answer }})"), (Probe("conversation"), "the conversation of an answer question ({{ for message in conversation }})"), (Probe("reply"), "the reply under judgement ({{ reply }})") }),
            (new JudgeQuestion("consistent", behavior, Array.Empty<TranscriptMessage>(), null, "be consistent across framing", Probe("first"), Probe("second"), "framing = a", "framing = b"),
                new[] { (Probe("first"), "the reference reply of a consistency question ({{ first }})"), (Probe("second"), "the other variant's reply ({{ second }})") }),
            (new JudgeQuestion("more", behavior, Array.Empty<TranscriptMessage>(), null, Probe("quality"), Probe("first"), Probe("second")),
                new[] { (Probe("quality"), "what a more question compares ({{ comparison }})"), (Probe("first"), "reply A of a more question ({{ first }})"), (Probe("second"), "reply B of a more question ({{ second }})") }),
        };
        foreach (var (question, needs) in probes)
        {
            string text;
            try
            {
                text = Render(question);
            }
            catch (Scriban.Syntax.ScriptRuntimeException ex)
            {
                throw new JudgeTemplateException($"{name}({ex.Span.Start.Line + 1},{ex.Span.Start.Column + 1}): error: {Sentence(ex.OriginalMessage)}");
            }
            foreach (var (needle, what) in needs)
            {
                if (!text.Contains(needle, StringComparison.Ordinal))
                {
                    throw new JudgeTemplateException($"{name}: error: the judge template does not show {what} when kind is \"{question.Kind}\"; the judge would have nothing to judge");
                }
            }
        }
    }

    private static string Probe(string what) => "EVALDSLPROBE" + what.ToUpperInvariant();

    private static string Sentence(string message) => message.Trim().TrimEnd('.');

    public static string DefaultTemplate()
    {
        using var stream = typeof(JudgePrompt).Assembly.GetManifestResourceStream("EvalDsl.Runtime.judge.sbn")
            ?? throw new InvalidOperationException("The judge template is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The request that asks the judge <paramref name="question"/>: run and calibrate put exactly this to it.</summary>
    public Models.ModelRequest Request(JudgeQuestion question, double temperature, long? seed) => new(
        new[] { new TranscriptMessage("system", SystemText), new TranscriptMessage("user", Render(question)) },
        temperature,
        seed);

    public string Render(JudgeQuestion question)
    {
        // Everything a model or a user wrote is escaped (&amp; &lt; &gt;): no reply can close the tag that holds it
        // and forge the prompt's structure. Deterministic, so cache and replay keys stay stable.
        var escaped = question with
        {
            // The prompt shows a behaviour's first two shows and lacks; the others are held out, so that calibrating the
            // judge on them measures it on examples it was not shown.
            Behavior = question.Behavior with { Shows = question.Behavior.Shows.Take(PromptExamples).ToList(), Lacks = question.Behavior.Lacks.Take(PromptExamples).ToList() },
            Conversation = question.Conversation.Select(m => m with { Text = Escape(m.Text) }).ToList(),
            Reply = Escape(question.Reply),
            First = Escape(question.First),
            Second = Escape(question.Second),
            ReferenceLabel = Escape(question.ReferenceLabel),
            VariantLabel = Escape(question.VariantLabel),
            Reference = Escape(question.Reference),
            Answer = Escape(question.Answer),
        };
        var model = Model(escaped);
        var context = new TemplateContext(_builtIn ? new ScriptObject() : null) { StrictVariables = false, EnableRelaxedMemberAccess = true };
        context.PushGlobal(model);
        return _template.Render(context).Trim() + "\n";
    }

    /// <summary>
    /// The question as the template sees it: every public member under its snake_case name (<c>ReferenceLabel</c> →
    /// <c>reference_label</c>), the behaviour and the conversation's messages likewise, as <c>ScriptObject.Import</c>
    /// of the record gave them, but built member by member: no reflection, so the native build renders the same prompt.
    /// A member added to <see cref="JudgeQuestion"/>, <see cref="EvalBehavior"/> or <see cref="TranscriptMessage"/> must
    /// be added here for a template to see it.
    /// </summary>
    private static ScriptObject Model(JudgeQuestion q) => new()
    {
        ["kind"] = q.Kind,
        ["behavior"] = new ScriptObject
        {
            ["phrase"] = q.Behavior.Phrase,
            ["means"] = q.Behavior.Means,
            ["shows"] = Strings(q.Behavior.Shows),
            ["lacks"] = Strings(q.Behavior.Lacks),
            ["cites"] = Strings(q.Behavior.Cites),
        },
        ["conversation"] = Messages(q.Conversation),
        ["reply"] = q.Reply,
        ["comparison"] = q.Comparison,
        ["first"] = q.First,
        ["second"] = q.Second,
        ["reference_label"] = q.ReferenceLabel,
        ["variant_label"] = q.VariantLabel,
        ["reference"] = q.Reference,
        ["answer"] = q.Answer,
        ["answer_key"] = q.AnswerKey,
    };

    private static ScriptArray? Strings(IReadOnlyList<string>? items)
    {
        if (items is null) return null;
        var array = new ScriptArray(items.Count);
        foreach (var item in items) array.Add(item);
        return array;
    }

    private static ScriptArray? Messages(IReadOnlyList<TranscriptMessage>? messages)
    {
        if (messages is null) return null;
        var array = new ScriptArray(messages.Count);
        foreach (var m in messages) array.Add(new ScriptObject { ["role"] = m.Role, ["text"] = m.Text, ["scripted"] = m.Scripted });
        return array;
    }

    /// <summary>Escapes the three characters that could open or close a tag of the prompt.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    internal static string? Escape(string? text) =>
        text is null ? null : text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static readonly Regex Fenced = new(@"```(?:json|JSON)?[ \t]*\r?\n(?<body>.*?)\r?\n?[ \t]*```", RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));

    // "VERDICT: yes" on a line of its own, as a reasoning-first judge ends; markdown emphasis around it is allowed.
    private static readonly Regex VerdictLine = new(
        @"^[ \t>#*_-]*verdict[ \t*_]*[:=][ \t*_]*(?<v>yes|no|true|false)\b[ \t*_.!]*$",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));

    /// <summary>
    /// Reads the judge's verdict: a JSON object <c>{"KEY": true|false, "reason": "…"}</c> (the whole answer, a fenced
    /// code block, or the object that ends the answer after some reasoning), or a line <c>VERDICT: yes|no</c>. When the
    /// answer holds several, the LAST one decides: a judge that quotes the question, the reply or an example before
    /// giving its own verdict is not read by the quote. Anything else is not an answer (the caller retries, then
    /// records an error — never a pass or a fail).
    /// </summary>
    public static bool TryReadAnswer(string text, string key, out bool value, out string reason)
    {
        value = false;
        reason = "";
        (int End, bool Value, string Reason)? last = null;
        void Consider(int end, bool v, string r)
        {
            if (last is null || end >= last.Value.End) last = (end, v, r);
        }

        try
        {
            var trimmed = text.Trim();
            if (trimmed.StartsWith("{", StringComparison.Ordinal) && TryReadObject(trimmed, key, out var whole, out var wholeReason)) Consider(text.Length, whole, wholeReason);
            foreach (Match match in Fenced.Matches(text))
            {
                if (TryReadObject(match.Groups["body"].Value.Trim(), key, out var fenced, out var fencedReason)) Consider(match.Index + match.Length, fenced, fencedReason);
            }
            if (TrailingObject(text, key) is { } trailing) Consider(text.Length, trailing.Value, trailing.Reason);
            foreach (Match match in VerdictLine.Matches(text))
            {
                var yes = match.Groups["v"].Value.ToLowerInvariant() is "yes" or "true";
                Consider(match.Index + match.Length, yes, ReasonBefore(text, match.Index));
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }

        if (last is not { } found) return false;
        value = found.Value;
        reason = found.Reason;
        return true;
    }

    /// <summary>
    /// Reads <c>{"more": "A"|"B"|"neither", "reason": "…"}</c> (the letter in either case), bare or inside a fenced code
    /// block: the answer to a <c>more</c> question, <paramref name="more"/> as <c>A</c>, <c>B</c> or <c>neither</c>.
    /// </summary>
    public static bool TryReadMore(string text, out string more, out string reason)
    {
        more = "";
        reason = "";
        var trimmed = text.Trim();
        if (trimmed.StartsWith("{", StringComparison.Ordinal) && TryReadMoreObject(trimmed, out more, out reason)) return true;
        foreach (Match match in Fenced.Matches(text))
        {
            if (TryReadMoreObject(match.Groups["body"].Value.Trim(), out more, out reason)) return true;
        }
        return false;
    }

    private static bool TryReadMoreObject(string json, out string more, out string reason)
    {
        more = "";
        reason = "";
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("more", out var answer) || answer.ValueKind != JsonValueKind.String) return false;
            var value = answer.GetString()!.Trim();
            if (value.Equals("A", StringComparison.OrdinalIgnoreCase)) more = "A";
            else if (value.Equals("B", StringComparison.OrdinalIgnoreCase)) more = "B";
            else if (value.Equals("neither", StringComparison.OrdinalIgnoreCase)) more = "neither";
            else return false;
            reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() ?? "" : "";
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // The JSON object that ends the answer (only blanks after it), after reasoning: the last '{' from which the rest of
    // the text parses as an object with the key. A bounded number of tries, so no answer costs more than linear work.
    private static (bool Value, string Reason)? TrailingObject(string text, string key)
    {
        var end = text.Length;
        while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        if (end == 0 || text[end - 1] != '}') return null;
        var from = end - 1;
        for (var tries = 0; tries < 32; tries++)
        {
            from = text.LastIndexOf('{', from - 1 < 0 ? 0 : from - 1);
            if (from < 0) return null;
            if (TryReadObject(text.Substring(from, end - from), key, out var value, out var reason)) return (value, reason);
            if (from == 0) return null;
        }
        return null;
    }

    // A verdict line's reason: a "Reason:" line among the three before it, else the last line of text before it.
    private static string ReasonBefore(string text, int index)
    {
        var lines = text.Substring(0, index).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        for (var i = lines.Count - 1; i >= 0 && i >= lines.Count - 3; i--)
        {
            var line = lines[i].TrimStart('*', '_', '#', ' ');
            if (line.StartsWith("reason", StringComparison.OrdinalIgnoreCase) && line.IndexOf(':') is var colon and > 0 and < 12) return Clip(line.Substring(colon + 1).Trim(' ', '*', '_'));
        }
        return lines.Count == 0 ? "" : Clip(lines[lines.Count - 1]);
    }

    private static string Clip(string text) => text.Length <= 300 ? text : text.Substring(0, 297) + "...";

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
