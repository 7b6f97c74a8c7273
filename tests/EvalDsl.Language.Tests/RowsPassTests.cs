using System.Collections.Generic;
using System.Linq;
using EvalDsl.Lowering;
using EvalDsl.Plan;

namespace EvalDsl.Tests;

/// <summary><c>pass N% of rows</c> reaches the plan on the rows of a <c>for each</c> case, beside the samples' <c>pass</c>.</summary>
public sealed class RowsPassTests
{
    private static IReadOnlyList<EvalCase> Cases(string spec, out string diagnostics)
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("spec.eval", spec) });
        diagnostics = Checker.Render(compilation);
        return Lowerer.Lower(compilation.Bound).Suites.SelectMany(s => s.Cases).ToList();
    }

    [Fact]
    public void A_case_setting_overrides_the_suite_and_keeps_the_samples_threshold()
    {
        var cases = Cases("""
            suite "s" {
              samples 5
              pass 60%
              pass 90% of rows
              data d {
                x
                "a"
                "b"
              }
              case "own {x}" for each d {
                pass 80% of rows
                user "{x}"
                must contain "{x}"
              }
              case "suite's {x}" for each d {
                user "{x}"
                must contain "{x}"
              }
              case "plain" {
                user "hi"
                must contain "hi"
              }
            }
            """, out var diagnostics);
        Assert.Equal("", diagnostics);
        Assert.Equal(new decimal?[] { 80m, 80m, 90m, 90m, null }, cases.Select(c => c.RowsPass));
        Assert.All(cases, c => Assert.Equal(60m, c.Pass));
    }

    [Fact]
    public void Without_of_rows_rows_keep_their_own_verdict()
    {
        var cases = Cases("""
            suite "s" {
              data d {
                x
                "a"
              }
              case "t {x}" for each d {
                samples 5
                pass 80%
                user "{x}"
                must contain "{x}"
              }
            }
            """, out var diagnostics);
        Assert.Equal("", diagnostics);
        Assert.Null(Assert.Single(cases).RowsPass);
    }
}
