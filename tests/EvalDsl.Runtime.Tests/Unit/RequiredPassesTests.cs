using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using EvalDsl.Runtime.Statistics;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>
/// The threshold rule (EVAL0202) and the runtime's statistics decide with one formula: the number of passes they
/// require agrees for every pass rate and sample count, and matches an integer oracle written independently.
/// </summary>
public sealed class RequiredPassesTests
{
    [Fact]
    public void Every_pass_rate_to_a_tenth_and_every_sample_count_to_1000_needs_the_passes_an_integer_oracle_gives_and_the_statistics_decide_there()
    {
        var disagreements = 0;
        string? first = null;
        for (var tenths = 0; tenths <= 1000; tenths++)
        {
            var pass = tenths / 10m;
            for (var n = 1; n <= 1000; n++)
            {
                // k passes of n hold exactly when k/n ≥ pass/100, i.e. 1000·k ≥ tenths·n: the least such k.
                var oracle = (tenths * n + 999) / 1000;
                var k = EvalCase.RequiredPasses(pass, n);
                var holdsAtK = Stats.Decide(k, n - k, 0, pass) == ExpectationStatus.Holds;
                var failsBelow = k == 0 || Stats.Decide(k - 1, n - k + 1, 0, pass) == ExpectationStatus.Fails;
                if (k != oracle || !holdsAtK || !failsBelow)
                {
                    disagreements++;
                    first ??= $"pass {pass}% with {n} samples: formula {k}, oracle {oracle}, holds at k {holdsAtK}, fails below {failsBelow}";
                }
            }
        }
        Assert.True(disagreements == 0, $"{disagreements} disagreements; the first: {first}");
    }

    [Theory]
    [InlineData("66.7%", 3)]
    [InlineData("80%", 3)]
    [InlineData("90%", 7)]
    [InlineData("51%", 3)]
    [InlineData("33.3%", 1)]
    [InlineData("1%", 10)]
    [InlineData("90.1%", 10)]
    [InlineData("0.1%", 19)]
    public void The_threshold_rule_names_the_passes_the_statistics_require(string pass, int samples)
    {
        var text = $"suite \"S\" {{\n  samples {samples}\n  pass {pass}\n  case \"c\" {{\n    user \"Hi\"\n    must contain \"x\"\n  }}\n}}\n";
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("t.eval", text) });
        var message = Assert.Single(compilation.Diagnostics, d => d.Id == "EVAL0202").Message;
        var match = Regex.Match(message, @"really requires (\d+) of (\d+)");
        Assert.True(match.Success, message);
        var k = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var rate = decimal.Parse(pass.TrimEnd('%'), CultureInfo.InvariantCulture);
        Assert.Equal(EvalCase.RequiredPasses(rate, samples), k);
        Assert.Equal(ExpectationStatus.Holds, Stats.Decide(k, samples - k, 0, rate));
        Assert.Equal(ExpectationStatus.Fails, Stats.Decide(k - 1, samples - k + 1, 0, rate));
    }
}
