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
    public async Task Output_is_exact_and_the_transcript_interleaves_lines_with_stderr_marked()
    {
        var start = ChildProcess.Describe("/bin/sh", Path.GetTempPath(), null, new[] { "-c", "printf 'one\\r\\n'; printf 'oops\\n' >&2; printf 'two\\rthree'" });
        var result = await ChildProcess.RunAsync(start, TimeSpan.FromSeconds(30));

        Assert.Equal("one\ntwo\rthree", result.Output);
        Assert.Equal("oops\n", result.Error);
        Assert.Contains("stderr: oops\n", result.Transcript);
        Assert.Contains("one\n", result.Transcript);
        Assert.Contains("two\rthree\n", result.Transcript); // a last line without its newline is a line too
    }

    [Fact]
    public void Disposing_a_started_child_kills_it()
    {
        int id;
        using (var child = ChildProcess.Start(ChildProcess.Describe("/bin/sleep", Path.GetTempPath(), null, new[] { "60" })))
        {
            id = child.Id;
            Assert.False(child.Process.HasExited);
        }

        // Killed and reaped: the process is gone from /proc.
        Assert.False(Directory.Exists("/proc/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)), $"process {id} outlived its handle");
    }

    [Fact]
    public async Task A_started_child_past_its_deadline_is_killed_with_the_meaning_in_the_message()
    {
        using var child = ChildProcess.Start(ChildProcess.Describe("/bin/sleep", Path.GetTempPath(), null, new[] { "60" }));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => child.WaitAsync(TimeSpan.FromSeconds(1), "The run did not stop."));
        Assert.Equal("/bin/sleep did not exit within 1 s and was killed. The run did not stop.", error.Message);
        Assert.True(child.Process.WaitForExit(30_000), "the killed process did not exit");
    }

    [Fact]
    public async Task A_condition_that_never_holds_fails_with_what_was_awaited()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Deadline.UntilAsync(() => false, TimeSpan.FromMilliseconds(100), "a file that never comes"));
        Assert.Equal("Waited 0.1 s for a file that never comes; it did not happen.", error.Message);
        Assert.Throws<TimeoutException>(() => Deadline.Until(() => false, TimeSpan.FromMilliseconds(100), "x"));
        Deadline.Until(() => true, TimeSpan.Zero, "what already holds");
    }

    [Fact]
    public async Task A_task_past_its_deadline_fails_with_what_was_awaited_and_its_own_timeout_is_its_own()
    {
        var never = new TaskCompletionSource<string>().Task;
        var error = await Assert.ThrowsAsync<TimeoutException>(() => Deadline.WithinAsync(never, TimeSpan.FromMilliseconds(100), "a line on stderr"));
        Assert.Equal("Waited 0.1 s for a line on stderr; it did not happen.", error.Message);
        Assert.Equal("done", await Deadline.WithinAsync(Task.FromResult("done"), TimeSpan.FromSeconds(1), "x"));
        var own = await Assert.ThrowsAsync<TimeoutException>(() => Deadline.WithinAsync(Task.FromException(new TimeoutException("its own")), TimeSpan.FromSeconds(1), "x"));
        Assert.Equal("its own", own.Message);
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
