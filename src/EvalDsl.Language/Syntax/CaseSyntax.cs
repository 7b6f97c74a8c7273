using System.Collections.Generic;
using EvalDsl.Text;

namespace EvalDsl.Syntax;

internal sealed class CaseSyntax
{
    public CaseSyntax(SuiteSyntax suite, TextRange keyword, StringSyntax title)
    {
        Suite = suite;
        Keyword = keyword;
        Title = title;
    }

    public SuiteSyntax Suite { get; }
    public TextRange Keyword { get; }
    public StringSyntax Title { get; }

    /// <summary>The data set after <c>for each</c>.</summary>
    public NameSyntax? ForEach { get; set; }

    public SettingsSyntax Settings { get; } = new();
    public List<TurnSyntax> Turns { get; } = new();
    public List<ExpectationSyntax> Expectations { get; } = new();
    public BlockStatus Status { get; } = new();

    /// <summary>The <c>reference</c> keyword, once it is written.</summary>
    public TextRange? ReferenceKeyword { get; set; }

    /// <summary><c>reference "…"</c>: what the judge is given with every question of the case, never the model under test.</summary>
    public StringSyntax? Reference { get; set; }

    /// <summary>A <c>vary</c> whose header did not parse: its name is unknown.</summary>
    public bool HasBrokenVary { get; set; }

    /// <summary>The <c>answer</c> keyword, once it is written.</summary>
    public TextRange? AnswerKeyword { get; set; }

    /// <summary><c>answer "…"</c>: the correct answer that <c>answer correctly</c> and <c>hold its answer</c> grade against, never sent to the model under test.</summary>
    public StringSyntax? Answer { get; set; }
    /// <summary>The <c>for LABEL { … }</c> blocks, in order; their expectations are in <see cref="Expectations"/> too.</summary>
    public List<ForSyntax> ForBlocks { get; } = new();
}

/// <summary><c>for LABEL { … }</c> in a case: expectations that apply only to the variants with that vary label.</summary>
internal sealed class ForSyntax
{
    public ForSyntax(TextRange keyword, NameSyntax label)
    {
        Keyword = keyword;
        Label = label;
    }

    public TextRange Keyword { get; }

    /// <summary>The vary label; missing when the header did not parse.</summary>
    public NameSyntax Label { get; }

    public List<ExpectationSyntax> Expectations { get; } = new();
    public BlockStatus Status { get; } = new();
}

internal enum TurnKind { With, System, Memory, User, Assistant, Reply, Vary, Repeat }

/// <summary>A turn: <c>with</c>, <c>system</c>, <c>memory</c>, <c>user</c>, <c>assistant</c>, <c>reply</c> or <c>vary</c>.</summary>
internal class TurnSyntax
{
    public TurnSyntax(TurnKind kind, TextRange keyword)
    {
        Kind = kind;
        Keyword = keyword;
    }

    public TurnKind Kind { get; }
    public TextRange Keyword { get; }

    /// <summary>The text of system, memory, user and assistant turns (null when it did not parse).</summary>
    public StringSyntax? Text { get; set; }

    /// <summary>The persona of a <c>with</c> turn.</summary>
    public NameSyntax? Persona { get; set; }

    /// <summary>The name of a <c>reply as NAME</c> turn.</summary>
    public NameSyntax? ReplyName { get; set; }

    public bool HasErrors { get; set; }

    /// <summary><c>user by model NAME "…"</c>: the model binding that writes this user turn from its text, the instruction.</summary>
    public NameSyntax? Model { get; set; }

    /// <summary><c>reply after "…"</c>: the start of the assistant message the model continues.</summary>
    public StringSyntax? Prefill { get; set; }
}

/// <summary><c>repeat N { … }</c>: user, assistant and reply turns run N times in order.</summary>
internal sealed class RepeatSyntax : TurnSyntax
{
    public RepeatSyntax(TextRange keyword) : base(TurnKind.Repeat, keyword) { }

    /// <summary>N (null when it did not parse).</summary>
    public NumberSyntax? Count { get; set; }

    public List<TurnSyntax> Turns { get; } = new();
    public BlockStatus Status { get; } = new();

    /// <summary>The times the turns run: N when it is a whole number from 1 to <see cref="Max"/>, else once (EVAL0107 reports it).</summary>
    public int Times => Count is { IsPercentage: false, Value: { } v } && v >= 1 && v <= Max && v == System.Math.Floor(v) ? (int)v : 1;

    /// <summary>The most times a repeat block may run: a ladder longer than this is a mistake, not a protocol.</summary>
    public const int Max = 100;

    /// <summary>
    /// The turns of a case in the order they are sent, each repeat block's turns written out <see cref="Times"/> times
    /// (the lowering and the rules about order use this); with <paramref name="once"/>, each turn once (rules about
    /// what is written, such as placeholders, so that a turn is reported once).
    /// </summary>
    public static IEnumerable<TurnSyntax> Expand(IEnumerable<TurnSyntax> turns, bool once = false) =>
        // Most cases repeat nothing: their turns are the list itself.
        turns is List<TurnSyntax> list && !list.Exists(t => t is RepeatSyntax) ? list : Expanded(turns, once);

