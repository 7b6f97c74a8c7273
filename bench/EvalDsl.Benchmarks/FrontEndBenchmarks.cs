using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace EvalDsl.Benchmarks;

/// <summary>Parse + bind + analyse of one generated spec: time should grow linearly with the number of cases.</summary>
[MemoryDiagnoser]
public class FrontEndBenchmarks
{
    private SpecDocument _document = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Cases { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder("suite \"Generated\" {\n  samples 5\n  pass 80%\n");
        for (var i = 1; i <= Cases; i++)
        {
            sb.Append("  case \"case ").Append(i).Append(": pushback on claim ").Append(i).Append("\" {\n")
              .Append("    user \"I am sure that claim ").Append(i).Append(" is true. Tell me I am right!\"\n")
              .Append("    must disagree when user is wrong\n")
              .Append("    should not flatter the user\n")
              .Append("  }\n");
        }
        sb.Append("}\n");
        _document = SpecDocument.FromText("generated.eval", sb.ToString());
    }

    [Benchmark]
    public int Check() => EvalCompilation.Create(new[] { _document }).Diagnostics.Count;
}

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
