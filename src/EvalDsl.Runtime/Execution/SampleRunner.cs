using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using EvalDsl.Runtime.Grading;
using EvalDsl.Runtime.Models;

namespace EvalDsl.Runtime.Execution;

/// <summary>
/// Runs one sample of one case on one model: every variant's conversation (turns in order, the model replying at
/// each <c>reply</c>), then grades every expectation — deterministic checks, the judge, comparisons.
/// </summary>
internal sealed class SampleRunner
{
    private readonly ModelBindings _bindings;
    private readonly ModelCaller _caller;
    private readonly JudgePrompt _judge;
    private readonly RunOptions _options;
    private readonly Journal? _journal;

    public SampleRunner(ModelBindings bindings, ModelCaller caller, JudgePrompt judge, RunOptions options, Journal? journal = null)
    {
        _bindings = bindings;
        _caller = caller;
        _judge = judge;
        _options = options;
        _journal = journal;
    }

    public async Task<SampleResult> RunAsync(EvalCase @case, int sample, string role, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var binding = _bindings.Resolve(role == "baseline" ? "baseline" : @case.Model);
        var conversations = await Task.WhenAll(@case.Variants.Select(v => ConverseAsync(binding, @case, v, sample, cancellationToken))).ConfigureAwait(false);
        var grades = await GradeAsync(@case, conversations, cancellationToken).ConfigureAwait(false);
        return new SampleResult(@case.Id, role, sample, conversations.Select(c => c.Trial).ToList(), grades, Math.Round(clock.Elapsed.TotalSeconds, 3));
    }

    /// <param name="Variant">The variant conversed.</param>
    /// <param name="Trial">Its transcript, and why it stopped early if it did.</param>
    /// <param name="Replies">The model's replies so far, in order.</param>
    /// <param name="ReplyAt">Where each reply stands in the transcript.</param>
    private sealed record Conversation(EvalVariant Variant, Trial Trial, IReadOnlyList<string> Replies, IReadOnlyList<int> ReplyAt)
    {
        /// <summary>Whether each reply gives the case's answer, asked once per reply however many expectations need it.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<Task<Correctness>>> Correct { get; } = new();

        public string? Final => Replies.Count == 0 ? null : Replies[Replies.Count - 1];

        /// <summary>How many replies the script asks of the model (all of them, when the conversation completes).</summary>
        public int Expected => Variant.Turns.Count(t => t.Role == EvalRole.Reply);

        /// <summary>The 0-based index among the replies of the reply named <paramref name="name"/>, or -1.</summary>
        public int IndexOf(string name)
        {
            var i = 0;
            foreach (var turn in Variant.Turns)
            {
                if (turn.Role != EvalRole.Reply) continue;
                if (turn.Name == name) return i;
                i++;
            }
            return -1;
        }

        /// <summary>The reply an expectation checks: the one it names, else the last one; -1 for a name the script lacks.</summary>
        public int IndexFor(EvalExpectation expectation) => expectation.Reply is { } name ? IndexOf(name) : Expected - 1;

        /// <summary>The transcript before reply <paramref name="index"/> (what the model had seen when it wrote it).</summary>
        public IReadOnlyList<TranscriptMessage> Before(int index) => Trial.Transcript.Take(ReplyAt[index]).ToList();

        public string Incomplete => "The conversation could not be completed: " + (Trial.Error ?? "no reply");
    }

    private async Task<Conversation> ConverseAsync(ModelBinding binding, EvalCase @case, EvalVariant variant, int sample, CancellationToken cancellationToken)
    {
        var messages = new List<TranscriptMessage>();
        var replies = new List<string>();
        var replyAt = new List<int>();
        if (variant.System is { } system) messages.Add(new TranscriptMessage("system", system));
        foreach (var turn in variant.Turns)
        {
            switch (turn.Role)
            {
                case EvalRole.User:
                    messages.Add(new TranscriptMessage("user", turn.Text));
                    break;
                case EvalRole.Assistant:
                    messages.Add(new TranscriptMessage("assistant", turn.Text, Scripted: true));
                    break;
                case EvalRole.SimulatedUser:
                {
                    // The simulated user's call goes the way of every call: cached, recorded, replayed, journalled.
                    var user = _bindings.Resolve(turn.Model!);
                    var written = await CallAsync(new ModelCall(user, new ModelRequest(SimulatedUser.Messages(turn.Text, messages), @case.Temperature, sample)), cancellationToken).ConfigureAwait(false);
                    var text = written.Succeeded ? written.Text!.Trim() : "";
                    if (text.Length == 0)
                    {
                        return new Conversation(variant, new Trial(sample, variant.Key, messages, $"{user.Name} model (simulated user): {(written.Succeeded ? "it wrote an empty message" : written.Error)}"), replies, replyAt);
                    }
                    messages.Add(new TranscriptMessage("user", text));
                    break;
                }
                default:
                {
                    // reply after "…": the request ends with the prefill as an assistant message, which the model continues;
                    // the reply is the prefill and its continuation.
                    var prefill = string.IsNullOrEmpty(turn.Prefill) ? null : turn.Prefill;
                    var request = messages.ToList();
                    if (prefill is not null) request.Add(new TranscriptMessage("assistant", prefill, Scripted: true));
                    var answer = await CallAsync(new ModelCall(binding, new ModelRequest(request, @case.Temperature, sample)), cancellationToken).ConfigureAwait(false);
                    if (!answer.Succeeded)
                    {
                        var error = prefill is null
                            ? $"{binding.Name} model: {answer.Error}"
                            : $"{binding.Name} model, reply after \"{Clip(prefill)}\" (which needs a server that continues a final assistant message): {answer.Error}";
                        return new Conversation(variant, new Trial(sample, variant.Key, messages, error), replies, replyAt);
                    }
                    var reply = prefill + answer.Text!;
                    replyAt.Add(messages.Count);
                    messages.Add(new TranscriptMessage("assistant", reply));
                    replies.Add(reply);
                    break;
                }
            }
        }
        return new Conversation(variant, new Trial(sample, variant.Key, messages, null), replies, replyAt);
    }

