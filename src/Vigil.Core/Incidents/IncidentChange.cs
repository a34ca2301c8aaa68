namespace Vigil.Incidents;

/// <summary>One change to incidents, applied in order within an <see cref="IncidentBatch"/>.</summary>
public abstract record IncidentChange
{
    private protected IncidentChange()
    {
    }

    /// <summary>The job, or null for a node-wide kind.</summary>
    public string? Job { get; init; }

    /// <summary>What it is about.</summary>
    public required IncidentKind Kind { get; init; }
}

/// <summary>
/// The condition happened (again): opens an incident for (job, kind) with count 1 and enqueues its
/// "opened" notice, or, if one is open or acknowledged, adds to its count and moves its last occurrence.
/// </summary>
public sealed record IncidentOccurrence : IncidentChange
{
    /// <summary>The node that saw it.</summary>
    public string? Node { get; init; }

    /// <summary>What happened, in one line.</summary>
    public required string Detail { get; init; }

    /// <summary>The run that caused it, if one did.</summary>
    public long? RunId { get; init; }

    /// <summary>
    /// When false, an occurrence while the incident is already open changes nothing (conditions that
    /// are re-detected by a periodic check, such as past due or silence, are one occurrence however
    /// often they are seen). Default true.
    /// </summary>
    public bool Counts { get; init; } = true;
}

/// <summary>The job is healthy again for this kind: resolves the open or acknowledged incident, if any, and enqueues its "resolved" notice.</summary>
public sealed record IncidentResolution : IncidentChange
{
    /// <summary>Why, e.g. "run 42 succeeded".</summary>
    public required string Reason { get; init; }
}

/// <summary>
/// What the incident monitor applies in one transaction: the run events it consumed, the job
/// health it counted from them, the incident changes and the jobs to pause.
/// </summary>
/// <remarks>
/// One transaction is what makes a crash harmless: either the events are consumed together with
/// every incident and notice they caused, or none of it happened and the events are read again.
/// </remarks>
public sealed record IncidentBatch
{
    /// <summary>
    /// Deletes run events up to this id. The batch applies only if this event still exists: a second
    /// consumer that read the same events changes nothing.
    /// </summary>
    public long? ConsumeEventsThrough { get; init; }

    /// <summary>New per-job health counters (replacing the stored ones).</summary>
    public IReadOnlyList<JobHealth> Health { get; init; } = [];

    /// <summary>Incident changes, in the order they happened.</summary>
    public IReadOnlyList<IncidentChange> Changes { get; init; } = [];

    /// <summary>Jobs to pause (<c>pause_after_failures</c>).</summary>
    public IReadOnlyList<string> PauseJobs { get; init; } = [];
}

/// <summary>What applying an <see cref="IncidentBatch"/> did.</summary>
public sealed record IncidentBatchResult
{
    /// <summary>False when the batch's events were already consumed (nothing was written).</summary>
    public required bool Applied { get; init; }

    /// <summary>Incidents the batch opened.</summary>
    public IReadOnlyList<IncidentRecord> Opened { get; init; } = [];

    /// <summary>Incidents the batch resolved.</summary>
    public IReadOnlyList<IncidentRecord> Resolved { get; init; } = [];
}
