using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EvalDsl.Cli.Tests;

/// <summary>check on files that would leak, hang or exhaust: a real evaldsl process in a folder of such files.</summary>
public sealed class HostileFilesTests
{
    private static string Spec(string dataPath) => $$"""
        suite "S" {
          data rows from "{{dataPath}}"
          case "c {h}" for each rows {
            user "hi {h}"
            must contain "a"
          }
        }

        """;

    private static void MakeFifo(string path) => CliRunner.Tool("mkfifo", path);

    [Fact]
    public void A_link_to_the_environment_is_refused_and_never_quoted()
    {
        using var folder = new TempFolder();
        folder.Write("a.eval", Spec("x.csv"));
        File.CreateSymbolicLink(Path.Combine(folder.Path, "x.csv"), "/proc/self/environ");
        var secret = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-test-0123456789abcdef" };
        var result = CliRunner.Process(folder.Path, secret, "check", "a.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("a.eval(2,18): error EVAL0109: Cannot read data file 'x.csv': it is a symbolic link to a file under /proc (a system folder), which never holds data.\n", result.Output);
        // No flag and no dataRoots entry opens the kernel's files.
        var allowed = CliRunner.Process(folder.Path, secret, "check", "a.eval", "--allow-data-outside");
        Assert.Equal(result.Output, allowed.Output);
    }

    [Fact]
    public void Allowed_outside_the_environment_is_quoted_short_and_masked()
    {
        using var folder = new TempFolder();
        folder.Write("a.eval", Spec("x.csv"));
        // A file outside the spec's folder that reads like an environment dump (what /proc/self/environ holds).
        using var elsewhere = new TempFolder();
        var outside = elsewhere.Write("environ", "PATH=/usr/bin\0OPENAI_API_KEY=sk-test-0123456789abcdef\0HOME=/root\0SHELL=/bin/bash\0LANG=C.UTF-8\0USER=root\0");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "x.csv"), outside);
        var result = CliRunner.Process(folder.Path, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-test-0123456789abcdef" }, "check", "a.eval", "--allow-data-outside");
        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("sk-test", result.Output);
        Assert.DoesNotContain("0123456789abcdef", result.Output);
        var message = result.Output.Split('\n')[0];
        Assert.StartsWith("a.eval(2,18): error EVAL0109: Data file 'x.csv' cannot be used: the column '", message);
        const string before = "the column '", after = "' is not a name";
        Assert.EndsWith(after + " (a letter, then letters, digits, - or _), so no placeholder can use it.", message);
        var start = message.IndexOf(before, System.StringComparison.Ordinal) + before.Length;
        var quoted = message.Substring(start, message.LastIndexOf(after, System.StringComparison.Ordinal) - start);
        Assert.True(quoted.Length <= 41, quoted);
        Assert.EndsWith("…", quoted);
    }

    [Fact]
    public void A_data_file_outside_the_folder_is_refused_unless_a_data_root_allows_it()
    {
        using var folder = new TempFolder();
        folder.Write("project/specs/a.eval", Spec("../../shared/rows.csv"));
        folder.Write("shared/rows.csv", "h\nx\n");
        var refused = CliRunner.Process(folder.Path, "check", "project/specs/a.eval");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("project/specs/a.eval(2,18): error EVAL0109: Cannot read data file '../../shared/rows.csv': it is outside the folder of the spec; allow it with --allow-data-outside or name its folder in \"dataRoots\" in evaldsl.json.\n", refused.Output);

        folder.Write("project/evaldsl.json", """{ "models": {}, "dataRoots": ["../shared"] }""");
        var allowed = CliRunner.Process(folder.Path, "check", "project/specs/a.eval");
        Assert.Equal("", allowed.Output);
        Assert.Equal(0, allowed.ExitCode);
    }

    [Fact]
    public void The_data_size_limit_is_configurable()
    {
        using var folder = new TempFolder();
        folder.Write("a.eval", Spec("rows.csv"));
        folder.Write("rows.csv", "h\n" + string.Concat(Enumerable.Repeat("a row of text\n", 100)));
        folder.Write("evaldsl.json", """{ "maxDataFileBytes": 1024 }""");
        var result = CliRunner.Process(folder.Path, "check", "a.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("a.eval(2,18): error EVAL0109: Cannot read data file 'rows.csv': it is larger than 1 KB, the limit for a data file (set \"maxDataFileBytes\" in evaldsl.json).\n", result.Output);
    }

    [Fact]
    public void Devices_and_fifos_as_data_are_refused_without_reading()
    {
        using var folder = new TempFolder();
        folder.Write("zero.eval", Spec("/dev/zero").Replace("suite \"S\"", "suite \"Z\""));
        folder.Write("fifo.eval", Spec("pipe.csv"));
        MakeFifo(Path.Combine(folder.Path, "pipe.csv"));
        var result = CliRunner.Process(folder.Path, "check", "zero.eval", "fifo.eval", "--allow-data-outside");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "fifo.eval(2,18): error EVAL0109: Cannot read data file 'pipe.csv': it is a FIFO (named pipe), not a regular file.\n" +
            "zero.eval(2,18): error EVAL0109: Cannot read data file '/dev/zero': it is a character device, not a regular file.\n",
            result.Output);
    }