    private static IEnumerable<TurnSyntax> Expanded(IEnumerable<TurnSyntax> turns, bool once)
    {
        foreach (var turn in turns)
        {
            if (turn is RepeatSyntax repeat)
            {
                for (var i = 0; i < (once ? 1 : repeat.Times); i++)
                {
                    foreach (var inner in Expanded(repeat.Turns, once)) yield return inner;
                }
            }
            else yield return turn;
        }
    }
}

internal sealed class VarySyntax : TurnSyntax
{
    public VarySyntax(TextRange keyword, NameSyntax name) : base(TurnKind.Vary, keyword) => Name = name;

    public NameSyntax Name { get; }
    public List<VaryLabelSyntax> Labels { get; } = new();
    public BlockStatus Status { get; } = new();
}

internal sealed record VaryLabelSyntax(NameSyntax Label, StringSyntax Text);

internal enum Modality { Must, Should }

internal enum ExpectationKind { Behavior, Contain, Match, HoldsAnswer, ConsistentAcross, ContainAny, ContainAll, Choose, AnswerCorrectly, MoreUnder }

internal sealed class ExpectationSyntax
{
    public ExpectationSyntax(Modality modality, TextRange keyword)
    {
        Modality = modality;
        Keyword = keyword;
    }

    public Modality Modality { get; }
    public TextRange Keyword { get; }
    public bool Negated { get; set; }
    public ExpectationKind Kind { get; set; }

    /// <summary>The phrase with runs of blanks made single spaces (for checks: <c>contain "x"</c> as written).</summary>
    public string Phrase { get; set; } = "";

    /// <summary>From the phrase's first character to its last.</summary>
    public TextRange PhraseRange { get; set; }

    public StringSyntax? Text { get; set; }
    public RegexSyntax? Regex { get; set; }
    public NameSyntax? VaryName { get; set; }

    /// <summary>The data column of <c>contain any of {col}</c> / <c>all of {col}</c>, whose cell lists the alternatives.</summary>
    public PlaceholderPart? Alternatives { get; set; }

    /// <summary>The PHRASE of <c>be more PHRASE under A than under B</c>, blanks collapsed.</summary>
    public string? Degree { get; set; }

    /// <summary>From the degree's first character to its last.</summary>
    public TextRange DegreeRange { get; set; }

    /// <summary>The label after <c>under</c> in <c>be more PHRASE under A than under B</c>.</summary>
    public NameSyntax? UnderLabel { get; set; }

    /// <summary>The label after <c>than under</c> in <c>be more PHRASE under A than under B</c>.</summary>
    public NameSyntax? ThanLabel { get; set; }

    /// <summary>The <c>for LABEL</c> block the expectation is written in, or null.</summary>
    public ForSyntax? For { get; set; }

    /// <summary>The line had a syntax error; what parsed is kept.</summary>
    public bool HasErrors { get; set; }

    /// <summary>The phrase or check could not be read at all.</summary>
    public bool IsMissing { get; set; }

    /// <summary><c>… in NAME</c>: the reply checked instead of the last one.</summary>
    public NameSyntax? Reply { get; set; }

    /// <summary><c>… in every reply</c>: from <c>in</c> to <c>reply</c>.</summary>
    public TextRange? EveryReply { get; set; }

    /// <summary><c>… when NAME contains "text"</c> / <c>matches /re/</c>.</summary>
    public GuardSyntax? Guard { get; set; }

    /// <summary>
    /// A behavior phrase that ends in <c>in WORD</c> where WORD names no reply of the case: the phrase keeps the words,
    /// and when only the phrase before them names a behavior, WORD is reported as an unknown reply (EVAL0121).
    /// </summary>
    public NameSyntax? TrailingIn { get; set; }

    /// <summary>What the expectation checks as a key (see Analysis.Rules.ExpectationKeys), once computed; the key names no position.</summary>
    public CheckedKey? CheckedKey { get; set; }

    /// <summary>The phrase as a behavior catalogue key (case and blanks ignored), once computed; copied by an incremental parse.</summary>
    public string? PhraseKey { get; set; }

    /// <summary>The phrase without its trailing <c>in WORD</c> (<see cref="TrailingIn"/>), or null.</summary>
    public string? PhraseBeforeTrailingIn =>
        TrailingIn is { } t && Phrase.Length > t.Text.Length + 4 ? Phrase.Substring(0, Phrase.Length - t.Text.Length - 4) : null;
}

/// <summary>A guard: <c>when NAME contains "text"</c> or <c>when NAME matches /re/flags</c>.</summary>
/// <summary>A computed expectation key (null when the expectation has none).</summary>
internal sealed record CheckedKey(string? Key);

internal sealed class GuardSyntax
{
    public GuardSyntax(TextRange keyword, NameSyntax reply)
    {
        Keyword = keyword;
        Reply = reply;
    }

    /// <summary>The <c>when</c> keyword.</summary>
    public TextRange Keyword { get; }

    public NameSyntax Reply { get; }

    public StringSyntax? Text { get; set; }

    public RegexSyntax? Regex { get; set; }
}
