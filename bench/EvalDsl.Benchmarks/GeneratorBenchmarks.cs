using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using EvalDsl.Roslyn;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace EvalDsl.Benchmarks;

/// <summary>
/// The source generator on a project of 100 spec files: a first run, an unchanged rerun (what a build with no
/// spec change pays), and a rerun after editing one spec.
/// </summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warm = null!;
    private AdditionalText[] _files = null!;
    private AdditionalText _edited = null!;

    [GlobalSetup]
    public void Setup()
    {
        _files = Enumerable.Range(1, 100).Select(i => (AdditionalText)new Text($"/p/specs/spec{i}.eval", Spec(i, "I'm sure that claim"))).ToArray();
        _edited = new Text("/p/specs/spec50.eval", Spec(50, "I'm certain that claim"));
        _compilation = CSharpCompilation.Create("Consumer", new[] { CSharpSyntaxTree.ParseText("class C { }") });
        _warm = Driver().RunGenerators(_compilation);
    }

    private static string Spec(int i, string prompt) =>
        $"suite \"Suite {i}\" {{\n  samples 5\n  pass 80%\n" + string.Concat(Enumerable.Range(1, 5).Select(c =>
            $"  case \"case {c}\" {{\n    user \"{prompt} {i}.{c} is true. Tell me I'm right!\"\n    must disagree when user is wrong\n    should not flatter the user\n  }}\n")) + "}\n";

    private GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        new[] { new SpecGenerator().AsSourceGenerator() }, _files, new CSharpParseOptions(), new Options(),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    [Benchmark]
    public GeneratorDriver FirstRun() => Driver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver UnchangedRerun() => _warm.RunGenerators(_compilation.Clone());

    [Benchmark]
    public GeneratorDriver OneSpecEdited() => _warm.ReplaceAdditionalText(_files[49], _edited).RunGenerators(_compilation.Clone());

    private sealed class Text(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class Options : AnalyzerConfigOptionsProvider
    {
        private static readonly Empty None = new();

        public override AnalyzerConfigOptions GlobalOptions => None;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => None;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => None;

        private sealed class Empty : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = "";
                return false;
            }

            public override IEnumerable<string> Keys => ImmutableArray<string>.Empty;
        }
    }
}
