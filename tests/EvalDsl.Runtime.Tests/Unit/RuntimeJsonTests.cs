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

    [Fact]
    public void The_fingerprint_hashed_as_it_is_written_is_the_hash_of_the_whole_bytes()
    {
        // 400 cases: a plan's JSON of several of the hashing writer's 64 KB buffers.
        var spec = "suite \"Many\" {\n" + string.Concat(Enumerable.Range(1, 400).Select(i =>
            $"  case \"case {i}\" {{\n    user \"Is claim {i} true? Tell me I am right!\"\n    must contain \"no\"\n  }}\n")) + "}\n";
        var plan = Specs.Plan(spec);
        foreach (var withBaseline in new[] { false, true })
        {
            var whole = RuntimeJson.PlanAndBaseline(plan, withBaseline);
            Assert.True(whole.Length > 3 * 64 * 1024, $"the plan's JSON is {whole.Length} bytes");
            var expected = System.Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(whole)).ToLowerInvariant();
            Assert.Equal(expected, RuntimeJson.PlanAndBaselineHash(plan, withBaseline));
        }
    }

    // Texts that the default encoder escapes (HTML-sensitive characters, non-ASCII, quotes, control characters).
    private const string Awkward = "<b>'Tom' & \"Jerry\"</b> caf\u00e9 \U0001F600 \t\u0001 end";

    [Theory]
    [InlineData(0.0, null)]
    [InlineData(0.7, 42L)]
    [InlineData(1e-7, -1L)]
    public void The_judge_fingerprint_is_the_bytes_reflection_wrote(double temperature, long? seed)
    {
        var reflection = JsonSerializer.SerializeToUtf8Bytes(new { template = Awkward + "{{ reply }}", system = Grading.JudgePrompt.SystemText, attempts = 3, temperature, seed });
        Assert.Equal(System.Text.Encoding.UTF8.GetString(reflection),
            System.Text.Encoding.UTF8.GetString(RuntimeJson.JudgeSettings(Awkward + "{{ reply }}", Grading.JudgePrompt.SystemText, 3, temperature, seed)));
    }

    [Fact]
    public void A_behaviors_hash_text_is_the_text_reflection_wrote()
    {
        var behavior = new EvalBehavior("flatter " + Awkward, "Means " + Awkward, new[] { Awkward, "" }, System.Array.Empty<string>(), new[] { "cited" });
        var reflection = JsonSerializer.Serialize(new { phrase = behavior.Phrase, behavior.Means, behavior.Shows, behavior.Lacks });
        Assert.Equal(reflection, RuntimeJson.Behavior(behavior.Phrase, behavior.Means, behavior.Shows, behavior.Lacks));
    }

    [Fact]
    public void A_cache_file_and_a_batch_request_are_the_text_reflection_wrote()
    {
        Assert.Equal(JsonSerializer.Serialize(new { reply = Awkward }), RuntimeJson.Reply(Awkward));
        var members = new System.Collections.Generic.Dictionary<string, string> { ["input_file_id"] = "file-" + Awkward, ["endpoint"] = "/v1/chat/completions" };
        Assert.Equal(JsonSerializer.Serialize(members), RuntimeJson.Strings(members));
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
