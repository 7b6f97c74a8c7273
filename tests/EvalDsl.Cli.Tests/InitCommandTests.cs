using System.IO;

namespace EvalDsl.Cli.Tests;

public sealed class InitCommandTests
{
    [Fact]
    public void Writes_a_starter_that_checks_clean()
    {
        using var folder = new TempFolder();
        var init = CliRunner.Process(folder.Path, "init", "project");
        Assert.Equal(0, init.ExitCode);
        Assert.Equal(
            "Wrote starter.eval, evaldsl.json, .editorconfig in project.\n" +
            "Next: evaldsl check project/starter.eval, then evaldsl run project/starter.eval --target openai:MODEL --judge openai:MODEL\n" +
            "(OPENAI_API_KEY is sent to api.openai.com only; any other server takes EVALDSL_KEY_TARGET / EVALDSL_KEY_JUDGE).\n",
            init.Output);
        Assert.Equal("{\n  \"models\": {}\n}\n", File.ReadAllText(Path.Combine(folder.Path, "project", "evaldsl.json")));
        Assert.Contains("[*.eval]\n", File.ReadAllText(Path.Combine(folder.Path, "project", ".editorconfig")));

        var check = CliRunner.Process(folder.Path, "check", "project");
        Assert.Equal("", check.Output);
        Assert.Equal("1 file checked: 0 errors, 0 warnings, 0 info.\n", check.Error);
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public void Never_overwrites_a_file()
    {
        using var folder = new TempFolder();
        folder.Write("evaldsl.json", "{ \"models\": { \"target\": \"openai:gpt-4o-mini\" } }");
        folder.Write("starter.eval", "# mine\n");
        var init = CliRunner.Process(folder.Path, "init");
        Assert.Equal(0, init.ExitCode);
        Assert.StartsWith("Wrote .editorconfig.\nKept starter.eval, evaldsl.json: they exist already.\n", init.Output);
        Assert.Equal("{ \"models\": { \"target\": \"openai:gpt-4o-mini\" } }", File.ReadAllText(Path.Combine(folder.Path, "evaldsl.json")));
        Assert.Equal("# mine\n", File.ReadAllText(Path.Combine(folder.Path, "starter.eval")));
    }
}
