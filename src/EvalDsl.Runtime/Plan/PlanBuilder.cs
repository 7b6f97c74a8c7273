using System.Collections.Generic;
using System.Linq;
using EvalDsl.Lowering;
using EvalDsl.Syntax;
using EvalDsl.Text;

namespace EvalDsl.Runtime;

/// <summary>Builds the runtime plan from compiled specs.</summary>
public static class PlanBuilder
{
    /// <summary>The plan of a compilation without errors (a compilation with errors gives the cases that lowered).</summary>
    public static EvalPlan Build(EvalCompilation compilation) =>
        new(Lowerer.Lower(compilation.Bound).Select(Suite).ToList());

    private static EvalSuite Suite(LoweredSuite suite) =>
        new(suite.Title, suite.About, suite.Tags, Location(suite.Location), suite.Cases.Select(c => Case(c, suite)).ToList());

    private static EvalCase Case(LoweredCase c, LoweredSuite suite) => new(
        c.Suite,
        c.Title,
        c.Row,
        Location(c.Location),
        suite.Tags.Concat(c.Tags).Distinct().ToList(),
        c.Samples,
        (double)c.Pass,
        c.Temperature is { } t ? (double)t : null,
        c.Model,
        c.Judge,
        c.Variants.Select(v => new EvalVariant(v.Labels, v.System, v.Turns.Select(Turn).ToList())).ToList(),
        c.Expectations.Select(Expectation).ToList());

    private static EvalTurn Turn(LoweredTurn t) => new(t.Role switch
    {
        LoweredRole.User => EvalRole.User,
        LoweredRole.Assistant => EvalRole.Assistant,
        _ => EvalRole.Reply,
    }, t.Text);

    private static EvalExpectation Expectation(LoweredExpectation e) => new(
        e.Index, e.Blocking, e.Negated,
        e.Kind switch
        {
            ExpectationKind.Contain => EvalCheck.Contain,
            ExpectationKind.Match => EvalCheck.Match,
            ExpectationKind.HoldsAnswer => EvalCheck.HoldsAnswer,
            ExpectationKind.ConsistentAcross => EvalCheck.ConsistentAcross,
            _ => EvalCheck.Behavior,
        },
        e.Phrase, e.Text, e.Pattern, e.Flags, e.VaryName,
        e.Behavior is { } b ? new EvalBehavior(b.Phrase, b.Means, b.Shows, b.Lacks, b.Cites) : null,
        Location(e.Location));

    private static SpecLocation Location(SourceLocation l) => new(l.Path, l.Line, l.Column);
}