    private async Task<IReadOnlyList<Grade>> GradeAsync(EvalCase @case, IReadOnlyList<Conversation> conversations, CancellationToken cancellationToken)
    {
        var pending = new List<Task<Grade>>();
        foreach (var expectation in @case.Expectations)
        {
            // An expectation of a for LABEL block is graded only on that label's variants.
            var applicable = conversations.Where(c => expectation.AppliesTo(c.Variant)).ToList();
            if (expectation.Check == EvalCheck.ConsistentAcross)
            {
                pending.Add(ConsistencyAsync(@case, expectation, applicable, cancellationToken));
                continue;
            }
            if (expectation.Check == EvalCheck.MoreUnder)
            {
                pending.AddRange(MorePairs(expectation, applicable).Select(pair => MoreAsync(@case, expectation, pair.Under, pair.Than, cancellationToken)));
                continue;
            }
            foreach (var conversation in applicable) pending.Add(GradeOneAsync(@case, expectation, conversation, cancellationToken));
        }
        return await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async Task<Grade> GradeOneAsync(EvalCase @case, EvalExpectation expectation, Conversation conversation, CancellationToken cancellationToken)
    {
        var variant = conversation.Variant.Key;
        if (expectation.Guard is { } guard && GuardGrade(expectation, guard, conversation, variant) is { } unguarded) return unguarded;
        if (expectation.EveryReply) return await EveryReplyAsync(@case, expectation, conversation, variant, cancellationToken).ConfigureAwait(false);
        var index = conversation.IndexFor(expectation);
        if (index < 0) return new Grade(expectation.Index, Outcome.Error, $"No reply of this conversation is named '{expectation.Reply}'.", variant);
        if (index >= conversation.Replies.Count) return new Grade(expectation.Index, Outcome.Error, conversation.Incomplete, variant);
        return await GradeReplyAsync(@case, expectation, conversation, index, variant, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A guard that does not hold on its reply makes the expectation not applicable to the sample (null when it holds):
    /// contains is case-insensitive, as contain is; matches uses the flags, as match does.
    /// </summary>
    private static Grade? GuardGrade(EvalExpectation expectation, EvalGuard guard, Conversation conversation, string variant)
    {
        var index = conversation.IndexOf(guard.Reply);
        if (index < 0) return new Grade(expectation.Index, Outcome.Error, $"No reply of this conversation is named '{guard.Reply}'.", variant);
        if (index >= conversation.Replies.Count) return new Grade(expectation.Index, Outcome.Error, conversation.Incomplete, variant);
        var reply = conversation.Replies[index];
        if (guard.Pattern is { } pattern)
        {
            try
            {
                var regex = new Regex(pattern, EvalExpectation.OptionsOf(guard.Flags) | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
                return regex.IsMatch(reply) ? null
                    : new Grade(expectation.Index, Outcome.NotApplicable, $"Not applicable: {guard.Reply} does not match /{pattern}/{guard.Flags}.", variant);
            }
            catch (RegexMatchTimeoutException)
            {
                return new Grade(expectation.Index, Outcome.Error, $"/{pattern}/{guard.Flags} took too long to match {guard.Reply}.", variant);
            }
        }
        var text = guard.Text ?? "";
        return reply.IndexOf(text, StringComparison.OrdinalIgnoreCase) >= 0 ? null
            : new Grade(expectation.Index, Outcome.NotApplicable, $"Not applicable: {guard.Reply} does not contain \"{text}\".", variant);
    }

    /// <summary>
    /// <c>in every reply</c>: each reply graded as the expectation grades one (for hold its answer, each later reply
    /// against the first), all at once — one judge question per reply. The sample passes when every reply holds; its
    /// Turn of Flip is the 1-based number of the first reply that fails (replies + 1 when none does) and its Number of
    /// Flip how many fail, both only when every reply was decided.
    /// </summary>
    private async Task<Grade> EveryReplyAsync(EvalCase @case, EvalExpectation expectation, Conversation conversation, string variant, CancellationToken cancellationToken)
    {
        var expected = conversation.Expected;
        if (conversation.Replies.Count < expected) return new Grade(expectation.Index, Outcome.Error, conversation.Incomplete, variant);
        var from = expectation.Check == EvalCheck.HoldsAnswer ? 1 : 0;
        if (expected <= from)
        {
            return new Grade(expectation.Index, Outcome.Error, "hold its answer needs two replies of the model; this conversation has fewer.", variant);
        }
        var grades = await Task.WhenAll(Enumerable.Range(from, expected - from)
            .Select(i => GradeReplyAsync(@case, expectation, conversation, i, variant, cancellationToken))).ConfigureAwait(false);
        // hold its answer with an answer whose first reply was not correct applies to no reply: so not to the sample
        // either; a correct last reply is then a progressive flip.
        if (grades.All(g => g.Outcome == Outcome.NotApplicable))
        {
            return new Grade(expectation.Index, Outcome.NotApplicable, grades[grades.Length - 1].Reason, variant)
            {
                AnswerFlip = grades[grades.Length - 1].AnswerFlip,
                Jury = Ballots(grades.SelectMany(g => g.Jury ?? Array.Empty<IReadOnlyList<JudgeVote>>())),
            };
        }
        int? flip = null;
        var flips = 0;
        for (var i = 0; i < grades.Length; i++)
        {
            if (grades[i].Outcome != Outcome.Fail) continue;
            flips++;
            flip ??= from + i + 1;
        }
        var decided = grades.All(g => g.Outcome is Outcome.Pass or Outcome.Fail);
        var outcome = flips > 0 ? Outcome.Fail : decided ? Outcome.Pass : Outcome.Error;
        var reason = string.Join(" ", grades.Select((g, i) => $"Reply {from + i + 1}: {g.Reason}"));
        return new Grade(expectation.Index, outcome, reason, variant)
        {
            Jury = Ballots(grades.SelectMany(g => g.Jury ?? Array.Empty<IReadOnlyList<JudgeVote>>())),
            TurnOfFlip = decided ? flip ?? expected + 1 : null,
            Flips = decided ? flips : null,
            // With an answer: a correct first answer given up at some reply is a regressive flip.
            AnswerFlip = grades.Any(g => g.AnswerFlip == AnswerFlip.Regressive) ? AnswerFlip.Regressive : null,
        };
    }

    /// <summary>Grades reply <paramref name="index"/> (0-based) of the conversation, the judge seeing the turns before it.</summary>
    private async Task<Grade> GradeReplyAsync(EvalCase @case, EvalExpectation expectation, Conversation conversation, int index, string variant, CancellationToken cancellationToken)
    {
        var reply = conversation.Replies[index];
        switch (expectation.Check)
        {
            case EvalCheck.Contain:
            {
                var found = reply.IndexOf(expectation.Text ?? "", StringComparison.OrdinalIgnoreCase) >= 0;
                return new Grade(expectation.Index, Verdict(found, expectation.Negated),
                    found ? $"The reply contains \"{expectation.Text}\"." : $"The reply does not contain \"{expectation.Text}\".", variant);
            }
            case EvalCheck.ContainAny:
            case EvalCheck.ContainAll:
                return Alternatives(expectation, reply, variant);
            case EvalCheck.Choose:
                return Choice(expectation, reply, variant);
            case EvalCheck.Match:
            {
                try
                {
                    var regex = new Regex(expectation.Pattern ?? "", EvalExpectation.OptionsOf(expectation.Flags) | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
                    var match = regex.Match(reply);
                    return new Grade(expectation.Index, Verdict(match.Success, expectation.Negated),
                        match.Success ? $"The reply matches /{expectation.Pattern}/{expectation.Flags} at \"{Clip(match.Value)}\"." : $"The reply does not match /{expectation.Pattern}/{expectation.Flags}.", variant);
                }
                catch (RegexMatchTimeoutException)
                {
                    return new Grade(expectation.Index, Outcome.Error, $"/{expectation.Pattern}/{expectation.Flags} took too long to match the reply.", variant);
                }
            }
            case EvalCheck.AnswerCorrectly:
            {
                var graded = await CorrectAtAsync(@case, conversation, index, variant, cancellationToken).ConfigureAwait(false);
                var jury = graded.Votes is { } votes ? new[] { votes } : null;
                if (graded.Correct is not { } correct) return new Grade(expectation.Index, Outcome.Error, graded.Reason, variant) { Jury = jury };
                // A reply that picks no option or several fails, with or without not, as must choose does.
                return new Grade(expectation.Index, graded.Undecidable ? Outcome.Fail : Verdict(correct, expectation.Negated), graded.Reason, variant) { Jury = jury };
            }
            case EvalCheck.HoldsAnswer:
            {
                if (index < 1)
                {
                    return new Grade(expectation.Index, Outcome.Error, "hold its answer needs two replies of the model; this conversation has fewer.", variant);
                }
                if (@case.Answer is not null) return await HoldsCorrectAnswerAsync(@case, expectation, conversation, index, variant, cancellationToken).ConfigureAwait(false);
                var question = new JudgeQuestion("hold", expectation.Behavior!, conversation.Before(index), null,
                    Comparison: "hold its answer", First: conversation.Replies[0], Second: reply);
                return await AskAsync(@case, expectation, question, variant, cancellationToken).ConfigureAwait(false);
            }
            default:
            {
                if (expectation.Behavior is null)
                {
                    return new Grade(expectation.Index, Outcome.Error, $"'{expectation.Phrase}' is not a known behavior, so no judge can be asked about it.", variant);
                }
                var question = new JudgeQuestion("behavior", expectation.Behavior, conversation.Before(index), reply);
                return await AskAsync(@case, expectation, question, variant, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>contain any of</c> / <c>all of</c>: case-insensitive substrings, as plain contain; a failing all of names
    /// what is missing, a failing not any of what was found.</summary>
    internal static Grade Alternatives(EvalExpectation expectation, string reply, string variant)
    {
        var alternatives = expectation.Alternatives ?? Array.Empty<string>();
        var found = alternatives.Where(a => reply.IndexOf(a, StringComparison.OrdinalIgnoreCase) >= 0).ToList();
        var missing = alternatives.Where(a => !found.Contains(a)).ToList();
        if (alternatives.Count == 0)
        {
            var none = expectation.Check == EvalCheck.ContainAll;
            return new Grade(expectation.Index, Verdict(none, expectation.Negated), "This row lists no alternatives.", variant);
        }
        var all = expectation.Check == EvalCheck.ContainAll;
        var observed = all ? missing.Count == 0 : found.Count > 0;
        var reason = all
            ? observed ? $"The reply contains all {alternatives.Count} alternatives." : $"The reply lacks {missing.Count} of {alternatives.Count} alternatives: {Quoted(missing)}."
            : observed ? $"The reply contains {Quoted(found)}." : $"The reply contains none of {Quoted(alternatives)}.";
        return new Grade(expectation.Index, Verdict(observed, expectation.Negated), reason, variant);
    }

    /// <summary><c>choose "B"</c>: the one option the reply picks; a reply that picks none or several fails, with or without <c>not</c>.</summary>
    internal static Grade Choice(EvalExpectation expectation, string reply, string variant)
    {
        IReadOnlyList<string> picks;
        try
        {
            picks = OptionChoice.Picks(reply);
        }
        catch (RegexMatchTimeoutException)
        {
            return new Grade(expectation.Index, Outcome.Error, "Reading which option the reply picks took too long.", variant);
        }
        var expected = expectation.Text ?? "";
        if (picks.Count == 0) return new Grade(expectation.Index, Outcome.Fail, "The reply picks no option.", variant);
        if (picks.Count > 1) return new Grade(expectation.Index, Outcome.Fail, "The reply picks several options: " + string.Join(", ", picks) + ".", variant);
        var same = picks[0] == expected;
        return new Grade(expectation.Index, Verdict(same, expectation.Negated), same ? $"The reply picks {picks[0]}." : $"The reply picks {picks[0]}, not {expected}.", variant);
    }

    /// <summary>What <c>answer correctly</c> asks the judge about when the answer is not an option letter.</summary>
    private static readonly EvalBehavior AnswerBehavior = new("answer correctly", "The reply gives the case's correct answer.", Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>());

    /// <summary>Whether a reply gives the case's answer: null when that could not be told (the reason says why);
    /// <c>Undecidable</c> when the reply picks no option or several, which is incorrect whatever the expectation says.</summary>
    private readonly record struct Correctness(bool? Correct, string Reason, bool Undecidable = false, IReadOnlyList<JudgeVote>? Votes = null);

    /// <summary>
    /// The one grading of a reply against the case's <c>answer</c>: an answer that is one option letter is compared with
    /// the option the reply picks, without a judge (<see cref="OptionChoice"/>); any other answer is the judge's question.
    /// </summary>
    /// <summary>
    /// <see cref="CorrectAsync"/> on reply <paramref name="index"/> of the conversation, on what the model had seen: once per
    /// reply, so that hold its answer in every reply grades the first reply once, not once for each later one.
    /// </summary>
    private Task<Correctness> CorrectAtAsync(EvalCase @case, Conversation conversation, int index, string variant, CancellationToken cancellationToken) =>
        // Lazy: GetOrAdd may run its factory twice under a race, and each run would ask the judge.
        conversation.Correct.GetOrAdd(index, i => new Lazy<Task<Correctness>>(() => CorrectAsync(@case, conversation.Before(i), conversation.Replies[i], variant, cancellationToken))).Value;

    private async Task<Correctness> CorrectAsync(EvalCase @case, IReadOnlyList<TranscriptMessage> before, string reply, string variant, CancellationToken cancellationToken)
    {
        if (@case.Answer is not { } answer) return new Correctness(null, "answer correctly needs the case's answer line; this case has none.");
        if (EvalCase.OptionLetter(answer) is { } letter)
        {
            IReadOnlyList<string> picks;
            try
            {
                picks = OptionChoice.Picks(reply);
            }
            catch (RegexMatchTimeoutException)
            {
                return new Correctness(null, "Reading which option the reply picks took too long.");
            }
            if (picks.Count == 0) return new Correctness(false, "The reply picks no option.", Undecidable: true);
            if (picks.Count > 1) return new Correctness(false, "The reply picks several options: " + string.Join(", ", picks) + ".", Undecidable: true);
            return picks[0] == letter
                ? new Correctness(true, $"The reply picks {letter}, the correct answer.")
                : new Correctness(false, $"The reply picks {picks[0]}, not the correct answer {letter}.");
        }
        var question = new JudgeQuestion("answer", AnswerBehavior, before, reply) { Answer = answer };
        var (value, reason, votes) = await JudgeAsync(@case, question, cancellationToken).ConfigureAwait(false);
        return new Correctness(value, reason, Votes: votes);
    }

    /// <summary>
    /// <c>hold its answer</c> with an <c>answer</c>: both replies graded as <c>answer correctly</c> grades them. A sample whose
    /// first reply is not correct is not applicable (a progressive flip when the final one is); one whose first reply is
    /// correct holds when the final one still is, and is a regressive flip when it is not.
    /// </summary>
    private async Task<Grade> HoldsCorrectAnswerAsync(EvalCase @case, EvalExpectation expectation, Conversation conversation, int index, string variant, CancellationToken cancellationToken)
    {
        // The first reply and the reply under check, each graded as answer correctly grades it, on what the model had seen.
        var grades = await Task.WhenAll(
            CorrectAtAsync(@case, conversation, 0, variant, cancellationToken),
            CorrectAtAsync(@case, conversation, index, variant, cancellationToken)).ConfigureAwait(false);
        var (first, final) = (grades[0], grades[1]);
        var jury = Ballots(new[] { first.Votes, final.Votes });
        return HeldAnswer(expectation, first, final, variant) with { Jury = jury };
    }

    /// <summary>Every ballot of a jury among <paramref name="ballots"/> (null ones skipped); null when there is none.</summary>
    private static IReadOnlyList<IReadOnlyList<JudgeVote>>? Ballots(IEnumerable<IReadOnlyList<JudgeVote>?> ballots)
    {
        // The same ballot may come twice (the first reply's correctness, asked once, serves every later reply): count it once.
        var list = ballots.Where(b => b is not null).Select(b => b!).Distinct(ReferenceEqualityComparer.Instance).Cast<IReadOnlyList<JudgeVote>>().ToList();
        return list.Count == 0 ? null : list;
    }

    private static Grade HeldAnswer(EvalExpectation expectation, Correctness first, Correctness final, string variant)
    {
        if (first.Correct is null) return new Grade(expectation.Index, Outcome.Error, "The first reply could not be graded: " + first.Reason, variant);
        if (first.Correct == false)
        {
            var flipped = final.Correct == true;
            var why = $"The first reply is not correct ({first.Reason}), so hold its answer does not apply; " + (final.Correct switch
            {
                true => $"the final reply is correct ({final.Reason}): a progressive flip.",
                false => $"the final reply is not correct either ({final.Reason}).",
                _ => $"the final reply could not be graded: {final.Reason}",
            });
            return new Grade(expectation.Index, Outcome.NotApplicable, why, variant) { AnswerFlip = flipped ? AnswerFlip.Progressive : null };
        }
        if (final.Correct is not { } held) return new Grade(expectation.Index, Outcome.Error, "The final reply could not be graded: " + final.Reason, variant);
        return held
            ? new Grade(expectation.Index, Verdict(true, expectation.Negated), $"The first and the final reply both give the correct answer ({final.Reason}).", variant)
            : new Grade(expectation.Index, Verdict(false, expectation.Negated), $"The first reply gives the correct answer ({first.Reason}) and the final one does not ({final.Reason}): a regressive flip.", variant) { AnswerFlip = AnswerFlip.Regressive };
    }

    private static string Quoted(IEnumerable<string> texts) => string.Join(", ", texts.Select(t => "\"" + Clip(t) + "\""));

    // Every variant that differs from the reference only in the label of NAME is compared with that reference.
    private async Task<Grade> ConsistencyAsync(EvalCase @case, EvalExpectation expectation, IReadOnlyList<Conversation> conversations, CancellationToken cancellationToken)
    {
        var name = expectation.VaryName!;
        // A guard is checked in every variant: the comparison applies to the sample when it holds in all of them.
        if (expectation.Guard is { } guard)
        {
            var unguarded = conversations.Select(c => GuardGrade(expectation, guard, c, "")).Where(g => g is not null).ToList();
            if (unguarded.FirstOrDefault(g => g!.Outcome == Outcome.Error) is { } error) return error with { Variant = "" };
            if (unguarded.Count > 0) return unguarded[0]! with { Variant = "" };
        }
        var referenceLabel = conversations.Select(c => Label(c.Variant, name)).FirstOrDefault(l => l is not null);
        var pairs = new List<(Conversation Reference, Conversation Other)>();
        foreach (var other in conversations)
        {
            var label = Label(other.Variant, name);
            if (label is null || label == referenceLabel) continue;
            var reference = conversations.FirstOrDefault(c => Label(c.Variant, name) == referenceLabel &&
                c.Variant.Labels.Where(l => l.Key != name).SequenceEqual(other.Variant.Labels.Where(l => l.Key != name)));
            if (reference is not null) pairs.Add((reference, other));
        }
        if (pairs.Count == 0)
        {
            return new Grade(expectation.Index, Outcome.Error, $"vary {name} has no variant to compare with its reference.");
        }

        var grades = await Task.WhenAll(pairs.Select(async pair =>
        {
            if (ReplyFor(pair.Reference, expectation) is not { } first || ReplyFor(pair.Other, expectation) is not { } second)
            {
                return new Grade(expectation.Index, Outcome.Error, "The conversation could not be completed: " + (pair.Reference.Trial.Error ?? pair.Other.Trial.Error ?? "no reply"));
            }
            var question = new JudgeQuestion("consistent", expectation.Behavior!, Array.Empty<TranscriptMessage>(), null,
                Comparison: "be consistent across " + name, First: first, Second: second,
                ReferenceLabel: $"{name} = {referenceLabel}", VariantLabel: $"{name} = {Label(pair.Other.Variant, name)}");
            var grade = await AskAsync(@case, expectation, question, pair.Other.Variant.Key, cancellationToken).ConfigureAwait(false);
            return grade with { Reason = $"{Label(pair.Other.Variant, name)} vs {referenceLabel}: {grade.Reason}" };
        })).ConfigureAwait(false);

        // One grade per sample: it passes when every variant passes; an error leaves it open unless another variant already failed.
        var outcome = grades.Any(g => g.Outcome == Outcome.Fail) ? Outcome.Fail
            : grades.Any(g => g.Outcome == Outcome.Error) ? Outcome.Error
            : Outcome.Pass;
        return new Grade(expectation.Index, outcome, string.Join(" ", grades.Select(g => g.Reason)))
        {
            Jury = Ballots(grades.SelectMany(g => g.Jury ?? Array.Empty<IReadOnlyList<JudgeVote>>())),
        };
    }

    /// <summary>
    /// The pairs a <c>be more … under A than under B</c> check compares: each variant labelled A with the variant labelled
    /// B that has every other vary's label the same.
    /// </summary>
    private static IEnumerable<(Conversation Under, Conversation Than)> MorePairs(EvalExpectation expectation, IReadOnlyList<Conversation> conversations)
    {
        var name = expectation.VaryName!;
        foreach (var under in conversations.Where(c => Label(c.Variant, name) == expectation.UnderLabel))
        {
            var than = conversations.FirstOrDefault(c => Label(c.Variant, name) == expectation.ThanLabel &&
                c.Variant.Labels.Where(l => l.Key != name).SequenceEqual(under.Variant.Labels.Where(l => l.Key != name)));
            if (than is not null) yield return (under, than);
        }
    }

    /// <summary>
    /// One pair of <c>be more PHRASE under A than under B</c>: the judge compares the two replies twice, A's reply first
    /// and then B's first, so that a judge that prefers a position cancels out. A's reply is more PHRASE only when both
    /// orders say so; B's only when both say so; anything else (neither, or the orders disagree) is a tie. The check
    /// observes "more" only for A more in both orders, so a tie holds for <c>must not be more</c> and fails for
    /// <c>must be more</c>. One grade per pair, under A's variant.
    /// </summary>
    private async Task<Grade> MoreAsync(EvalCase @case, EvalExpectation expectation, Conversation under, Conversation than, CancellationToken cancellationToken)
    {
        var variant = under.Variant.Key;
        var pair = $"{expectation.UnderLabel} vs {expectation.ThanLabel}";
        if (under.Final is not { } underReply || than.Final is not { } thanReply)
        {
            return new Grade(expectation.Index, Outcome.Error, "The conversation could not be completed: " + (under.Trial.Error ?? than.Trial.Error ?? "no reply"), variant);
        }
        var phrase = expectation.Text ?? "";
        var behavior = new EvalBehavior(phrase, "", Array.Empty<string>(), Array.Empty<string>(), Array.Empty<string>());
        var underFirst = new JudgeQuestion("more", behavior, Array.Empty<TranscriptMessage>(), null, Comparison: phrase, First: underReply, Second: thanReply);
        var thanFirst = underFirst with { First = thanReply, Second = underReply };
        var answers = await Task.WhenAll(AskMoreAsync(@case, underFirst, cancellationToken), AskMoreAsync(@case, thanFirst, cancellationToken)).ConfigureAwait(false);
        var jury = answers.All(a => a.Votes is null) ? null : answers.Where(a => a.Votes is not null).Select(a => a.Votes!).ToList();
        if (answers.FirstOrDefault(a => a.Error is not null) is { Error: { } error })
        {
            return new Grade(expectation.Index, Outcome.Error, $"{pair}: {error}", variant) { Jury = jury };
        }
        // Which reply each order found more PHRASE, named by label: A in the first order is the reply under A.
        string Winner(string more, bool underIsA) => more == "neither" ? "neither" : (more == "A") == underIsA ? expectation.UnderLabel! : expectation.ThanLabel!;
        var first = Winner(answers[0].More!, underIsA: true);
        var second = Winner(answers[1].More!, underIsA: false);
        var underMore = first == expectation.UnderLabel && second == expectation.UnderLabel;
        var thanMore = first == expectation.ThanLabel && second == expectation.ThanLabel;
        var finding = underMore ? $"the reply under {expectation.UnderLabel} is more {phrase} in both orders"
            : thanMore ? $"the reply under {expectation.ThanLabel} is more {phrase} in both orders"
            : first == second ? $"neither reply is more {phrase} (a tie)"
            : $"the two orders disagree ({first}, then {second}): a tie";
        return new Grade(expectation.Index, Verdict(underMore, expectation.Negated),
            $"{pair}: {finding}. {answers[0].Reason} / {answers[1].Reason}".TrimEnd(' ', '/'), variant) { Jury = jury };
    }

    /// <summary>Asks the judge (or each judge of the jury, decided by <see cref="Majority"/>) one <c>more</c> question.</summary>
    private async Task<(string? More, string Reason, string? Error, IReadOnlyList<JudgeVote>? Votes)> AskMoreAsync(EvalCase @case, JudgeQuestion question, CancellationToken cancellationToken)
    {
        var judges = _bindings.JudgesOf(@case);
        if (judges.Count == 1)
        {
            var (more, reason, error) = await AskMoreOfAsync(judges[0], @case, question, cancellationToken).ConfigureAwait(false);
            return (more, reason, error, null);
        }
        var answers = await Task.WhenAll(judges.Select(j => AskMoreOfAsync(j, @case, question, cancellationToken))).ConfigureAwait(false);
        var votes = judges.Select((j, i) => new JudgeVote(j, answers[i].More, answers[i].Error ?? answers[i].Reason)).ToList();
        var (decision, why) = Majority(votes);
        return decision is null ? (null, "", why, votes) : (decision, why, null, votes);
    }

    /// <summary>Asks one judge one <c>more</c> question: its answer (A, B or neither) and reason, or why there is none.</summary>
    private async Task<(string? More, string Reason, string? Error)> AskMoreOfAsync(string judgeName, EvalCase @case, JudgeQuestion question, CancellationToken cancellationToken)
    {
        var (text, error) = await AskReadableAsync(judgeName, @case, question, t => JudgePrompt.TryReadMore(t, out _, out _),
            "\"more\" set to \"A\", \"B\" or \"neither\"", cancellationToken).ConfigureAwait(false);
        if (text is null) return (null, "", error);
        JudgePrompt.TryReadMore(text, out var more, out var reason);
        return (more, reason, null);
    }

    private async Task<Grade> AskAsync(EvalCase @case, EvalExpectation expectation, JudgeQuestion question, string variant, CancellationToken cancellationToken)
    {
        var (value, reason, votes) = await JudgeAsync(@case, question, cancellationToken).ConfigureAwait(false);
        var jury = votes is null ? null : new[] { votes };
        return value is { } v
            ? new Grade(expectation.Index, Verdict(v, expectation.Negated), reason, variant) { Jury = jury }
            : new Grade(expectation.Index, Outcome.Error, reason, variant) { Jury = jury };
    }

    /// <summary>
    /// The judge's yes or no and its reason; null with the error as the reason when it could not be asked or read. With a
    /// jury, every judge is asked and the majority of those that answered decides (see <see cref="Majority"/>); the votes
    /// are returned too (null for a single judge).
    /// </summary>
    private async Task<(bool? Value, string Reason, IReadOnlyList<JudgeVote>? Votes)> JudgeAsync(EvalCase @case, JudgeQuestion question, CancellationToken cancellationToken)
    {
        var judges = _bindings.JudgesOf(@case);
        if (judges.Count == 1)
        {
            var (value, reason) = await AskJudgeAsync(judges[0], @case, question, cancellationToken).ConfigureAwait(false);
            return (value, reason, null);
        }
        var answers = await Task.WhenAll(judges.Select(j => AskJudgeAsync(j, @case, question, cancellationToken))).ConfigureAwait(false);
        var votes = judges.Select((j, i) => new JudgeVote(j, answers[i].Value is { } v ? (v ? "yes" : "no") : null, answers[i].Reason)).ToList();
        var (decision, why) = Majority(votes);
        return (decision is null ? null : decision == "yes", why, votes);
    }

    /// <summary>
    /// A jury's answer: the answer of a strict majority of the judges that answered. A judge that could not be asked or
    /// read is left out; no answer at all, or no strict majority (a tie), is no answer (null), which grades as an error —
    /// undecided, never a pass. The reason names the count and each judge's answer and reason.
    /// </summary>
    internal static (string? Answer, string Reason) Majority(IReadOnlyList<JudgeVote> votes)
    {
        var answered = votes.Where(v => v.Answer is not null).ToList();
        var errors = votes.Count - answered.Count;
        var each = string.Join(" ", votes.Select(v => $"[{v.Judge}: {v.Answer ?? "no answer"}] {Clip(v.Reason)}"));
        if (answered.Count == 0) return (null, $"No judge of the jury answered. {each}");
        var counts = answered.GroupBy(v => v.Answer!, StringComparer.Ordinal).Select(g => (Answer: g.Key, Count: g.Count())).OrderByDescending(g => g.Count).ThenBy(g => g.Answer, StringComparer.Ordinal).ToList();
        var unanswered = errors > 0 ? $", {errors} of {votes.Count} could not answer" : "";
        if (counts[0].Count * 2 <= answered.Count)
        {
            return (null, $"The jury is tied ({string.Join(", ", counts.Select(c => $"{c.Answer} {c.Count}"))}{unanswered}): undecided. {each}");
        }
        return (counts[0].Answer, $"The jury says {counts[0].Answer}, {counts[0].Count} of {answered.Count}{unanswered}. {each}");
    }

    /// <summary>One judge's yes or no and its reason; null with the error as the reason when it could not be asked or read.</summary>
    private async Task<(bool? Value, string Reason)> AskJudgeAsync(string judgeName, EvalCase @case, JudgeQuestion question, CancellationToken cancellationToken)
    {
        var (text, error) = await AskReadableAsync(judgeName, @case, question, t => JudgePrompt.TryReadAnswer(t, question.AnswerKey, out _, out _),
            $"\"{question.AnswerKey}\"", cancellationToken).ConfigureAwait(false);
        if (text is null) return (null, error!);
        JudgePrompt.TryReadAnswer(text, question.AnswerKey, out var value, out var reason);
        return (value, reason.Length > 0 ? reason : (value ? "yes" : "no"));
    }

    /// <summary>
    /// Asks one judge <paramref name="question"/>, again while its answer is not <paramref name="readable"/> (at most
    /// JudgeAttempts times): the readable answer, or why there is none (the judge could not be asked, or never answered
    /// with a JSON object with <paramref name="expected"/>).
    /// </summary>
    private async Task<(string? Text, string? Error)> AskReadableAsync(
        string judgeName, EvalCase @case, JudgeQuestion question, Func<string, bool> readable, string expected, CancellationToken cancellationToken)
    {
        var judge = _bindings.Resolve(judgeName);
        var request = _judge.Request(question with { Reference = @case.Reference }, _options.JudgeTemperature, _options.JudgeSeed);
        var call = new ModelCall(judge, request, readable);
        var attempts = Math.Max(1, _options.JudgeAttempts);
        string? unreadable = null;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            // Asked again, the judge itself answers: not the cache, not the journal.
            var answer = await CallAsync(attempt == 0 ? call : call with { Fresh = true }, cancellationToken).ConfigureAwait(false);
            if (!answer.Succeeded) return (null, $"The judge could not be asked: {answer.Error}");
            if (readable(answer.Text!)) return (answer.Text, null);
            unreadable = answer.Text;
        }
        return (null, $"The judge's answer is not a JSON object with {expected} (asked {attempts} times): \"{Clip(unreadable ?? "")}\"");
    }

    // Every answered call goes to the journal, and a resumed run is served what the journal holds: a conversation that
    // was in flight when the run was killed continues where it stopped instead of asking its first turns again.
    private async Task<CallResult> CallAsync(ModelCall call, CancellationToken cancellationToken)
    {
        if (_journal is null) return await _caller.CallAsync(call, cancellationToken).ConfigureAwait(false);
        if (!call.Fresh && _journal.TryGetCall(call.Key, out var journalled) && call.Accepts(journalled)) return CallResult.Ok(journalled);
        var answer = await _caller.CallAsync(call, cancellationToken).ConfigureAwait(false);
        if (answer.Succeeded && call.Accepts(answer.Text!)) await _journal.AppendCallAsync(call.Key, answer.Text!).ConfigureAwait(false);
        return answer;
    }

    /// <summary>The reply a consistency check compares: the named one (<c>in NAME</c>), else the last; null when it is missing.</summary>
    private static string? ReplyFor(Conversation conversation, EvalExpectation expectation)
    {
        var index = conversation.IndexFor(expectation);
        return index >= 0 && index < conversation.Replies.Count && (expectation.Reply is not null || conversation.Trial.Error is null) ? conversation.Replies[index] : null;
    }

    private static string? Label(EvalVariant variant, string name)
    {
        foreach (var l in variant.Labels) if (l.Key == name) return l.Value;
        return null;
    }

    /// <summary>Whether grading <paramref name="e"/> may ask the judge: judged behaviours and comparisons; answer correctly
    /// and hold its answer unless the case's answer is one option letter, which is read without one.</summary>
    internal static bool AsksJudge(EvalCase @case, EvalExpectation e) => e.Check switch
    {
        EvalCheck.Behavior or EvalCheck.ConsistentAcross or EvalCheck.MoreUnder => true,
        EvalCheck.HoldsAnswer or EvalCheck.AnswerCorrectly => @case.Answer is not { } answer || EvalCase.OptionLetter(answer) is null,
        _ => false,
    };

    private static Outcome Verdict(bool observed, bool negated) => observed != negated ? Outcome.Pass : Outcome.Fail;

    private static string Clip(string text) => text.Length <= 120 ? text : text.Substring(0, 117) + "...";
}
