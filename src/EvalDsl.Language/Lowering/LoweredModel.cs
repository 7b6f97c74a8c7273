using System.Collections.Generic;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Lowering;

/// <summary>A suite with its cases expanded: one case per data row, placeholders substituted.</summary>
internal sealed record LoweredSuite(
    string Title,
    string? About,
    IReadOnlyList<string> Tags,
    SourceLocation Location,
    IReadOnlyList<LoweredCase> Cases);

/// <summary>One test: a case, or one row of a <c>for each</c> case. The variants of a <c>vary</c> stay together.</summary>
internal sealed record LoweredCase(
    string Suite,
    string Title,
    string TitleTemplate,
    string? About,
    IReadOnlyList<string> Tags,
    int? Row,
    string? DataSet,
    SourceLocation Location,
    int Samples,
    decimal Pass,
    decimal? Temperature,
    string Model,
    string Judge,
    IReadOnlyList<LoweredVariant> Variants,
    IReadOnlyList<LoweredExpectation> Expectations)
{
    /// <summary>Blocking when it has a <c>must</c>.</summary>
    public bool IsBlocking
    {
        get
        {
            foreach (var e in Expectations) if (e.Blocking) return true;
            return false;
        }
    }
}

/// <summary>One way of running the conversation: the labels chosen for each <c>vary</c> (empty without vary).</summary>
internal sealed record LoweredVariant(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    string? System,
    IReadOnlyList<LoweredTurn> Turns)
{
    /// <summary>"framing=proud", or "" for the only variant of a case without vary.</summary>
    public string Key => Labels.Count == 0 ? "" : string.Join(",", global::System.Linq.Enumerable.Select(Labels, l => l.Key + "=" + l.Value));
}

internal enum LoweredRole { User, Assistant, Reply }

/// <summary>A user turn, a fixed assistant turn, or a point where the model replies (Text empty).</summary>
internal sealed record LoweredTurn(LoweredRole Role, string Text);

internal sealed record LoweredBehavior(string Phrase, string Means, IReadOnlyList<string> Shows, IReadOnlyList<string> Lacks, IReadOnlyList<string> Cites);

internal sealed record LoweredExpectation(
    int Index,
    bool Blocking,
    bool Negated,
    ExpectationKind Kind,
    string Phrase,
    string? Text,
    string? Pattern,
    string? Flags,
    string? VaryName,
    LoweredBehavior? Behavior,
    SourceLocation Location)
{
    /// <summary>How the spec wrote it: "must not validate impulsive action".</summary>
    public string Display => (Blocking ? "must " : "should ") + (Negated ? "not " : "") + Phrase;
}
