using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace EvalDsl.Testing.Tests;

public sealed class ChildProcessTests
{
    [Fact]
    public async Task The_scrub_removes_planted_model_variables_and_keeps_what_the_test_adds()
    {
        Environment.SetEnvironmentVariable("EVALDSL_TARGET", "openai:planted");
        Environment.SetEnvironmentVariable("OPENAI_API_KEY", "sk-planted");
        Environment.SetEnvironmentVariable("SOMEVENDOR_API_KEY", "planted");
        try
        {
            var start = ChildProcess.Describe(
                "/bin/sh", Path.GetTempPath(), new Dictionary<string, string?> { ["EVALDSL_JUDGE"] = "added" },
                new[] { "-c", "echo \"target=$EVALDSL_TARGET key=$OPENAI_API_KEY vendor=$SOMEVENDOR_API_KEY judge=$EVALDSL_JUDGE\"" });
            var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(30));

            Assert.False(result.TimedOut);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("target= key= vendor= judge=added\n", result.Output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("EVALDSL_TARGET", null);
            Environment.SetEnvironmentVariable("OPENAI_API_KEY", null);
            Environment.SetEnvironmentVariable("SOMEVENDOR_API_KEY", null);
        }
    }

    [Fact]
    public async Task Stdin_reaches_the_child()
    {
        var start = ChildProcess.Describe("/bin/cat", Path.GetTempPath(), null, Array.Empty<string>());
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(30), "hello\n");
        Assert.Equal("hello\n", result.Output);
    }

    [Fact]
    public async Task A_process_past_its_deadline_is_killed_and_reported()
    {
        var start = ChildProcess.Describe("/bin/sh", Path.GetTempPath(), null, new[] { "-c", "echo started; sleep 60" });
        var clock = Stopwatch.StartNew();
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(1));

        Assert.True(result.TimedOut);
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Waiting_past_a_deadline_kills_and_throws_a_clear_message()
    {
        using var process = Process.Start(ChildProcess.Describe("/bin/sleep", Path.GetTempPath(), null, new[] { "60" }))!;
        var error = await Assert.ThrowsAsync<TimeoutException>(() => ChildProcess.WaitAsync(process, TimeSpan.FromSeconds(2)));
        Assert.Equal("/bin/sleep did not exit within 2 s and was killed.", error.Message);
        Assert.True(process.WaitForExit(30_000), "the killed process did not exit");
    }

    [Fact]
    public void A_temp_folder_is_unique_and_deleted_on_dispose()
    {
        string path;
        using (var first = new TempFolder())
        using (var second = new TempFolder())
        {
            Assert.NotEqual(first.Path, second.Path);
            path = first.Path;
            var file = first.Write("a/b.txt", "x");
            Assert.Equal("x", File.ReadAllText(file));
        }

        Assert.False(Directory.Exists(path));
    }
}
