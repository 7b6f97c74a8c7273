using System;
using EvalDsl.Plan;

namespace EvalDsl.Lowering;

/// <summary>Builds the plan the runtime executes from compiled specs.</summary>
public static class PlanBuilder
{
    /// <summary>The plan of a compilation without errors (a compilation with errors gives the cases that lowered).</summary>
    public static EvalPlan Build(EvalCompilation compilation) => Lowerer.Lower(NotNull(compilation).Bound);

    /// <summary>
    /// The plan, as <see cref="Build(EvalCompilation)"/> gives it, built while letting go of each case's syntax and bound
    /// model once the case is lowered, so that a large spec's compilation and its plan are never in memory whole at
    /// the same time. The compilation can no longer be used afterwards: its <see cref="EvalCompilation.Diagnostics"/>
    /// remain, anything else throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static EvalPlan BuildReleasing(EvalCompilation compilation)
    {
        var bound = NotNull(compilation).Bound;
        compilation.IsReleased = true;
        return Lowerer.Lower(bound, release: true);
    }

    private static EvalCompilation NotNull(EvalCompilation compilation) => compilation ?? throw new ArgumentNullException(nameof(compilation));
}
