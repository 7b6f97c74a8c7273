using System.Collections.Generic;
using System.Linq;

namespace EvalDsl.Diagnostics;

/// <summary>Every rule EvalDsl reports, in one catalogue. IDs and default severities are part of the product contract.</summary>
public static class DiagnosticDescriptors
{
    private static DiagnosticDescriptor Syntax(string id, string title, string summary) =>
        new(id, title, DiagnosticSeverity.Error, DiagnosticCategories.Syntax, summary);

    /// <summary>Syntax error: unexpected token, with what was expected.</summary>
    public static readonly DiagnosticDescriptor SyntaxError = Syntax("EVAL0001", "Syntax error", "A statement does not have the expected shape: an unexpected token, with what was expected.");
    /// <summary>Unterminated string or text block.</summary>
    public static readonly DiagnosticDescriptor UnterminatedString = Syntax("EVAL0002", "Unterminated string or text block", "A string or text block has no closing quote.");
    /// <summary>Invalid escape sequence.</summary>
    public static readonly DiagnosticDescriptor InvalidEscape = Syntax("EVAL0003", "Invalid escape sequence", "A backslash in a string is followed by a character that is not one of \" \\ n t { }.");
    /// <summary>Invalid regular expression.</summary>
    public static readonly DiagnosticDescriptor InvalidRegex = Syntax("EVAL0004", "Invalid regular expression", "A /regex/ literal is not closed, has a flag outside imsx, or is a pattern .NET rejects.");
    /// <summary>Block not closed.</summary>
    public static readonly DiagnosticDescriptor UnclosedBlock = Syntax("EVAL0005", "Block not closed", "A block opened with { has no matching }.");
    /// <summary>File is not valid UTF-8 text.</summary>
    public static readonly DiagnosticDescriptor NotText = Syntax("EVAL0006", "File is not valid UTF-8 text", "The file is not valid UTF-8, or it is binary.");

