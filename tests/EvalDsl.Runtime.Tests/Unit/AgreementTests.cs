using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>Cohen's κ and its interval for a judge against labels.</summary>
public sealed class AgreementTests
{
    // Reference values from an independent k×k implementation of Cohen's κ and the Fleiss–Cohen–Everitt (1969)
    // large-sample variance (the one statsmodels' cohens_kappa reports as std_kappa), z = 1.959964; table rows are the
    // judge's answer (exhibits, does not), columns the label. The first is Wikipedia's worked example (κ = 0.4).
    [Theory]
    [InlineData(20, 5, 10, 15, 0.400000, 0.151092, 0.648908)]
    [InlineData(45, 15, 25, 15, 0.130435, -0.062938, 0.323808)]
    [InlineData(9, 1, 1, 9, 0.800000, 0.537043, 1.000000)]
    [InlineData(40, 0, 2, 8, 0.864865, 0.683048, 1.000000)]
    [InlineData(5, 5, 5, 5, 0.000000, -0.438261, 0.438261)]
    [InlineData(1, 9, 9, 1, -0.800000, -1.000000, -0.537043)]
    [InlineData(88, 14, 10, 40, 0.649500, 0.521948, 0.777053)]
    public void Kappa_and_its_interval_match_reference_values(int yy, int yn, int ny, int nn, double kappa, double lower, double upper)
    {
        var (k, l, u) = new Agreement(yy, yn, ny, nn).Kappa!.Value;
        Assert.Equal(kappa, k, 1e-6);
        Assert.Equal(lower, l, 1e-6);
        Assert.Equal(upper, u, 1e-6);
    }

    [Fact]
    public void Kappa_is_undefined_without_questions_or_when_both_give_one_same_answer()
    {
        Assert.Null(new Agreement(0, 0, 0, 0).Kappa);
        Assert.Null(new Agreement(12, 0, 0, 0).Kappa);
    }

    [Fact]
    public void A_judge_that_always_says_does_not_exhibit_agrees_at_the_base_rate_with_kappa_zero_and_lets_every_exhibit_pass()
    {
        var always = new Agreement(0, 0, 6, 6);
        Assert.Equal(0.5, always.Raw);
        Assert.Equal(0.5, always.BaseRate);
        Assert.Equal(0.5, always.ConstantBaseline);
        Assert.Equal(1.0, always.FalsePassRate);
        Assert.Equal(0.0, always.FalseFailRate);
        Assert.Equal(0.0, always.Kappa!.Value.Kappa, 10);
    }

    [Fact]
    public void Add_counts_each_question_in_its_cell()
    {
        var a = new Agreement(0, 0, 0, 0).Add(true, true).Add(true, false).Add(false, true).Add(false, true).Add(false, false);
        Assert.Equal(new Agreement(1, 1, 2, 1), a);
        Assert.Equal(2.0 / 3, a.FalsePassRate!.Value, 10);
        Assert.Equal(0.5, a.FalseFailRate);
    }
}
