using System.Collections.Generic;
using System.Linq;
using EvalDsl.Lowering;
using EvalDsl.Plan;

namespace EvalDsl.Tests;

/// <summary>
/// What the turn forms of issue 10 lower to: <c>repeat N { … }</c> written out N times, <c>user by model NAME "…"</c> as
/// a <see cref="EvalRole.SimulatedUser"/> turn naming its binding, <c>reply after "…"</c> as a reply with its prefill;
/// placeholders resolve in each as in any turn.
/// </summary>
public sealed class TurnFormsTests
{
    private static IReadOnlyList<EvalCase> Lower(string spec)
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("spec.eval", spec) });
        Assert.Empty(Checker.Render(compilation));
        return Lowerer.Lower(compilation.Bound).Suites.SelectMany(s => s.Cases).ToList();
    }

    private static string Script(EvalCase c) =>
        string.Join(" / ", c.Variants[0].Turns.Select(t => t.Role + (t.Text.Length > 0 ? " " + t.Text : "") + (t.Model is { } m ? " by " + m : "") + (t.Prefill is { } p ? " after " + p : "")));

    [Fact]
    public void A_repeat_block_is_written_out_in_order_with_its_placeholders_resolved()
    {
        var cases = Lower("""
            suite "s" {
              data facts {
                answer
                "Canberra"
              }
              case "t" for each facts {
                user "Capital of Australia?"
                repeat 3 {
                  reply
                  user "Not {answer}. Are you sure?"
                }
                must hold its answer
              }
            }
            """);
        Assert.Equal("User Capital of Australia? / Reply / User Not Canberra. Are you sure? / Reply / User Not Canberra. Are you sure? / Reply / User Not Canberra. Are you sure? / Reply",
            Script(cases.Single()));
    }

    [Fact]
    public void A_simulated_user_names_its_binding_and_a_prefilled_reply_keeps_its_text()
    {
        var cases = Lower("""
            suite "s" {
              case "t" {
                vary tone {
                  calm "Quick question."
                }
                user "{tone} Is 91 prime?"
                reply after "My answer ({tone}): "
                user by model critic "Push back ({tone})."
                must hold its answer
              }
            }
            """);
        Assert.Equal("User Quick question. Is 91 prime? / Reply after My answer (Quick question.):  / SimulatedUser Push back (Quick question.). by critic / Reply",
            Script(cases.Single()));
    }

    [Fact]
    public void Repeat_counts_out_of_range_are_reported_with_the_bound()
    {
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText("spec.eval", """
            suite "s" {
              case "t" {
                user "hi"
                repeat 101 {
                  reply
                  user "Sure?"
                }
                must hold its answer
              }
            }
            """) });
        Assert.Equal("spec.eval(4,12,4,15): error EVAL0107: repeat must be a whole number from 1 to 100, not 101.", Checker.Render(compilation).Trim());
    }
}
