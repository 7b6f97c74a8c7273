using System.IO;
using System.Linq;

namespace EvalDsl.Cli.Tests;

public sealed class CompileCommandTests
{
    [Fact]
    public void Writes_one_class_per_suite_and_a_project()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(Repository.Root, "compile", "examples", "-o", Path.Combine(folder.Path, "out"), "--project", "--namespace", "Contoso.Evals");
        Assert.True(result.ExitCode == 0, result.Error);
        var files = Directory.EnumerateFiles(Path.Combine(folder.Path, "out")).Select(Path.GetFileName).OrderBy(f => f).ToList();
        Assert.Equal(new[] { "ELEPHANTAITAChengEtAl2025.g.cs", "ELEPHANTOpenEndedQuestionsChengEtAl2025.g.cs", "EmotionalRelianceAndMentalHealth.g.cs", "EvalDsl.Specs.csproj", "FactualPushback.g.cs", "FeedbackFraming.g.cs", "PoliticalTypologyPerezEtAl2022.g.cs", "SharmaEtAl2023AreYouSure.g.cs", "SharmaEtAl2023FeedbackSycophancy.g.cs", "SharmaEtAl2023SuggestedAnswers.g.cs", "SYCONBenchDebateHongEtAl2025.g.cs", "SYCONBenchFalsePresuppositionsHongEtAl2025.g.cs", "Sycophancy.g.cs" }, files);
        Assert.Contains("namespace Contoso.Evals\n", File.ReadAllText(Path.Combine(folder.Path, "out", "Sycophancy.g.cs")));
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(folder.Path, "out", "EvalDsl.Specs.csproj"));
        Assert.Contains(project.Descendants("PackageReference"), r => (string?)r.Attribute("Include") == "EvalDsl.Runtime");
        Assert.EndsWith("Wrote 12 test classes to " + Path.Combine(folder.Path, "out") + ".\n", result.Error);
    }

    [Fact]
    public void The_written_project_references_the_test_packages_at_the_repository_versions()
    {
        // The product cannot read Directory.Packages.props on a user's machine, so it keeps its own copy: this keeps it equal.
        using var folder = new TempFolder();
        folder.Write("specs/good.eval", "suite \"Good\" {\n  case \"c\" {\n    user \"Hi\"\n    must not flatter the user\n  }\n}\n");
        var result = CliRunner.InProcess("compile", Path.Combine(folder.Path, "specs"), "-o", Path.Combine(folder.Path, "out"), "--project");
        Assert.True(result.ExitCode == 0, result.Error);
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(folder.Path, "out", "EvalDsl.Specs.csproj"));
        var references = project.Descendants("PackageReference")
            .Select(r => ((string)r.Attribute("Include")!, (string)r.Attribute("Version")!))
            .Where(r => r.Item1 != "EvalDsl.Runtime")
            .ToList();
        Assert.Equal(ConsumerProjectFile.TestPackages.Select(id => (id, ConsumerProjectFile.VersionOf(id))), references);
    }

    [Fact]
    public void A_suite_with_errors_is_reported_and_not_written_while_the_others_are()
    {
        using var folder = new TempFolder();
        folder.Write("good.eval", "suite \"Good\" {\n  case \"c\" {\n    user \"Hi\"\n    must not flatter the user\n  }\n}\n");
        folder.Write("bad.eval", "suite \"Bad\" {\n  case \"c\" {\n    user \"Hi\"\n    must not flatter teh user\n  }\n}\n");
        var result = CliRunner.Process(folder.Path, "compile", ".", "-o", "out");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("./bad.eval(4,14): error EVAL0101: Unknown behavior 'flatter teh user'. Did you mean 'flatter the user'?\n", result.Output);
        Assert.Equal("2 files checked: 1 error, 0 warnings, 0 info. Wrote 1 test class to out; not written because of errors: 'Bad'.\n", result.Error);
        Assert.Equal(new[] { "Good.g.cs" }, Directory.EnumerateFiles(Path.Combine(folder.Path, "out")).Select(Path.GetFileName));
    }

    [Fact]
    public void Output_is_required()
    {
        var result = CliRunner.InProcess("compile", "examples");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--output", result.Error);
    }
    [Fact]
    public void Line_directives_name_the_spec_relative_to_the_generated_file_and_keyword_namespaces_are_escaped()
    {
        using var folder = new TempFolder();
        folder.Write("specs/good.eval", "suite \"Good\" {\n  case \"c\" {\n    user \"Hi\"\n    must not flatter the user\n  }\n}\n");
        var result = CliRunner.Process(folder.Path, "compile", "specs", "-o", "out/gen", "--namespace", "My.int.Specs");
        Assert.True(result.ExitCode == 0, result.Error);
        var generated = Path.Combine(folder.Path, "out", "gen", "Good.g.cs");
        var text = File.ReadAllText(generated);
        Assert.Contains("namespace My.@int.Specs\n", text);
        var line = text.Split('\n').Single(l => l.StartsWith("#line 2 ", System.StringComparison.Ordinal));
        Assert.Equal("#line 2 \"../../specs/good.eval\"", line);
        var named = line.Substring("#line 2 \"".Length).TrimEnd('"');
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(generated)!, named)), line);
    }

    [Fact]
    public void Long_non_ascii_suite_titles_get_short_unique_file_names()
    {
        using var folder = new TempFolder();
        var title = string.Concat(Enumerable.Repeat("Überprüfung der Antwortqualität ", 12));
        folder.Write("a.eval", $"suite \"{title}A\" {{\n  case \"c\" {{\n    user \"Hi\"\n    must not flatter the user\n  }}\n}}\n");
        folder.Write("b.eval", $"suite \"{title}B\" {{\n  case \"c\" {{\n    user \"Hi\"\n    must not flatter the user\n  }}\n}}\n");
        var result = CliRunner.Process(folder.Path, "compile", ".", "-o", "out");
        Assert.True(result.ExitCode == 0, result.Error);
        var names = Directory.EnumerateFiles(Path.Combine(folder.Path, "out")).Select(Path.GetFileName).ToList();
        Assert.Equal(2, names.Count);
        Assert.All(names, n => Assert.True(System.Text.Encoding.UTF8.GetByteCount(n!) <= 130, n));
    }
}
