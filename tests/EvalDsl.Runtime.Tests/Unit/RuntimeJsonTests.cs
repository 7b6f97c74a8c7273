using System.IO;
using System.Linq;
using System.Text.Json;
using EvalDsl.Runtime.Tests.Integration;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Unit;

/// <summary>The compile-time JSON metadata changes no byte of what reflection wrote.</summary>
public sealed class RuntimeJsonTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Repository.PathOf("examples"), "*.eval").OrderBy(f => f, System.StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_fingerprint_of_a_shipped_example_is_the_bytes_reflection_wrote(string example)
    {
        var path = Repository.PathOf("examples", example);
        var compilation = EvalCompilation.Create(new[] { SpecDocument.FromText(path, File.ReadAllText(path)) }, new EvalCompilationOptions { DataFiles = new ExampleData() });
        Assert.False(compilation.HasErrors, string.Join("\n", compilation.Diagnostics));
        var plan = EvalDsl.Lowering.PlanBuilder.Build(compilation);
        Assert.NotEmpty(plan.Cases);
        foreach (var withBaseline in new[] { false, true })
        {
            var reflection = JsonSerializer.SerializeToUtf8Bytes(new { plan, withBaseline });
            Assert.Equal(System.Text.Encoding.UTF8.GetString(reflection), System.Text.Encoding.UTF8.GetString(RuntimeJson.PlanAndBaseline(plan, withBaseline)));
        }
    }

    [Fact]
    public void The_fingerprint_of_every_form_of_the_gate_spec_is_the_bytes_reflection_wrote()
    {
        var plan = Specs.Plan(Specs.Gate);
        var reflection = JsonSerializer.SerializeToUtf8Bytes(new { plan, withBaseline = true });
        Assert.Equal(System.Text.Encoding.UTF8.GetString(reflection), System.Text.Encoding.UTF8.GetString(RuntimeJson.PlanAndBaseline(plan, true)));
    }

    /// <summary>The examples' data files, read beside the spec.</summary>
    private sealed class ExampleData : IDataFileProvider
    {
        public string? Read(string specPath, string relativePath, out string? problem)
        {
            problem = null;
            return File.ReadAllText(Path.Combine(Path.GetDirectoryName(specPath)!, relativePath));
        }
    }
}