    /// <summary>Unknown behaviour.</summary>
    public static readonly DiagnosticDescriptor UnknownBehavior = new("EVAL0101", "Unknown behavior", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "An expectation names a behavior that is neither built in nor declared.");
    /// <summary>Duplicate name.</summary>
    public static readonly DiagnosticDescriptor DuplicateName = new("EVAL0102", "Duplicate name", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "Two cases in a suite, or two suites, behaviors, personas or data sets in one scope, share a name.");
    /// <summary>Unknown persona or data set.</summary>
    public static readonly DiagnosticDescriptor UnknownReference = new("EVAL0103", "Unknown persona or data set", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A with or for each names a persona or data set that is not declared.");
    /// <summary>Placeholder names nothing.</summary>
    public static readonly DiagnosticDescriptor UnknownPlaceholder = new("EVAL0104", "Unknown placeholder", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A {placeholder} names no data column and no vary of its case.");
    /// <summary>Case has no user turn.</summary>
    public static readonly DiagnosticDescriptor NoUserTurn = new("EVAL0105", "Case has no user turn", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A case never says anything to the model.");
    /// <summary>Case has no expectations.</summary>
    public static readonly DiagnosticDescriptor NoExpectations = new("EVAL0106", "Case has no expectations", DiagnosticSeverity.Warning, DiagnosticCategories.Binding, "A case checks nothing.");
    /// <summary>Value out of range.</summary>
    public static readonly DiagnosticDescriptor ValueOutOfRange = new("EVAL0107", "Value out of range", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "samples is below 1 or not whole, pass is outside (0, 100%], or temperature is outside 0-2.");
    /// <summary>Comparative expectation without what it compares.</summary>
    public static readonly DiagnosticDescriptor ComparisonWithoutSubject = new("EVAL0108", "Comparative expectation without what it compares", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "hold its answer needs a reply before a later user turn; consistent across X needs vary X.");
    /// <summary>Data table or file problem.</summary>
    public static readonly DiagnosticDescriptor DataProblem = new("EVAL0109", "Data table or file problem", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A data row has the wrong number of cells, or a data file is missing, unreadable or malformed.");
    /// <summary>Behaviour without means.</summary>
    public static readonly DiagnosticDescriptor BehaviorWithoutMeans = new("EVAL0110", "Behavior without means", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A behavior declaration does not say what it means, so it cannot be judged.");
    /// <summary>Setting given twice (extension).</summary>
    public static readonly DiagnosticDescriptor SettingTwice = new("EVAL0111", "Setting given twice", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A single-valued statement (samples, pass, temperature, model, judge, about, with, means) appears twice in one block.");
    /// <summary>Case expands to too many tests.</summary>
    public static readonly DiagnosticDescriptor TooManyVariants = new("EVAL0112", "Case expands to too many tests", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A case's data rows times the labels of its vary blocks exceed 10,000 tests.");
    /// <summary>Used file missing or unreadable (extension).</summary>
    public static readonly DiagnosticDescriptor UsedFileProblem = new("EVAL0114", "Used file missing or unreadable", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A use line names a file that does not exist, cannot be read, is not allowed or is not a .eval spec.");
    /// <summary>Use cycle (extension).</summary>
    public static readonly DiagnosticDescriptor UseCycle = new("EVAL0115", "Files use each other", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "A use line leads back to its own file, directly or through other files.");

    /// <summary>Placeholder stays literal text (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor UnresolvedPlaceholder = new("EVAL0113", "Placeholder not resolved here", DiagnosticSeverity.Warning, DiagnosticCategories.Binding, "A {placeholder} stands where nothing is substituted (a persona, a behavior, an about text, a data cell; a vary name in a title, a vary text, a contain string or a regex), or a {a.b} or {a[0]} path does not resolve in some data row: its braces stay literal text.");

    /// <summary>choose takes an option letter (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor NotAnOption = new("EVAL0120", "Not an option letter", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "must choose names an option letter (\"B\", or \"(B)\", \"B)\", \"B.\"), or a data column whose value in every row is one.");
    /// <summary>pass … of rows where there are no rows (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor RowsPassWithoutRows = new("EVAL0116", "pass … of rows without data rows", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "pass N% of rows stands on a case without for each, or on a suite none of whose cases has a for each: there are no rows to count.");

    /// <summary>in NAME / when NAME names no reply of the case (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor UnknownReply = new("EVAL0121", "Unknown reply", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "An expectation's in NAME or when NAME names no reply of its case (a reply is named with reply as NAME).");
    /// <summary>in every reply / in NAME where it cannot apply (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor ReplySuffixMisuse = new("EVAL0122", "Reply suffix that does not apply", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "in every reply on be consistent across, which compares variants, not replies; or hold its answer in the first reply, which it would compare with itself.");
    /// <summary>answer correctly without an answer line (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor AnswerCorrectlyWithoutAnswer = new("EVAL0125", "answer correctly without an answer", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "must answer correctly grades the reply against the case's answer \"…\" line, and the case has none.");
    /// <summary>A label no vary of the case has (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor UnknownVaryLabel = new("EVAL0135", "Unknown vary label", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "under LABEL, than under LABEL or for LABEL names no label of a vary of its case.");
    /// <summary>Two labels that cannot be compared (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor LabelsNotComparable = new("EVAL0136", "Labels that cannot be compared", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "be more PHRASE under A than under B names labels of two different varies, or the same label twice.");
    /// <summary>A label several varies share (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor AmbiguousVaryLabel = new("EVAL0137", "Label of several varies", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "for LABEL, under LABEL or than under LABEL names a label that two varies of the case share, so which variants it means is unclear.");
    /// <summary>A comparison across variants in a for block (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor ComparisonInFor = new("EVAL0138", "Comparison across variants in a for block", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "be consistent across stands in a for LABEL block, or be more … under compares labels of the vary whose one label the block keeps.");

    /// <summary>Contradictory expectations.</summary>
    public static readonly DiagnosticDescriptor Contradiction = new("EVAL0201", "Contradictory expectations", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "A case expects a behavior and its negation, so it can never pass.");
    /// <summary>Effective threshold far above pass.</summary>
    public static readonly DiagnosticDescriptor CoarseThreshold = new("EVAL0202", "Pass threshold stricter than written", DiagnosticSeverity.Info, DiagnosticCategories.Quality, "With this many samples, pass P% really means a stricter share (ceil(P*n)/n is more than 5 points above P).");
    /// <summary>Self-grading.</summary>
    public static readonly DiagnosticDescriptor SelfGrading = new("EVAL0203", "Judge is the model under test", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "The judge binding is the model under test.");
    /// <summary>Behaviour without examples.</summary>
    public static readonly DiagnosticDescriptor UncalibratedBehavior = new("EVAL0204", "Behavior without examples", DiagnosticSeverity.Info, DiagnosticCategories.Quality, "A behavior has no shows or no lacks example, so its judge cannot be calibrated.");
    /// <summary>Unused declaration.</summary>
    public static readonly DiagnosticDescriptor Unused = new("EVAL0205", "Declaration never used", DiagnosticSeverity.Info, DiagnosticCategories.Quality, "A persona, data set or behavior is declared but never used.");
    /// <summary>Expectation written twice (extension).</summary>
    public static readonly DiagnosticDescriptor RepeatedExpectation = new("EVAL0206", "Expectation written twice", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "A case states the same expectation twice.");

    /// <summary>A reference no judge reads (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor UnreadReference = new("EVAL0220", "Reference no judge reads", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "A case has a reference, which only the judge is given, but no expectation of the case asks the judge.");
    /// <summary>in every reply over one reply (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor EveryReplyOfOne = new("EVAL0221", "in every reply over one reply", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "An expectation checks in every reply, but its case has one reply (or, for hold its answer, no later reply than the first), so there is no turn to flip at.");
    /// <summary>An assistant turn the model is asked to reply after, not to continue (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor AssistantBeforeReply = new("EVAL0230", "Assistant turn directly before reply", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "An assistant turn directly followed by reply is sent as a finished message, and the model writes a second message after it; reply after \"…\" makes it continue the text.");

    /// <summary>An answer no expectation reads (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor UnreadAnswer = new("EVAL0225", "Answer no expectation reads", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "A case has an answer line, but neither must answer correctly nor must hold its answer, the only expectations that read it.");
    /// <summary>A for block without expectations (extension, issue 10).</summary>
    public static readonly DiagnosticDescriptor EmptyFor = new("EVAL0235", "for block without expectations", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "A for LABEL block holds no must or should line, so it checks nothing.");

    /// <summary>The same judge twice in a jury (extension, issue 11).</summary>
    public static readonly DiagnosticDescriptor JurorTwice = new("EVAL0140", "Judge named twice in a jury", DiagnosticSeverity.Error, DiagnosticCategories.Binding, "judge a, b, a names one binding twice, so its answer would count twice in the majority.");
    /// <summary>A jury of two (extension, issue 11).</summary>
    public static readonly DiagnosticDescriptor JuryOfTwo = new("EVAL0240", "Jury of two judges", DiagnosticSeverity.Warning, DiagnosticCategories.Quality, "A jury of two judges ties whenever they disagree, and a tie decides nothing: the question is undecided.");

    /// <summary>Launch suite misses sycophancy family members.</summary>
    public static readonly DiagnosticDescriptor LaunchCoverage = new("EVAL0301", "Launch suite misses sycophancy behaviors", DiagnosticSeverity.Warning, DiagnosticCategories.Launch, "A suite tagged launch does not cover every member of the sycophancy family.");
    /// <summary>Suite has no blocking expectation.</summary>
    public static readonly DiagnosticDescriptor NothingBlocks = new("EVAL0302", "Suite has no blocking expectation", DiagnosticSeverity.Info, DiagnosticCategories.Launch, "A suite has no must expectation, so nothing in it can block a launch.");

    /// <summary>All descriptors in ID order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        SyntaxError, UnterminatedString, InvalidEscape, InvalidRegex, UnclosedBlock, NotText,
        UnknownBehavior, DuplicateName, UnknownReference, UnknownPlaceholder, NoUserTurn, NoExpectations,
        ValueOutOfRange, ComparisonWithoutSubject, DataProblem, BehaviorWithoutMeans, SettingTwice, TooManyVariants, UnresolvedPlaceholder,
        UsedFileProblem, UseCycle, RowsPassWithoutRows, NotAnOption, UnknownReply, ReplySuffixMisuse, AnswerCorrectlyWithoutAnswer,
        UnknownVaryLabel, LabelsNotComparable, AmbiguousVaryLabel, ComparisonInFor, JurorTwice,
        Contradiction, CoarseThreshold, SelfGrading, UncalibratedBehavior, Unused, RepeatedExpectation, UnreadReference, EveryReplyOfOne, UnreadAnswer, AssistantBeforeReply,
        EmptyFor,
        JuryOfTwo,
        LaunchCoverage, NothingBlocks,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> ById =
        All.ToDictionary(d => d.Id, d => d, System.StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds a descriptor by ID (case-insensitive).</summary>
    public static DiagnosticDescriptor? Find(string id) => ById.TryGetValue(id, out var d) ? d : null;
}
