namespace Vigil.Incidents;

/// <summary>One incident as the ledger holds it (JSON: see <c>docs/incidents.md</c>).</summary>
public sealed record IncidentRecord
{
    /// <summary>The incident id.</summary>
    public required long Id { get; init; }

    /// <summary>The job, or null for a node-wide kind (<see cref="IncidentKinds.IsNodeWide"/>).</summary>
    public string? Job { get; init; }

    /// <summary>The node that recorded it.</summary>
    public string? Node { get; init; }

    /// <summary>What it is about.</summary>
    public required IncidentKind Kind { get; init; }

    /// <summary>Where it is in its lifecycle.</summary>
    public required IncidentState State { get; init; }

    /// <summary>Occurrences while it was open (1 when opened).</summary>
    public required int Count { get; init; }

    /// <summary>When it opened.</summary>
    public required DateTimeOffset FirstAt { get; init; }

    /// <summary>The latest occurrence.</summary>
    public required DateTimeOffset LastAt { get; init; }

    /// <summary>When an operator acknowledged it.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>When it was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>What happened, in one line (the latest occurrence's).</summary>
    public required string Detail { get; init; }

    /// <summary>Why it was resolved.</summary>
    public string? Resolution { get; init; }

    /// <summary>The run of the latest occurrence, when a run caused it.</summary>
    public long? RunId { get; init; }
}

/// <summary>Filters for <c>IRunStore.ListIncidentsAsync</c>.</summary>
public sealed record IncidentQuery
{
    /// <summary>Only this job.</summary>
    public string? Job { get; init; }

    /// <summary>Only these states (empty: every state).</summary>
    public IReadOnlyList<IncidentState> States { get; init; } = [];

    /// <summary>Only this kind.</summary>
    public IncidentKind? Kind { get; init; }

    /// <summary>At most this many, newest first (default 100).</summary>
    public int Limit { get; init; } = 100;
}
