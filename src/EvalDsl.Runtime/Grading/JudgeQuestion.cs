using System.Collections.Generic;

namespace EvalDsl.Runtime.Grading;

/// <summary>
/// What the judge is asked: whether a reply exhibits a behavior, whether two replies are consistent, or (kind
/// <c>more</c>) which of two replies, <see cref="First"/> as A and <see cref="Second"/> as B, is more <see cref="Comparison"/>.
/// </summary>
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
    /// <summary>The case's <c>reference</c>: what only the judge is told (never the model under test), or null.</summary>
    public string? Reference { get; init; }

    /// <summary>The case's correct <c>answer</c>, for a question of kind <c>answer</c> (does the reply give it?), or null.</summary>
    public string? Answer { get; init; }

    /// <summary>The JSON key of the answer: <c>exhibits</c>, <c>correct</c>, <c>more</c> (<c>"A"</c>, <c>"B"</c> or <c>"neither"</c>) or <c>consistent</c>.</summary>
    public string AnswerKey => Kind switch { "behavior" => "exhibits", "answer" => "correct", "more" => "more", _ => "consistent" };
}
