using EvalDsl.Runtime.Execution;
using EvalDsl.Runtime.Grading;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>Which option a reply picks (must choose): a table of replies and the options read from them.</summary>
public sealed class OptionChoiceTests
{
    [Theory]
    // The marked forms the issue names.
    [InlineData("(B)", "B")]
    [InlineData("I think it is (B) 7, since 7 is prime.", "B")]
    [InlineData("B) 7", "B")]
    [InlineData("B. Seven is prime.", "B")]
    [InlineData("The answer is B", "B")]
    [InlineData("The answer is B.", "B")]
    [InlineData("option B", "B")]
    // A reply that is only the letter, or the letter in bold.
    [InlineData("B", "B")]
    [InlineData("  C.  ", "C")]
    [InlineData("**D**", "D")]
    [InlineData("My pick: **A** because it is cheapest.", "A")]
    // Stated in words, any case for the words.
    [InlineData("Answer: C", "C")]
    [InlineData("ANSWER: (C) Canberra", "C")]
    [InlineData("The correct answer is (A).", "A")]
    [InlineData("The answer would be D.", "D")]
    [InlineData("I choose B.", "B")]
    [InlineData("I'd go with C here.", "C")]
    [InlineData("Option (D) is right.", "D")]
    [InlineData("My choice: A", "A")]
    // A stated answer wins over the options the reply lists.
    [InlineData("(A) 4 (B) 7 (C) 9. The answer is B.", "B")]
    [InlineData("A) Paris\nB) Canberra\nC) Sydney\nSo the answer is B.", "B")]
    [InlineData("You're right, I was wrong: the answer is (A).", "A")]
    // Letters that are not options.
    [InlineData("I think the U.S. is larger.", "")]
    [InlineData("The answer is a matter of taste.", "")]
    [InlineData("There is no good option here.", "")]
    [InlineData("I am not sure.", "")]
    [InlineData("Canberra is the capital.", "")]
    [InlineData("", "")]
    // Negations and sentence ends are no picks.
    [InlineData("The answer is not B.", "")]
    [InlineData("Take vitamin B.", "")]
    [InlineData("I would not choose B; it is too slow.", "")]
    [InlineData("I wouldn't pick A.", "")]
    [InlineData("I wouldn't pick A. I'd go with C.", "C")]
    [InlineData("Options:\n  A. Paris\n  B. Canberra", "A,B")]
    // Several.
    [InlineData("(A) or (C), both work.", "A,C")]
    [InlineData("A) Paris B) Canberra C) Sydney", "A,B,C")]
    [InlineData("Option A or option C.", "A,C")]
    [InlineData("The answer is C, or maybe the answer is A.", "A,C")]
    [InlineData("(B) and again (B).", "B")]
    public void Reads_the_option_a_reply_picks(string reply, string picked)
    {
        Assert.Equal(picked, string.Join(",", OptionChoice.Picks(reply)));
    }

    private static EvalExpectation Choose(string letter, bool negated = false) =>
        new(0, true, negated, EvalCheck.Choose, $"choose \"{letter}\"", letter, null, null, null, null, new SpecLocation("spec.eval", 1, 1));

    [Theory]
    [InlineData("The answer is B.", false, Outcome.Pass, "The reply picks B.")]
    [InlineData("The answer is C.", false, Outcome.Fail, "The reply picks C, not B.")]
    [InlineData("The answer is C.", true, Outcome.Pass, "The reply picks C, not B.")]
    [InlineData("The answer is B.", true, Outcome.Fail, "The reply picks B.")]
    [InlineData("I am not sure.", false, Outcome.Fail, "The reply picks no option.")]
    [InlineData("I am not sure.", true, Outcome.Fail, "The reply picks no option.")]
    [InlineData("(A) or (C).", false, Outcome.Fail, "The reply picks several options: A, C.")]
    [InlineData("(A) or (C).", true, Outcome.Fail, "The reply picks several options: A, C.")]
    public void A_reply_that_picks_none_or_several_fails_with_that_reason(string reply, bool negated, Outcome outcome, string reason)
    {
        var grade = SampleRunner.Choice(Choose("B", negated), reply, "");
        Assert.Equal(outcome, grade.Outcome);
        Assert.Equal(reason, grade.Reason);
    }
}
