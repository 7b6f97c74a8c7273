using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using EvalDsl.Runtime.Execution;
using EvalDsl.Testing;

namespace EvalDsl.Runtime.Tests.Unit;

public sealed class JournalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Lines_written_together_from_many_threads_each_land_whole_once_in_the_file()
    {
        const int threads = 16;
        const int each = 100;
        var journal = Journal.Create(_folder.Path, "fingerprint", "judge", new Dictionary<string, string> { ["target"] = "openai:m" });
        using (journal)
        {
            // Sixteen writers at once: most lines wait for another thread's write and go to the file with it.
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
            {
                for (var i = 0; i < each; i++) journal.AppendCall($"key-{t}-{i}", new string('x', (t * 7 + i) % 50) + $" reply {t}-{i}");
            });
        }

        var lines = File.ReadAllLines(Path.Combine(_folder.Path, Journal.FileName));
        Assert.Equal(1 + threads * each, lines.Length);
        Assert.Equal("header", JsonDocument.Parse(lines[0]).RootElement.GetProperty("kind").GetString());
        var keys = lines.Skip(1).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("key").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, threads).SelectMany(t => Enumerable.Range(0, each).Select(i => $"key-{t}-{i}")).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));

        // Resumed, the journal serves every call it holds.
        using var resumed = Journal.Resume(_folder.Path, "fingerprint", "judge", new Dictionary<string, string> { ["target"] = "openai:m" });
        Assert.True(resumed.TryGetCall("key-15-99", out var reply));
        Assert.Equal(new string('x', (15 * 7 + 99) % 50) + " reply 15-99", reply);
    }
}
