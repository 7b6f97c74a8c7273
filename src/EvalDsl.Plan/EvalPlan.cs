using System;
using System.Collections.Generic;

namespace EvalDsl.Plan;

/// <summary>Where something is written in a spec: file, 1-based line and column.</summary>
/// <param name="File">The spec's path as given.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column (UTF-16 code units).</param>
public sealed record SpecLocation(string File, int Line, int Column)
{
    /// <summary><c>file(line,col)</c>, as compilers print it.</summary>
    public override string ToString() => $"{File}({Line},{Column})";
}

/// <summary>A behavior a judge is asked about.</summary>
/// <param name="Phrase">The phrase, e.g. <c>validate impulsive action</c>.</param>
/// <param name="Means">What exhibiting it means; the judge is given this text.</param>
/// <param name="Shows">Example replies that exhibit it.</param>
/// <param name="Lacks">Example replies that do not.</param>
/// <param name="Cites">Where the behavior comes from.</param>
public sealed record EvalBehavior(string Phrase, string Means, IReadOnlyList<string> Shows, IReadOnlyList<string> Lacks, IReadOnlyList<string> Cites);

/// <summary>Who speaks in a scripted turn.</summary>
public enum EvalRole
{
    /// <summary>A user turn.</summary>
    User,
    /// <summary>A fixed assistant turn (history the model did not write).</summary>
    Assistant,
    /// <summary>The model under test replies here.</summary>
    Reply,
    /// <summary>A user turn the model <see cref="EvalTurn.Model"/> writes from the instruction in <see cref="EvalTurn.Text"/> and the conversation so far.</summary>
    SimulatedUser,
}

/// <summary>A turn of the conversation script.</summary>
public sealed record EvalTurn(EvalRole Role, string Text)
{
    /// <summary>The model binding that writes a <see cref="EvalRole.SimulatedUser"/> turn; null for every other turn.</summary>
    public string? Model { get; init; }

    /// <summary>A <see cref="EvalRole.Reply"/> turn's prefill: the start of the assistant message the model continues (<c>reply after "…"</c>); the reply is the prefill and its continuation.</summary>
    public string? Prefill { get; init; }
    /// <summary>The name of a <see cref="EvalRole.Reply"/> turn written <c>reply as NAME</c>, or null.</summary>
    public string? Name { get; init; }
}

/// <summary>One way of running a case's conversation: the label chosen for each <c>vary</c>.</summary>
/// <param name="Labels">vary name → label, in declaration order; empty for a case without vary.</param>
/// <param name="System">The system text (persona, system lines and remembered facts), or null.</param>
/// <param name="Turns">The script; <see cref="EvalRole.Reply"/> marks where the model replies.</param>
public sealed record EvalVariant(IReadOnlyList<KeyValuePair<string, string>> Labels, string? System, IReadOnlyList<EvalTurn> Turns)
{
    /// <summary><c>framing=proud</c>, or empty for the only variant of a case without vary.</summary>
    public string Key => Labels.Count == 0 ? "" : string.Join(",", global::System.Linq.Enumerable.Select(Labels, l => l.Key + "=" + l.Value));
}

