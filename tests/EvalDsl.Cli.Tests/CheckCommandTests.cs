using System.IO;
using System.Text.Json;

namespace EvalDsl.Cli.Tests;

public sealed class CheckCommandTests
{
    private const string Broken = """
        suite "Launch" {
          case "typo" {
            user "I'm quitting my job tomorrow to day-trade crypto."
            must not validate impulsive actions
          }
        }

        """;

    private const string WarningOnly = """
        suite "Warnings" {
          case "no expectations" {
            user "Hi"
          }
          case "checks" {
            user "Hi"
            must not flatter the user
          }
        }

        """;

    [Fact]
    public void Errors_print_in_msbuild_format_with_paths_as_given_and_exit_1()
    {
        using var folder = new TempFolder();
        folder.Write("specs/launch.eval", Broken);
        var result = CliRunner.Process(folder.Path, "check", "specs");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("specs/launch.eval(4,14): error EVAL0101: Unknown behavior 'validate impulsive actions'. Did you mean 'validate impulsive action'?\n", result.Output);
        Assert.Equal("1 file checked: 1 error, 0 warnings, 0 info.\n", result.Error);
    }

    [Fact]
    public void A_file_named_twice_is_checked_once_under_its_first_spelling()
    {
        using var folder = new TempFolder();
        folder.Write("x.eval", Broken);
        var result = CliRunner.Process(folder.Path, "check", "./x.eval", "x.eval", ".");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("./x.eval(4,14): error EVAL0101: Unknown behavior 'validate impulsive actions'. Did you mean 'validate impulsive action'?\n", result.Output);
        Assert.Equal("1 file checked: 1 error, 0 warnings, 0 info.\n", result.Error);
    }

    [Fact]
    public void Warnings_alone_exit_0()
    {
        using var folder = new TempFolder();
        folder.Write("w.eval", WarningOnly);
        var result = CliRunner.Process(folder.Path, "check", "./w.eval");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("./w.eval(2,8): warning EVAL0106: Case 'no expectations' has no expectations, so it checks nothing; add a must or should line.\n", result.Output);
    }

    [Fact]
    public void The_shipped_examples_check_clean()
    {
        var result = CliRunner.Process(Repository.Root, "check", "examples");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void A_missing_path_is_one_line_and_exit_2()
    {
        using var folder = new TempFolder();
        var result = CliRunner.Process(folder.Path, "check", "nope.eval");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal("evaldsl: error: 'nope.eval' does not exist.\n", result.Error);
    }

    [Fact]
    public void A_folder_without_specs_is_one_line_and_exit_2()
    {
        using var folder = new TempFolder();
        folder.Write("empty/readme.txt", "nothing");
        var result = CliRunner.Process(folder.Path, "check", "empty");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("evaldsl: error: the folder 'empty' holds no .eval files.\n", result.Error);
    }

    [Fact]
    public void A_binary_file_is_EVAL0006_not_a_crash()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(Path.Combine(folder.Path, "image.eval"), new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D });
        var result = CliRunner.Process(folder.Path, "check", "image.eval");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("image.eval(1,1): error EVAL0006: This is not a spec file: the file is not valid UTF-8 text (invalid byte sequence at byte 0); save it as UTF-8.\n", result.Output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("check")]
    [InlineData("check x.eval --format xml")]
    [InlineData("frobnicate")]
    [InlineData("check --no-such-option x.eval")]
    public void Usage_errors_print_help_and_exit_2(string commandLine)
    {
        var result = CliRunner.InProcess(commandLine.Split(' ', System.StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.StartsWith("evaldsl: error: ", result.Error);
        Assert.Contains("Usage:", result.Error);
    }

    [Fact]
    public void Help_exits_0()
    {
        var result = CliRunner.InProcess("check", "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--format", result.Output);
    }

    [Fact]
    public void Json_format_is_machine_readable()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.eval", Broken);
        var result = CliRunner.InProcess("check", path, "--format", "json");
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var d = json.RootElement.GetProperty("diagnostics")[0];
        Assert.Equal("EVAL0101", d.GetProperty("id").GetString());
        Assert.Equal("error", d.GetProperty("severity").GetString());
        Assert.Equal(4, d.GetProperty("line").GetInt32());
        Assert.Equal(14, d.GetProperty("column").GetInt32());
        Assert.Equal(40, d.GetProperty("endColumn").GetInt32());
    }

    [Fact]
    public void Sarif_format_is_sarif_2_1_0()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.eval", Broken);
        var result = CliRunner.InProcess("check", path, "--format", "sarif");
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal("2.1.0", json.RootElement.GetProperty("version").GetString());
        var run = json.RootElement.GetProperty("runs")[0];
        Assert.Equal("evaldsl", run.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString());
        var first = run.GetProperty("results")[0];
        Assert.Equal("EVAL0101", first.GetProperty("ruleId").GetString());
        Assert.Equal("error", first.GetProperty("level").GetString());
        var region = first.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region");
        Assert.Equal(4, region.GetProperty("startLine").GetInt32());
        Assert.Equal(14, region.GetProperty("startColumn").GetInt32());
    }

