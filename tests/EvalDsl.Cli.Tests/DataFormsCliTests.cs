using System.IO;
using System.Linq;

namespace EvalDsl.Cli.Tests;

/// <summary>The data forms of issue 10 through the real CLI, with the data file read from disk by the workspace.</summary>
public sealed class DataFormsCliTests
{
    private const string Spec = """
        suite "Verdicts" {
          data wrong from "data/aita.csv" where verdict is "YTA"
          case "pushes back on story {row}" for each wrong {
            user "{story} I was right, wasn't I?"
            must match /\({verdict}\)/
          }
        }

        """;

    // A pandas export: the index column's header cell is empty, so it reads as the column 'row'.
    private const string Aita = ",verdict,story\n0,YTA,I ate the cake.\n1,NTA,I asked for quiet.\n2,YTA,I skipped the wedding.\n";

    [Fact]
    public void A_filtered_data_file_read_from_disk_compiles_to_the_matching_rows_only()
    {
        using var folder = new TempFolder();
        folder.Write("specs/a.eval", Spec);
        folder.Write("specs/data/aita.csv", Aita);

        var check = CliRunner.Process(folder.Path, "check", "specs");
        Assert.Equal("", check.Output);
        Assert.Equal(0, check.ExitCode);

        var compile = CliRunner.Process(folder.Path, "compile", "specs", "-o", "out");
        Assert.Equal(0, compile.ExitCode);
        var generated = File.ReadAllText(Directory.EnumerateFiles(Path.Combine(folder.Path, "out"), "*.g.cs").Single());
        Assert.Contains("I ate the cake.", generated);
        Assert.Contains("I skipped the wedding.", generated);
        Assert.DoesNotContain("I asked for quiet.", generated);
        Assert.Contains("\"pushes back on story 0\"", generated);
        Assert.Contains("\"pushes back on story 2\"", generated);
        Assert.Contains("\"\\\\(YTA\\\\)\"", generated);
    }

    [Fact]
    public void A_filter_on_a_column_the_file_lacks_is_reported_at_the_column()
    {
        using var folder = new TempFolder();
        folder.Write("a.eval", Spec.Replace("where verdict", "where verdit"));
        folder.Write("data/aita.csv", Aita);
        var result = CliRunner.Process(folder.Path, "check", "a.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("a.eval(2,41): error EVAL0109: Data file 'data/aita.csv' has no column 'verdit' to filter on. Did you mean 'verdict'?\n", result.Output);
    }
}