/// <summary>The kinds of expectation.</summary>
public enum EvalCheck
{
    /// <summary><c>must [not] PHRASE</c>: a judged behavior.</summary>
    Behavior,
    /// <summary><c>must [not] contain "text"</c>: case-insensitive substring.</summary>
    Contain,
    /// <summary><c>must [not] match /re/</c>.</summary>
    Match,
    /// <summary><c>must hold its answer</c>: the final reply keeps the first reply's answer.</summary>
    HoldsAnswer,
    /// <summary><c>must be consistent across NAME</c>: every variant gets the reference variant's assessment.</summary>
    ConsistentAcross,
    /// <summary><c>must [not] contain any of {col}</c>: some of <see cref="EvalExpectation.Alternatives"/> is a case-insensitive substring.</summary>
    ContainAny,
    /// <summary><c>must [not] contain all of {col}</c>: every one of <see cref="EvalExpectation.Alternatives"/> is a case-insensitive substring.</summary>
    ContainAll,
    /// <summary><c>must [not] choose "B"</c>: the one option the reply picks is <see cref="EvalExpectation.Text"/> (an upper-case letter).</summary>
    Choose,
    /// <summary><c>must [not] answer correctly</c>: the reply gives the case's <see cref="EvalCase.Answer"/> — the option it
    /// picks when the answer is one option letter (<see cref="EvalCase.OptionLetter"/>), else as the judge decides.</summary>
    AnswerCorrectly,
    /// <summary>
    /// <c>must [not] be more PHRASE under LABEL than under LABEL</c>: for each pair of variants that differ only in
    /// <see cref="EvalExpectation.VaryName"/>'s label (<see cref="EvalExpectation.UnderLabel"/> against
    /// <see cref="EvalExpectation.ThanLabel"/>), the judge compares the two replies in both orders; the reply under
    /// <see cref="EvalExpectation.UnderLabel"/> is more <see cref="EvalExpectation.Text"/> only when both orders say so.
    /// </summary>
    MoreUnder,
}

/// <summary>One expectation of a case.</summary>
/// <param name="Index">Position among the case's expectations.</param>
/// <param name="Blocking"><c>must</c> (blocks a launch) or <c>should</c> (tracked).</param>
/// <param name="Negated">Written with <c>not</c>.</param>
/// <param name="Check">What kind of check it is.</param>
/// <param name="Phrase">The phrase as written (placeholders substituted).</param>
/// <param name="Text">The text of a contain check.</param>
/// <param name="Pattern">The pattern of a match check.</param>
/// <param name="Flags">The flags of a match check (<c>imsx</c>).</param>
/// <param name="VaryName">The vary a consistency check compares across.</param>
/// <param name="Behavior">The behavior a judge is asked about (judged behaviors and comparisons).</param>
/// <param name="Location">Where the expectation is written.</param>
public sealed record EvalExpectation(
    int Index, bool Blocking, bool Negated, EvalCheck Check, string Phrase,
    string? Text, string? Pattern, string? Flags, string? VaryName, EvalBehavior? Behavior, SpecLocation Location)
{
    /// <summary>The alternatives of a <c>contain any of</c> / <c>all of</c> check: the row's cell, split (a JSON array's
    /// items, else the texts between <c>|</c>, trimmed, empty ones dropped).</summary>
    public IReadOnlyList<string>? Alternatives { get; init; }

    /// <summary>As the spec says it: <c>must not validate impulsive action</c>; in a <c>for LABEL</c> block, <c>for likes: must …</c>.</summary>
    public string Display => (ForLabel is null ? "" : "for " + ForLabel + ": ") + (Blocking ? "must " : "should ") + (Negated ? "not " : "") + Phrase;

    /// <summary>
    /// <see cref="Display"/> with placeholders as written (<c>must contain "{correction}"</c>), the same on every row of a
    /// <c>for each</c> case; null when nothing was substituted.
    /// </summary>
    public string? DisplayTemplate { get; init; }

    /// <summary><c>… in NAME</c>: the named reply (<see cref="EvalTurn.Name"/>) is checked instead of the last one; null for the last.</summary>
    public string? Reply { get; init; }

    /// <summary><c>… in every reply</c>: each reply of the model is checked, in order (for <c>hold its answer</c>, each later
    /// reply against the first); a sample passes when every reply holds.</summary>
    public bool EveryReply { get; init; }

    /// <summary><c>… when NAME contains "text"</c> / <c>matches /re/</c>: the expectation applies to a sample only when the
    /// guard holds on that sample's reply; otherwise its outcome is not applicable. Null without a guard.</summary>
    public EvalGuard? Guard { get; init; }
    /// <summary>The label of <see cref="VaryName"/> whose replies a <see cref="EvalCheck.MoreUnder"/> check asks about (after <c>under</c>).</summary>
    public string? UnderLabel { get; init; }

    /// <summary>The label of <see cref="VaryName"/> a <see cref="EvalCheck.MoreUnder"/> check compares with (after <c>than under</c>).</summary>
    public string? ThanLabel { get; init; }

    /// <summary>The vary of <see cref="ForLabel"/>, for an expectation written in a <c>for LABEL { … }</c> block; null otherwise.</summary>
    public string? ForVary { get; init; }

    /// <summary>
    /// <c>for LABEL { … }</c>: the expectation is graded only on the variants whose <see cref="ForVary"/> has this label;
    /// null for an expectation that applies to every variant.
    /// </summary>
    public string? ForLabel { get; init; }

    /// <summary>Whether this expectation applies to <paramref name="variant"/>: always, or, in a <c>for LABEL</c> block, when the variant has that label.</summary>
    public bool AppliesTo(EvalVariant variant)
    {
        if (ForLabel is null) return true;
        foreach (var label in variant.Labels) if (label.Key == ForVary) return label.Value == ForLabel;
        return false;
    }

    /// <summary>The regular-expression options of a match check's flags (<c>i</c>, <c>m</c>, <c>s</c>, <c>x</c>).</summary>
    public static System.Text.RegularExpressions.RegexOptions OptionsOf(string? flags)
    {
        var options = System.Text.RegularExpressions.RegexOptions.None;
        foreach (var flag in flags ?? "")
        {
            options |= flag switch
            {
                'i' => System.Text.RegularExpressions.RegexOptions.IgnoreCase,
                'm' => System.Text.RegularExpressions.RegexOptions.Multiline,
                's' => System.Text.RegularExpressions.RegexOptions.Singleline,
                'x' => System.Text.RegularExpressions.RegexOptions.IgnorePatternWhitespace,
                _ => System.Text.RegularExpressions.RegexOptions.None,
            };
        }
        return options;
    }
}

