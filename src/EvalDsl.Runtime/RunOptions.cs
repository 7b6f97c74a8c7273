using System;

namespace EvalDsl.Runtime;

/// <summary>How a run calls models.</summary>
public sealed class RunOptions
{
    /// <summary>Model calls in flight at once, over all bindings (default 8). Turns of one conversation stay in order.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Retries of a call that failed transiently (429, 5xx, timeout, lost connection); default 6.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>How long one call may take before it counts as a timeout (default 60 s).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first backoff delay; it doubles on each retry, with jitter, unless the server sends Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between retries (a longer Retry-After is capped here).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the response cache lives, or null for no cache.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>When set, every exchange of binding B is saved under DIR/B so that <c>replay:DIR/B</c> can serve it.</summary>
    public string? RecordDirectory { get; init; }

    /// <summary>A Scriban template that replaces the built-in judge prompt.</summary>
    public string? JudgeTemplate { get; init; }

    /// <summary>The longest reply used, in characters (default 1,000,000): a longer one is cut there, and says so.</summary>
    public int MaxReplyCharacters { get; init; } = DefaultMaxReplyCharacters;

    /// <summary>The default of <see cref="MaxReplyCharacters"/>.</summary>
    public const int DefaultMaxReplyCharacters = 1_000_000;

    /// <summary>How many times a judge is asked before an unreadable answer counts as an error (default 3).</summary>
    public int JudgeAttempts { get; init; } = 3;

    /// <summary>The judge's sampling temperature (default 0); part of every judge request and so of its cache key.</summary>
    public double JudgeTemperature { get; init; }

    /// <summary>
    /// The judge's seed, sent with every judge request and part of its cache key; null (the default) sends none, so
    /// that requests, cache entries and recordings stay as they were before the seed could be set.
    /// </summary>
    public long? JudgeSeed { get; init; }

    /// <summary>
    /// Run only this shard's samples (<c>run --shard i/n</c>; null, the default: all of them). The journal records the
    /// shard; <c>evaldsl merge</c> combines the journals of all n shards into the run's result.
    /// </summary>
    public RunShard? Shard { get; init; }

    /// <summary>
    /// Send the calls of every live OpenAI-compatible binding through the OpenAI Batch API (<c>/v1/files</c> and
    /// <c>/v1/batches</c>) instead of one request each: the calls waiting at one moment form a batch; each turn of a
    /// conversation is a batch round. The ids are journalled, so a resumed run polls its batches instead of sending
    /// them again. Recordings (<c>replay:</c>) are read directly; a server without the Batch API stops the run.
    /// </summary>
    public bool Batch { get; init; }

    /// <summary>How long a batch run waits between polls of a batch (default 30 s).</summary>
    public TimeSpan BatchPollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// With a journal (<see cref="EvalRunner.RunAsync(EvalPlan, bool, string?, bool, IRunObserver?, System.Threading.CancellationToken)"/>
    /// given a folder), keep each finished sample's transcripts and grades only in the journal: the result's
    /// <see cref="CaseResult.Target"/> and <see cref="CaseResult.Baseline"/> read them back from the journal file each
    /// time they are gone through, so that memory does not grow with the number of samples (what <c>evaldsl run</c>
    /// does). The journal must then stay as it is while the result is in use; a sample that can no longer be read
    /// from it throws an <see cref="System.IO.IOException"/> that says so. Off by default: the samples are held in memory.
    /// </summary>
    public bool SamplesInJournal { get; init; }
}
