using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Grading;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime.Calibration;

/// <summary>What the judge said to one example: one answer per repeat (null where it could not be asked or read).</summary>
internal sealed record ExampleAnswers(CalibrationExample Example, IReadOnlyList<bool?> Answers, IReadOnlyList<string> Errors)
{
    /// <summary>The answer the figures use: the first repeat's, asked as <c>run</c> asks (the judge's own seed).</summary>
    public bool? First => Answers.Count == 0 ? null : Answers[0];

    /// <summary>Every repeat answered, and not all alike.</summary>
    public bool Differs => Answers.All(a => a.HasValue) && Answers.Distinct().Count() > 1;
}

/// <summary>
/// Asks the <c>judge</c> binding every example, <c>repeat</c> times, the way <c>run</c> asks it: the same template
/// (<see cref="JudgePrompt"/>), system text, temperature, answer reader and retries of unreadable answers, through the
/// same chain (cache, recording, replay, the concurrency limit).
/// </summary>
internal static class CalibrationEngine
{
    /// <summary>The seed of repeat <paramref name="repeat"/>: the judge's own (none by default, as <c>run</c> sends) for the
    /// first, then the seed plus the repeat's index, so that every repeat is a distinct call, not a cached copy.</summary>
    public static long? SeedOf(long? judgeSeed, int repeat) => repeat == 0 ? judgeSeed : (judgeSeed ?? 0) + repeat;

    public static async Task<IReadOnlyList<ExampleAnswers>> AskAsync(
        ModelBinding judge, ModelCaller caller, JudgePrompt prompt, RunOptions options, IReadOnlyList<CalibrationExample> examples, int repeat, CancellationToken cancellationToken)
    {
        var answers = examples.Select(_ => new bool?[repeat]).ToArray();
        var errors = examples.Select(_ => new ConcurrentBag<string>()).ToArray();
        var units = Enumerable.Range(0, examples.Count).SelectMany(i => Enumerable.Range(0, repeat).Select(r => (Index: i, Repeat: r))).ToList();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? fatal = null;
        try
        {
            await Parallel.ForEachAsync(units, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(4, options.Concurrency * 4), CancellationToken = abort.Token }, async (unit, ct) =>
            {
                try
                {
                    var (value, error) = await AskOneAsync(judge, caller, prompt, options, examples[unit.Index], SeedOf(options.JudgeSeed, unit.Repeat), ct).ConfigureAwait(false);
                    answers[unit.Index][unit.Repeat] = value;
                    if (error is not null) errors[unit.Index].Add($"repeat {unit.Repeat + 1}: {error}");
                }
                catch (ModelFatalException ex)
                {
                    Interlocked.CompareExchange(ref fatal, Secrets.Redact(ex.Message), null);
                    abort.Cancel();
                }
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
        cancellationToken.ThrowIfCancellationRequested();
        return examples.Select((e, i) =>
        {
            var list = errors[i].OrderBy(x => x, StringComparer.Ordinal).ToList();
            if (fatal is not null && answers[i].Any(a => a is null) && list.Count == 0) list.Add("the judge was not asked: " + fatal);
            return new ExampleAnswers(e, answers[i], list);
        }).ToList();
    }

    private static async Task<(bool? Value, string? Error)> AskOneAsync(
        ModelBinding judge, ModelCaller caller, JudgePrompt prompt, RunOptions options, CalibrationExample example, long? seed, CancellationToken cancellationToken)
    {
        var question = new JudgeQuestion("behavior", example.Behavior, example.Conversation, example.Reply);
        var request = prompt.Request(question, options.JudgeTemperature, seed);
        var call = new ModelCall(judge, request, text => JudgePrompt.TryReadAnswer(text, question.AnswerKey, out _, out _));
        string? unreadable = null;
        var attempts = Math.Max(1, options.JudgeAttempts);
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var answer = await caller.CallAsync(attempt == 0 ? call : call with { Fresh = true }, cancellationToken).ConfigureAwait(false);
            if (!answer.Succeeded) return (null, $"the judge could not be asked: {answer.Error}");
            if (JudgePrompt.TryReadAnswer(answer.Text!, question.AnswerKey, out var value, out _)) return (value, null);
            unreadable = answer.Text;
        }
        var shown = unreadable ?? "";
        return (null, $"the judge's answer is not a JSON object with \"{question.AnswerKey}\" (asked {attempts} times): \"{(shown.Length <= 120 ? shown : shown.Substring(0, 117) + "...")}\"");
    }
}