    [Fact]
    public void A_fifo_spec_is_one_line_and_exit_2()
    {
        using var folder = new TempFolder();
        MakeFifo(Path.Combine(folder.Path, "x.eval"));
        var result = CliRunner.Process(folder.Path, "check", ".");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("evaldsl: error: cannot read './x.eval': it is a FIFO (named pipe), not a regular file.\n", result.Error);
    }

    [Fact]
    public void A_spec_over_the_size_limit_is_one_line_and_exit_2()
    {
        using var folder = new TempFolder();
        using (var stream = File.Create(Path.Combine(folder.Path, "big.eval"))) stream.SetLength(16L * 1024 * 1024 + 1);
        var result = CliRunner.Process(folder.Path, "check", "big.eval");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("evaldsl: error: cannot read 'big.eval': it is larger than 16 MB, the limit for a spec file.\n", result.Error);
    }

    [Fact]
    public void A_folder_link_loop_is_not_followed()
    {
        using var folder = new TempFolder();
        folder.Write("specs/sub/a.eval", "suite \"S\" {\n  case \"c\" {\n    user \"hi\"\n    must contain \"a\"\n  }\n}\n");
        Directory.CreateSymbolicLink(Path.Combine(folder.Path, "specs", "sub", "loop"), "..");
        var result = CliRunner.Process(folder.Path, "check", "specs");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 file checked: 0 errors, 0 warnings, 0 info.\n", result.Error);
    }

    [Fact]
    public void A_backslash_in_a_file_name_is_part_of_the_name()
    {
        using var folder = new TempFolder();
        folder.Write("specs/back\\slash.eval", "suite \"S\" {\n  case \"c\" {\n    user \"hi\"\n  }\n  case \"d\" {\n    user \"hi\"\n    must contain \"a\"\n  }\n}\n");
        var result = CliRunner.Process(folder.Path, "check", "specs");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("specs/back\\slash.eval(2,8): warning EVAL0106: Case 'c' has no expectations, so it checks nothing; add a must or should line.\n", result.Output);
    }

    [Fact]
    public void Long_unknown_phrases_get_no_suggestion()
    {
        using var folder = new TempFolder();
        var phrase = string.Join(" ", Enumerable.Repeat("flatter", 2_500));
        var cases = string.Concat(Enumerable.Range(0, 5).Select(i => $"  case \"c{i}\" {{\n    user \"hi\"\n    must not {phrase}\n  }}\n"));
        folder.Write("long.eval", "suite \"S\" {\n" + cases + "}\n");
        var result = CliRunner.Process(folder.Path, "check", "long.eval");
        Assert.Equal(1, result.ExitCode);
        var lines = result.Output.Split('\n', System.StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.All(lines, l => Assert.DoesNotContain("Did you mean", l));
    }

    [Fact]
    public void Eight_varies_of_ten_labels_are_EVAL0112_and_compile_writes_nothing_for_them()
    {
        using var folder = new TempFolder();
        var labels = string.Concat(Enumerable.Range(0, 10).Select(i => $"      l{i} \"{i}\"\n"));
        var varies = string.Concat("abcdefgh".Select(n => $"    vary {n} {{\n{labels}    }}\n"));
        folder.Write("x.eval", "suite \"X\" {\n  case \"c\" {\n" + varies + "    user \"{a}{b}{c}{d}{e}{f}{g}{h}\"\n    must not flatter the user\n  }\n}\n");
        folder.Write(".editorconfig", "[*.eval]\ndotnet_diagnostic.EVAL0112.severity = warning\n");
        var result = CliRunner.Process(folder.Path, "compile", "x.eval", "-o", "out");
        Assert.Equal("x.eval(2,8): warning EVAL0112: Case 'c' expands to more than 10,000 tests (" +
                     string.Join(" × ", "abcdefgh".Select(n => $"10 labels of vary {n}")) +
                     "), the limit for one case; split it into smaller cases or use fewer labels.\n", result.Output);
        Assert.Equal(0, result.ExitCode);
        var generated = File.ReadAllText(Directory.GetFiles(Path.Combine(folder.Path, "out"), "*.cs").Single());
        Assert.DoesNotContain("l9", generated);
    }
}
