using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace EvalDsl.Runtime.Execution;

/// <summary>Where a finished sample's line is in the journal: its byte offset and length.</summary>
internal readonly record struct JournalLine(long Offset, int Length);

/// <summary>
/// The samples of one case on one model, in sample order, read back from the journal when asked instead of held in
/// memory (<see cref="RunOptions.SamplesInJournal"/>): each item is its journal line, read and deserialized at each
/// access, so a report that goes through the cases one by one holds one case's transcripts at a time. A sample already
/// in memory (resumed from an earlier journal) is served as it is. A journal that cannot be read, or no longer holds
/// the sample where it was written, is an <see cref="IOException"/>.
/// </summary>
internal sealed class JournalledSamples : IReadOnlyList<SampleResult>
{
    private readonly string _path;
    private readonly string _caseId;
    private readonly string _role;
    private readonly (SampleResult? Held, int Sample, JournalLine Line)[] _items;

    public JournalledSamples(string path, string caseId, string role, (SampleResult? Held, int Sample, JournalLine Line)[] items)
    {
        _path = path;
        _caseId = caseId;
        _role = role;
        _items = items;
    }

    public int Count => _items.Length;

    public SampleResult this[int index]
    {
        get
        {
            var item = _items[index];
            if (item.Held is { } held) return held;
            using var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return Read(handle, item.Sample, item.Line);
        }
    }

    public IEnumerator<SampleResult> GetEnumerator()
    {
        SafeFileHandle? handle = null;
        try
        {
            foreach (var item in _items)
            {
                if (item.Held is { } held)
                {
                    yield return held;
                    continue;
                }
                handle ??= File.OpenHandle(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                yield return Read(handle, item.Sample, item.Line);
            }
        }
        finally
        {
            handle?.Dispose();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private SampleResult Read(SafeFileHandle handle, int sample, JournalLine line)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(line.Length);
        try
        {
            var read = 0;
            while (read < line.Length)
            {
                var n = RandomAccess.Read(handle, buffer.AsSpan(read, line.Length - read), line.Offset + read);
                if (n == 0) break;
                read += n;
            }
            if (read == line.Length)
            {
                var entry = JsonSerializer.Deserialize(buffer.AsSpan(0, line.Length), RuntimeJson.Info<Journal.Entry>(Journal.Json));
                if (entry?.Sample is { } found && found.CaseId == _caseId && found.Role == _role && found.Sample == sample) return found;
            }
        }
        catch (JsonException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        throw new IOException($"{_path} no longer holds sample {sample + 1} of '{_caseId}' ({_role}): the journal was replaced or changed while the run's result was in use");
    }
}
