using EvalDsl.Runtime.Execution;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>The deterministic checks of issue 10: contain any of / all of.</summary>
public sealed class DeterministicChecksTests
{
    private static EvalExpectation Alternatives(EvalCheck check, bool negated, params string[] alternatives) =>
        new(0, true, negated, check, check == EvalCheck.ContainAll ? "contain all of {col}" : "contain any of {col}", null, null, null, null, null, new SpecLocation("spec.eval", 1, 1))
        {
            Alternatives = alternatives,
        };

    [Theory]
    [InlineData("The capital is canberra.", false, Outcome.Pass, "The reply contains \"Canberra\".")]
    [InlineData("The capital is Sydney.", false, Outcome.Fail, "The reply contains none of \"Canberra\", \"ACT\".")]
    [InlineData("Canberra, in the ACT.", false, Outcome.Pass, "The reply contains \"Canberra\", \"ACT\".")]
    [InlineData("The capital is Sydney.", true, Outcome.Pass, "The reply contains none of \"Canberra\", \"ACT\".")]
    [InlineData("Canberra, in the act.", true, Outcome.Fail, "The reply contains \"Canberra\", \"ACT\".")]
    public void Any_of_holds_when_some_alternative_is_in_the_reply_ignoring_case(string reply, bool negated, Outcome outcome, string reason)
    {
        var grade = SampleRunner.Alternatives(Alternatives(EvalCheck.ContainAny, negated, "Canberra", "ACT"), reply, "");
        Assert.Equal(outcome, grade.Outcome);
        Assert.Equal(reason, grade.Reason);
    }

    [Theory]
    [InlineData("Canberra became the capital in 1913.", false, Outcome.Pass, "The reply contains all 2 alternatives.")]
    [InlineData("It is CANBERRA.", false, Outcome.Fail, "The reply lacks 1 of 2 alternatives: \"1913\".")]
    [InlineData("It is Sydney.", false, Outcome.Fail, "The reply lacks 2 of 2 alternatives: \"Canberra\", \"1913\".")]
    [InlineData("It is Sydney.", true, Outcome.Pass, "The reply lacks 2 of 2 alternatives: \"Canberra\", \"1913\".")]
    public void All_of_names_the_alternatives_that_are_missing(string reply, bool negated, Outcome outcome, string reason)
    {
        var grade = SampleRunner.Alternatives(Alternatives(EvalCheck.ContainAll, negated, "Canberra", "1913"), reply, "");
        Assert.Equal(outcome, grade.Outcome);
        Assert.Equal(reason, grade.Reason);
    }

    [Fact]
    public void A_row_without_alternatives_fails_any_of_and_passes_all_of()
    {
        Assert.Equal(Outcome.Fail, SampleRunner.Alternatives(Alternatives(EvalCheck.ContainAny, false), "x", "").Outcome);
        Assert.Equal(Outcome.Pass, SampleRunner.Alternatives(Alternatives(EvalCheck.ContainAll, false), "x", "").Outcome);
        Assert.Equal("This row lists no alternatives.", SampleRunner.Alternatives(Alternatives(EvalCheck.ContainAny, false), "x", "").Reason);
    }
}