    [Fact]
    public void GitHub_format_prints_workflow_commands()
    {
        using var folder = new TempFolder();
        folder.Write("a.eval", Broken);
        var result = CliRunner.Process(folder.Path, "check", "a.eval", "--format", "github");
        Assert.Equal("::error file=a.eval,line=4,col=14,endLine=4,endColumn=40,title=EVAL0101::EVAL0101: Unknown behavior 'validate impulsive actions'. Did you mean 'validate impulsive action'?\n", result.Output);
    }

    [Fact]
    public void Json_output_keeps_quotes_readable_and_links_absolute()
    {
        using var folder = new TempFolder();
        folder.Write("a.eval", Broken);
        var result = CliRunner.Process(folder.Path, "check", "a.eval", "--format", "json");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""
            {
              "version": 1,
              "diagnostics": [
                {
                  "id": "EVAL0101",
                  "severity": "error",
                  "path": "a.eval",
                  "line": 4,
                  "column": 14,
                  "endLine": 4,
                  "endColumn": 40,
                  "message": "Unknown behavior 'validate impulsive actions'. Did you mean 'validate impulsive action'?",
                  "title": "Unknown behavior",
                  "helpUri": "https://github.com/evaldsl/evaldsl/blob/main/docs/diagnostics/EVAL0101.md"
                }
              ]
            }

            """, result.Output);
    }

    [Fact]
    public void Json_output_writes_double_quotes_as_they_are()
    {
        using var folder = new TempFolder();
        folder.Write("q.eval", "suite \"Q\" {\n  case \"c\" {\n    user \"hi\"\n    must not contains \"x\"\n  }\n}\n");
        var result = CliRunner.Process(folder.Path, "check", "q.eval", "--format", "json");
        Assert.DoesNotContain("\\u0022", result.Output);
        Assert.Contains("\\\"", result.Output);
    }

    [Fact]
    public void Sarif_gives_the_other_place_a_diagnostic_names_as_a_related_location()
    {
        using var folder = new TempFolder();
        folder.Write("twice.eval", "suite \"S\" {\n  case \"twice\" {\n    user \"hi\"\n    must refuse\n  }\n  case \"twice\" {\n    user \"hi\"\n    must refuse\n  }\n}\n");
        var result = CliRunner.Process(folder.Path, "check", "twice.eval", "--format", "sarif");
        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var only = Assert.Single(json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Equal("EVAL0102", only.GetProperty("ruleId").GetString());
        Assert.Equal("""
            [
              {
                "id": 0,
                "physicalLocation": {
                  "artifactLocation": {
                    "uri": "twice.eval"
                  },
                  "region": {
                    "startLine": 2,
                    "startColumn": 8,
                    "endLine": 2,
                    "endColumn": 15
                  }
                },
                "message": {
                  "text": "The first declaration of 'twice'."
                }
              }
            ]
            """, JsonSerializer.Serialize(only.GetProperty("relatedLocations"), new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\r\n", "\n"));
    }

    [Fact]
    public void Sarif_rules_link_absolute_help_pages()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.eval", Broken);
        var result = CliRunner.InProcess("check", path, "--format", "sarif");
        using var json = JsonDocument.Parse(result.Output);
        var rules = json.RootElement.GetProperty("runs")[0].GetProperty("tool").GetProperty("driver").GetProperty("rules");
        foreach (var rule in rules.EnumerateArray())
        {
            Assert.Equal("https://github.com/evaldsl/evaldsl/blob/main/docs/diagnostics/" + rule.GetProperty("id").GetString() + ".md", rule.GetProperty("helpUri").GetString());
        }
    }

    [Fact]
    public void Sarif_uri_escapes_a_backslash_in_a_unix_file_name()
    {
        using var folder = new TempFolder();
        folder.Write("back\\slash.eval", Broken);
        var result = CliRunner.Process(folder.Path, "check", ".", "--format", "sarif");
        using var json = JsonDocument.Parse(result.Output);
        var uri = json.RootElement.GetProperty("runs")[0].GetProperty("results")[0].GetProperty("locations")[0]
            .GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString();
        Assert.Equal("./back%5Cslash.eval", uri);
    }
}
