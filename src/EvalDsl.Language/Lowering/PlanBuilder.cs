using EvalDsl.Plan;

namespace EvalDsl.Lowering;

/// <summary>Builds the plan the runtime executes from compiled specs.</summary>
public static class PlanBuilder
{
    /// <summary>The plan of a compilation without errors (a compilation with errors gives the cases that lowered).</summary>
    public static EvalPlan Build(EvalCompilation compilation) => Lowerer.Lower(compilation.Bound);
}
