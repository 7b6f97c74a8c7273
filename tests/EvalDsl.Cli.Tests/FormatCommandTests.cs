using System.IO;

namespace EvalDsl.Cli.Tests;

/// <summary><c>evaldsl fmt</c> as a user runs it: a real process in a folder of specs.</summary>
public sealed class FormatCommandTests
{
    private const string Messy = "suite   \"Launch\"{\n      case \"a\" {\n user   \"Hi\"\n      must not   flatter the user\n  }\n  case \"b\" {\n    user \"Hello\"\n    must mention risks\n  }\n}\n";

    private const string Formatted = "suite \"Launch\" {\n  case \"a\" {\n    user \"Hi\"\n    must not flatter the user\n  }\n\n  case \"b\" {\n    user \"Hello\"\n    must mention risks\n  }\n}\n";

    private const string Broken = "suite   \"Launch\" {\n  case \"a\" {\n    user \"Hi\"   \"again\"\n  }\n}\n";

    [Fact]
    public void Fmt_rewrites_the_files_that_change_prints_their_paths_and_exits_0()
    {
        using var folder = new TempFolder();
        folder.Write("specs/messy.eval", Messy);
        folder.Write("specs/tidy.eval", Formatted);
        var result = CliRunner.Process(folder.Path, "fmt", "specs");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("specs/messy.eval\n", result.Output);
        Assert.Equal("2 files checked: 1 formatted.\n", result.Error);
        Assert.Equal(Formatted, File.ReadAllText(Path.Combine(folder.Path, "specs", "messy.eval")));
        Assert.Equal(Formatted, File.ReadAllText(Path.Combine(folder.Path, "specs", "tidy.eval")));
        Assert.Equal(new[] { "messy.eval", "tidy.eval" }, Names(Path.Combine(folder.Path, "specs")));

        var again = CliRunner.Process(folder.Path, "fmt", "specs");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal("", again.Output);
        Assert.Equal("2 files checked: 0 formatted.\n", again.Error);
    }

    [Fact]
    public void Fmt_check_prints_the_files_that_would_change_writes_nothing_and_exits_1()
    {
        using var folder = new TempFolder();
        folder.Write("messy.eval", Messy);
        folder.Write("tidy.eval", Formatted);
        var result = CliRunner.Process(folder.Path, "fmt", "--check", "messy.eval", "tidy.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("messy.eval\n", result.Output);
        Assert.Equal("2 files checked: 1 not formatted; run evaldsl fmt to format it.\n", result.Error);
        Assert.Equal(Messy, File.ReadAllText(Path.Combine(folder.Path, "messy.eval")));
    }

    [Fact]
    public void Fmt_check_on_formatted_files_exits_0()
    {
        using var folder = new TempFolder();
        folder.Write("tidy.eval", Formatted);
        var result = CliRunner.Process(folder.Path, "fmt", "tidy.eval", "--check");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("1 file checked: all formatted.\n", result.Error);
    }

    [Fact]
    public void A_file_with_a_syntax_error_is_left_as_it_is_with_its_errors_and_exit_1()
    {
        using var folder = new TempFolder();
        folder.Write("broken.eval", Broken);
        folder.Write("messy.eval", Messy);
        var result = CliRunner.Process(folder.Path, "fmt", ".");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("./messy.eval\n", result.Output);
        Assert.Equal(
            "./broken.eval(3,17): error EVAL0001: Unexpected string \"again\"; expected the end of the line.\n" +
            "./broken.eval: not formatted: it has 1 syntax error; fix it first.\n" +
            "2 files checked: 1 formatted; 1 with syntax errors left as it was.\n", result.Error);
        Assert.Equal(Broken, File.ReadAllText(Path.Combine(folder.Path, "broken.eval")));
        Assert.Equal(Formatted, File.ReadAllText(Path.Combine(folder.Path, "messy.eval")));
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_left_as_it_is_and_exits_1()
    {
        using var folder = new TempFolder();
        var bytes = new byte[] { 0x73, 0x75, 0x69, 0x74, 0x65, 0x20, 0xFF, 0xFE, 0x0A };
        File.WriteAllBytes(Path.Combine(folder.Path, "bad.eval"), bytes);
        var result = CliRunner.Process(folder.Path, "fmt", "bad.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(
            "bad.eval(1,1): error EVAL0006: This is not a spec file: it is not valid UTF-8 text. Not formatted.\n" +
            "1 file checked: 0 formatted; 1 with syntax errors left as it was.\n", result.Error);
        Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(folder.Path, "bad.eval")));
    }

    [Fact]
    public void A_missing_path_is_a_usage_error_with_exit_2_and_nothing_is_written()
    {
        using var folder = new TempFolder();
        folder.Write("messy.eval", Messy);
        var result = CliRunner.Process(folder.Path, "fmt", "messy.eval", "nope.eval");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("evaldsl: error: 'nope.eval' does not exist.\n", result.Error);
        Assert.Equal(Messy, File.ReadAllText(Path.Combine(folder.Path, "messy.eval")));
    }

    [Fact]
    public void Fmt_without_a_path_is_a_usage_error_with_exit_2()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(folder.Path, "fmt");
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("evaldsl: error: Required argument missing for command: 'fmt'.\n", result.Error);
        Assert.Contains("--check", result.Error);
    }

    [Fact]
    public void Fmt_help_says_what_it_does_and_what_check_does()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(folder.Path, "fmt", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Format .eval specs (files or folders, recursively) in place", result.Output);
        Assert.Contains("a file with a syntax error is left as it is", result.Output);
        Assert.Contains("--check", result.Output);
        Assert.Contains("exit 1 when there is one (for CI)", result.Output);
    }

    [Fact]
    public void The_shipped_examples_are_formatted()
    {
        var result = CliRunner.Process(Repository.Root, "fmt", "--check", "examples");
        Assert.Equal("", result.Output);
        Assert.EndsWith("all formatted.\n", result.Error);
        Assert.Equal(0, result.ExitCode);
    }

    private static string[] Names(string folder)
    {
        var names = System.Array.ConvertAll(Directory.GetFiles(folder), f => Path.GetFileName(f)!);
        System.Array.Sort(names, System.StringComparer.Ordinal);
        return names;
    }
}
