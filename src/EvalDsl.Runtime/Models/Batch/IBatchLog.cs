using System.Collections.Generic;

namespace EvalDsl.Runtime.Models.Batch;

/// <summary>Where a batch run keeps its batch ids (the run's journal), so that a resumed run polls them instead of sending their calls again.</summary>
internal interface IBatchLog
{
    /// <summary>The batches of <paramref name="binding"/> an earlier run created and did not see end, oldest first.</summary>
    IReadOnlyList<string> OpenBatches(string binding);

    /// <summary>A batch of <paramref name="binding"/> was created with <paramref name="lines"/> calls.</summary>
    void BatchCreated(string binding, string id, int lines);

    /// <summary>A batch ended and its answers were handed out.</summary>
    void BatchEnded(string binding, string id);
}
