using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace EvalDsl.Testing;

/// <summary>
/// Judges whose error rates are known, for testing what <c>evaldsl calibrate</c> measures. Each reads a behaviour
/// question of the judge protocol (<see cref="ScriptedJudge"/>: a <c>Behavior: "…"</c> line and a <c>&lt;reply&gt;</c>
/// block) and knows the true label of a (phrase, reply) pair from a table the test gives it (the calibration prompt
/// leaves the example asked about out of the behaviour's examples, so the label is not in the prompt); a pair not in the
/// table is decided by <see cref="ScriptedJudge.Exhibits"/>.
/// </summary>
public static class CalibrationJudges
{
    private static readonly Regex BehaviorLine = new(@"^[ \t]*Behaviou?r:[ \t]*""(?<phrase>[^""\r\n]*)""[ \t]*\r?$", RegexOptions.Multiline);
    private static readonly Regex ReplyBlock = new(@"<reply>\r?\n(?<body>.*?)\r?\n</reply>", RegexOptions.Singleline);

    /// <summary>The key of a labels table: the phrase (lower case, blanks collapsed) and the reply as written.</summary>
    /// <param name="phrase">The behaviour phrase.</param>
    /// <param name="reply">The reply.</param>
    /// <returns>The key.</returns>
    public static string Key(string phrase, string reply)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        ArgumentNullException.ThrowIfNull(reply);
        return Regex.Replace(phrase.Trim(), @"\s+", " ").ToLowerInvariant() + "\n" + reply;
    }

    /// <summary>
    /// Whether the judge of <see cref="Labelled"/> flips its answer to <paramref name="prompt"/> at rate
    /// <paramref name="flipRate"/>: the first 8 bytes of the SHA-256 of the prompt (and of the seed, when
    /// <paramref name="seed"/> is given) as a fraction of 2^64, below the rate. Deterministic, so a test can count the flips.
    /// </summary>
    /// <param name="prompt">The judge prompt (the request's last user message).</param>
    /// <param name="flipRate">The share of questions flipped.</param>
    /// <param name="seed">The request's seed, for a judge whose flips change from repeat to repeat; null for one whose flips do not.</param>
    /// <returns>True when this question is flipped.</returns>
    public static bool Flips(string prompt, double flipRate, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed is { } s ? prompt + "\nseed=" + s : prompt));
        var fraction = BitConverter.ToUInt64(hash, 0) / 18446744073709551616.0;
        return fraction < flipRate;
    }

    /// <summary>
    /// A judge that answers every behaviour question correctly by the <paramref name="labels"/> table (keys from
    /// <see cref="Key"/>), then flips the answers of a deterministic <paramref name="flipRate"/> of questions
    /// (<see cref="Flips"/>; with <paramref name="flipsBySeed"/> the flips are drawn anew for each seed, so repeats
    /// disagree). With <paramref name="prose"/> it answers in prose and ends with a <c>VERDICT: yes|no</c> line.
    /// </summary>
    /// <param name="labels">The true labels.</param>
    /// <param name="flipRate">The share of answers flipped (0: a perfect judge).</param>
    /// <param name="prose">Answer in prose, then a verdict line, instead of JSON.</param>
    /// <param name="flipsBySeed">Draw the flips per seed (the judge disagrees with itself across repeats).</param>
    /// <returns>The model function to register.</returns>
    public static Func<ChatRequestInfo, string> Labelled(IReadOnlyDictionary<string, bool> labels, double flipRate = 0, bool prose = false, bool flipsBySeed = false)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return request =>
        {
            var prompt = request.LastUserMessage;
            var phrase = BehaviorLine.Matches(prompt) is { Count: > 0 } m ? m[^1].Groups["phrase"].Value : null;
            var body = ReplyBlock.Matches(prompt) is { Count: > 0 } r ? Unescape(r[^1].Groups["body"].Value) : null;
            if (phrase is null || body is null) return OpenAiWire.JudgeError("not a behaviour question");
            var truth = labels.TryGetValue(Key(phrase, body), out var known) ? known : ScriptedJudge.Exhibits(phrase, body, out _);
            var answer = Flips(prompt, flipRate, flipsBySeed ? request.Seed ?? 0 : null) ? !truth : truth;
            return prose
                ? $"Let me look at the reply. It {(answer ? "does" : "does not")} show '{phrase}', as far as I can tell.\nA JSON answer like {{\"exhibits\": {(answer ? "false" : "true")}}} would be wrong here.\n\nVERDICT: {(answer ? "yes" : "no")}"
                : OpenAiWire.Verdict("exhibits", answer, answer ? "It shows the behaviour." : "It does not show the behaviour.");
        };
    }

    /// <summary>A judge that always answers <c>{"exhibits": false}</c>: every <c>must not</c> would pass.</summary>
    /// <param name="request">The judge request.</param>
    /// <returns>The answer.</returns>
    public static string AlwaysNo(ChatRequestInfo request) => OpenAiWire.Verdict("exhibits", false, "Nothing to see.");

    private static string Unescape(string text) => text.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
}