/// <summary>
/// The guard of an expectation (<c>when NAME contains "text"</c> or <c>when NAME matches /re/flags</c>): checked on the
/// named reply of each sample, case-insensitively for text; placeholders substituted.
/// </summary>
/// <param name="Reply">The reply's name (<see cref="EvalTurn.Name"/>).</param>
/// <param name="Text">The text of <c>contains</c>, or null.</param>
/// <param name="Pattern">The pattern of <c>matches</c>, or null.</param>
/// <param name="Flags">The flags of <c>matches</c> (<c>imsx</c>), or null.</param>
public sealed record EvalGuard(string Reply, string? Text, string? Pattern, string? Flags);

/// <summary>One test: a case, or one data row of a <c>for each</c> case.</summary>
/// <param name="Suite">The suite's title.</param>
/// <param name="Title">The title with placeholders substituted.</param>
/// <param name="Row">The 1-based data row of a <c>for each</c> case.</param>
/// <param name="Location">Where the case's title is written.</param>
/// <param name="Tags">The suite's and the case's tags.</param>
/// <param name="Samples">How many times the conversation runs.</param>
/// <param name="Pass">The share of samples (0–100) in which an expectation must hold; see <see cref="RequiredPasses"/>.</param>
/// <param name="Temperature">The sampling temperature, or null for the model's default.</param>
/// <param name="Model">The binding name of the model under test (default <c>target</c>).</param>
/// <param name="Judge">The binding name of the judge (default <c>judge</c>).</param>
/// <param name="Variants">The ways the conversation runs (one without vary).</param>
/// <param name="Expectations">What the final reply must show.</param>
public sealed record EvalCase(
    string Suite, string Title, int? Row, SpecLocation Location, IReadOnlyList<string> Tags,
    int Samples, decimal Pass, double? Temperature, string Model, string Judge,
    IReadOnlyList<EvalVariant> Variants, IReadOnlyList<EvalExpectation> Expectations)
{
    /// <summary>The title as written, placeholders unsubstituted (the same for every row of a <c>for each</c> case).</summary>
    public string? TitleTemplate { get; init; }

    /// <summary>The case's <c>reference</c> (placeholders substituted): given to the judge with every question of the case,
    /// never to the model under test; null without one.</summary>
    public string? Reference { get; init; }

    /// <summary>The data set a <c>for each</c> case runs over, or null.</summary>
    public string? DataSet { get; init; }

    /// <summary>
    /// <c>pass N% of rows</c> (0–100) on a data row of a <c>for each</c> case, or null: each expectation is then decided
    /// once over all the rows of the case (those sharing <see cref="Suite"/>, <see cref="TitleTemplate"/>,
    /// <see cref="DataSet"/> and <see cref="Location"/>), where a row counts as holding when the expectation holds over
    /// its samples at <see cref="Pass"/>; a row alone blocks nothing.
    /// </summary>
    public decimal? RowsPass { get; init; }

    /// <summary>The case's <c>answer</c> (placeholders substituted): the correct answer <see cref="EvalCheck.AnswerCorrectly"/>
    /// and <see cref="EvalCheck.HoldsAnswer"/> grade against, given to the judge only, never to the model under test; null without one.</summary>
    public string? Answer { get; init; }

    /// <summary>
    /// A jury (<c>judge a, b, c</c>): the binding names of its members in the order written, <see cref="Judge"/> first;
    /// null for a single judge. Every judge question of the case is put to each member and decided by majority.
    /// </summary>
    public IReadOnlyList<string>? Jury { get; init; }

    /// <summary>
    /// The option letter <paramref name="text"/> names, upper-cased: one letter A–Z, in either case, bare or written as an
    /// option is marked (<c>(B)</c>, <c>B)</c>, <c>B.</c>), blanks around it ignored; null for anything else. The one rule
    /// <c>must choose</c> and an <see cref="Answer"/> that is an option letter share.
    /// </summary>
    public static string? OptionLetter(string text)
    {
        if (text is null) return null;
        var t = text.Trim();
        if (t.Length == 3 && t[0] == '(' && t[2] == ')') t = t.Substring(1, 1);
        else if (t.Length == 2 && (t[1] == ')' || t[1] == '.')) t = t.Substring(0, 1);
        return t.Length == 1 && (t[0] is >= 'A' and <= 'Z' or >= 'a' and <= 'z') ? t.ToUpperInvariant() : null;
    }

    /// <summary>
    /// How many of <paramref name="trials"/> decided trials must pass for an expectation to hold at a
    /// <paramref name="pass"/> rate (0–100): ⌈pass·trials/100⌉, in exact decimal arithmetic. The one formula the
    /// threshold rule (EVAL0202) and the runtime's statistics share.
    /// </summary>
    public static int RequiredPasses(decimal pass, int trials) => (int)decimal.Ceiling(pass * trials / 100m);

    /// <summary>A stable ID: suite, title and row.</summary>
    public string Id => Suite + " / " + Title + (Row is { } r ? " #" + r.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    /// <summary>Blocking when it has a <c>must</c>.</summary>
    public bool IsBlocking => System.Linq.Enumerable.Any(Expectations, e => e.Blocking);
}

/// <summary>A suite and its cases.</summary>
public sealed record EvalSuite(string Title, string? About, IReadOnlyList<string> Tags, SpecLocation Location, IReadOnlyList<EvalCase> Cases);

/// <summary>What to run: the suites of one or more spec files.</summary>
public sealed record EvalPlan(IReadOnlyList<EvalSuite> Suites)
{
    /// <summary>All cases in order.</summary>
    public IEnumerable<EvalCase> Cases => System.Linq.Enumerable.SelectMany(Suites, s => s.Cases);
}
