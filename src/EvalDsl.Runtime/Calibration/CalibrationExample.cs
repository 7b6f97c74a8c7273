using System.Collections.Generic;

namespace EvalDsl.Runtime.Calibration;

/// <summary>
/// One labelled question for the judge: does <see cref="Reply"/> (after <see cref="Conversation"/>) exhibit
/// <see cref="Behavior"/>? <see cref="Id"/> names it in reports: <c>validate doubts/shows/1</c> (a behaviour's first
/// <c>shows</c> line, 1-based), <c>validate doubts/lacks/2</c>, or <c>labels.jsonl:12</c> (a gold file's line).
/// </summary>
internal sealed record CalibrationExample(string Id, EvalBehavior Behavior, IReadOnlyList<TranscriptMessage> Conversation, string Reply, bool Exhibits);
