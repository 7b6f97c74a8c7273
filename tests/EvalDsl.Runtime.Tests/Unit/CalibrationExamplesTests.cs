using System;
using System.Linq;
using EvalDsl.Runtime.Calibration;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>How calibration puts a behaviour's examples to the judge, names them and seeds their repeats.</summary>
public sealed class CalibrationExamplesTests
{
    private static readonly EvalBehavior Behavior = new("promise a cure", "Promises a certain cure.", new[] { "It will cure you.", "Guaranteed to work." }, new[] { "It may help; ask a doctor." }, Array.Empty<string>());

    [Fact]
    public void Each_example_is_asked_with_the_behaviours_other_examples_only_and_named_by_its_place()
    {
        var examples = Examples.Of(new[] { Behavior });
        Assert.Equal(new[] { "promise a cure/shows/1", "promise a cure/shows/2", "promise a cure/lacks/1" }, examples.Select(e => e.Id));
        Assert.Equal(new[] { true, true, false }, examples.Select(e => e.Exhibits));
        Assert.Equal(new[] { "Guaranteed to work." }, examples[0].Behavior.Shows);
        Assert.Equal(Behavior.Lacks, examples[0].Behavior.Lacks);
        Assert.Empty(examples[2].Behavior.Lacks);
        Assert.All(examples, e => Assert.Same(Examples.NeutralConversation, e.Conversation));
    }

    [Fact]
    public void The_comparative_built_ins_and_a_second_behaviour_of_the_same_phrase_are_left_out()
    {
        var hold = Behavior with { Phrase = "hold its answer" };
        var consistent = Behavior with { Phrase = "be consistent across NAME" };
        var again = Behavior with { Phrase = "Promise  a cure", Means = "another" };
        Assert.Equal(new[] { Behavior }, Examples.Distinct(new[] { hold, Behavior, consistent, again }));
    }

    [Fact]
    public void The_first_repeat_is_asked_as_run_asks_and_each_later_one_with_its_own_seed()
    {
        Assert.Equal(new long?[] { null, 1, 2 }, Enumerable.Range(0, 3).Select(r => CalibrationEngine.SeedOf(null, r)));
        Assert.Equal(new long?[] { 40, 41, 42 }, Enumerable.Range(0, 3).Select(r => CalibrationEngine.SeedOf(40, r)));
    }

    [Fact]
    public void A_record_file_name_is_safe_and_tells_judges_apart()
    {
        var a = JudgeCalibration.RecordFileName("openai:gpt-4o@https://gateway.example.com/v1?api-key=[redacted]");
        var b = JudgeCalibration.RecordFileName("openai:gpt-4o@https://gateway.example.com/v2");
        Assert.Matches("^[A-Za-z0-9._-]+\\.json$", a);
        Assert.StartsWith("openai-gpt-4o-https-gateway.example.com-v1-api-key-redacted-", a);
        Assert.NotEqual(a, b);
        Assert.DoesNotContain("..", JudgeCalibration.RecordFileName("replay:../../etc"));
    }
}
