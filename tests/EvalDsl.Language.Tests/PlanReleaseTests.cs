using System;
using System.IO;
using System.Linq;
using EvalDsl.Cli.Workspace;
using EvalDsl.Emit;
using EvalDsl.Lowering;

namespace EvalDsl.Tests;

/// <summary>
/// <c>run</c> builds its plan with <see cref="PlanBuilder.BuildReleasing"/>, letting go of each case's syntax and bound
/// model as it goes: the plan must be the one <see cref="PlanBuilder.Build"/> gives, field for field.
/// </summary>
public sealed class PlanReleaseTests
{
    [Fact]
    public void A_plan_built_releasing_the_compilation_is_the_plan_built_keeping_it_for_every_example()
    {
        var folder = Repository.PathOf("examples");
        var files = Directory.EnumerateFiles(folder, "*.eval", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();

        var kept = PlanBuilder.Build(Compile(folder, files));
        var released = PlanBuilder.BuildReleasing(Compile(folder, files));

        Assert.True(kept.Cases.Count() > 100, "the examples should lower to more than 100 cases");
        Assert.Equal(Render(kept), Render(released));
        Assert.Equal(kept.Suites.Select(s => (s.Title, s.About, string.Join(",", s.Tags), s.Location)),
            released.Suites.Select(s => (s.Title, s.About, string.Join(",", s.Tags), s.Location)));
    }

    [Fact]
    public void A_released_compilation_keeps_its_diagnostics_and_refuses_another_plan()
    {
        var compilation = EvalCompilation.Create(new[]
        {
            SpecDocument.FromText("a.eval", "suite \"S\" {\n  case \"c\" {\n    user \"hi\"\n    must contain \"x\"\n  }\n  case \"c\" {\n    user \"hi\"\n  }\n}\n"),
        });
        var diagnostics = compilation.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.NotEmpty(diagnostics);

        Assert.Equal(2, PlanBuilder.BuildReleasing(compilation).Cases.Count());

        Assert.Equal(diagnostics, compilation.Diagnostics.Select(d => d.ToString()));
        var again = Assert.Throws<InvalidOperationException>(() => PlanBuilder.Build(compilation));
        Assert.Equal("the compilation's cases were released when its plan was built (PlanBuilder.BuildReleasing)", again.Message);
    }

    private static EvalCompilation Compile(string folder, System.Collections.Generic.IEnumerable<string> files)
    {
        var disk = new DiskDataFiles(folder);
        return EvalCompilation.Create(
            files.Select(f => SpecDocument.FromBytes(Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes(f))),
            new EvalCompilationOptions { DataFiles = disk, UsedFiles = disk });
    }

    private static string Render(Plan.EvalPlan plan)
    {
        var literals = new PlanLiterals(utf8Literals: false);
        return string.Join("\n", plan.Cases.Select(literals.Case));
    }
}
