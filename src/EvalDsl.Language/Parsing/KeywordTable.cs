using System;
using System.Collections.Generic;
using System.Linq;

namespace EvalDsl.Parsing;

/// <summary>One keyword: where it may stand (worded for messages) and a one-line help.</summary>
internal sealed record Keyword(string Word, string Where, string Help);

/// <summary>
/// The one place that knows each keyword of the language, where it may stand and its one-line help, and which
/// keywords start a line in each kind of block (in the order messages list them).
/// </summary>
internal static class KeywordTable
{
    private const string TopLevel = "stands at the top level of a file";
    private const string SuiteOrCase = "belongs in a suite or a case";
    private const string InCase = "belongs inside a case";
    private const string InBehavior = "belongs inside a behavior block";

    public static readonly IReadOnlyList<Keyword> All = new Keyword[]
    {
        new("use", "stands at the top of a file, before any declaration", "Brings the behaviors, personas and data of another .eval file into scope."),
        new("suite", TopLevel, "Opens a suite: a titled group of cases run against one target model."),
        new("behavior", TopLevel, "Declares a behavior that 'must show'/'must lack' checks refer to."),
        new("case", "belongs inside a suite", "Opens a case: one conversation and the expectations on its reply."),
        new("persona", "is declared at the top level or inside a suite", "Declares a persona a case can speak 'with'."),
        new("data", "is declared at the top level or inside a suite", "Declares a data set, inline rows or a file, that a case can vary over."),
        new("about", SuiteOrCase, "A one-line description of the suite or case."),
        new("tags", SuiteOrCase, "Comma-separated tags; several tags lines add up."),
        new("samples", SuiteOrCase, "How many times each case is run."),
        new("pass", SuiteOrCase, "The percentage of samples that must pass, e.g. 'pass 80%'; 'pass 90% of rows' decides a for each case over its rows."),
        new("temperature", SuiteOrCase, "The sampling temperature sent to the target model."),
        new("model", SuiteOrCase, "The model binding the cases run against."),
        new("judge", SuiteOrCase, "The model binding that grades the judged checks; 'judge a, b, c' is a jury that decides by majority."),
        new("with", InCase, "Speaks as a declared persona in this case."),
        new("user", InCase, "A user turn of the conversation; 'user by model NAME \"instruction\"' has the bound model NAME write it."),
        new("assistant", InCase, "An assistant turn of the conversation, given as history."),
        new("reply", InCase, "Marks where the target model replies; expectations follow it. 'reply as NAME' names it, for '… in NAME' and 'when NAME …'; 'reply after \"text\"' has it continue a reply that starts with the text."),
        new("reference", InCase, "Text only the judge sees, with every question about this case; never sent to the model under test."),
        new("vary", InCase, "Runs the case once per value or data row."),
        new("must", InCase, "A blocking expectation on the reply."),
        new("should", InCase, "A non-blocking expectation on the reply: reported, never fails the run."),
        new("system", "belongs in a persona or a case", "The system prompt."),
        new("memory", "belongs in a persona or a case", "A fact the model is given as memory."),
        new("means", InBehavior, "What the behavior means, as the judge is told."),
        new("cite", InBehavior, "A source the behavior's meaning comes from."),
        new("shows", InBehavior, "An example reply that shows the behavior."),
        new("lacks", InBehavior, "An example reply that lacks the behavior."),
        new("answer", InCase, "The correct answer, which 'must answer correctly' and 'must hold its answer' grade against; never sent to the model under test."),
        new("repeat", InCase, "Repeats the user, assistant and reply turns of its block N times, e.g. 'repeat 3 {'."),
        new("for", InCase, "'for LABEL { … }' holds expectations that apply only to the variants with that vary label; 'case \"…\" for each DATA' runs a case per data row."),
    };

    private static readonly Dictionary<string, Keyword> ByWord = All.ToDictionary(k => k.Word, StringComparer.Ordinal);

    /// <summary>The settings suites and cases share.</summary>
    public static readonly string[] Settings = { "about", "tags", "samples", "pass", "temperature", "model", "judge" };

    /// <summary>The first words of top-level lines.</summary>
    public static readonly string[] File = { "suite", "behavior", "persona", "data", "use" };

    public static readonly string[] Suite = Settings.Concat(new[] { "persona", "data", "case" }).ToArray();

    public static readonly string[] Case = Settings.Concat(new[]
    {
        "with", "system", "memory", "user", "assistant", "reply", "vary", "reference", "answer", "must", "should", "repeat", "for",
    }).ToArray();

    public static readonly string[] Persona = { "system", "memory" };

    public static readonly string[] Behavior = { "means", "cite", "shows", "lacks" };

    /// <summary>The keywords that open a block with '{'.</summary>
    public static readonly string[] Openers = { "suite", "behavior", "persona", "data", "case", "vary", "repeat", "for" };

    /// <summary>The first words of lines in a <c>for LABEL</c> block.</summary>
    public static readonly string[] For = { "must", "should" };

    /// <summary>The keyword spelled <paramref name="word"/>, or null.</summary>
    public static Keyword? Find(string word) => ByWord.TryGetValue(word, out var keyword) ? keyword : null;
}
