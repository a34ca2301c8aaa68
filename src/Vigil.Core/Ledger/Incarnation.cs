namespace Vigil.Ledger;

/// <summary>
/// One process lifetime of one node. Running runs belong to an incarnation; the pair
/// (<see cref="Id"/>, <see cref="Epoch"/>) is the fencing token every state change is checked against.
/// </summary>
public sealed record Incarnation
{
    /// <summary>The incarnation id (increasing).</summary>
    public required long Id { get; init; }

    /// <summary>The node name.</summary>
    public required string Node { get; init; }

    /// <summary>The process id.</summary>
    public required int Pid { get; init; }

    /// <summary>When the process started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>The lease epoch: bumped if the lease is ever re-acquired after expiring.</summary>
    public required long Epoch { get; init; }
}

/// <summary>What the ledger knows about an incarnation, for recovery and crash-loop detection.</summary>
public sealed record IncarnationRecord
{
    /// <summary>The incarnation.</summary>
    public required Incarnation Incarnation { get; init; }

    /// <summary>The last heartbeat.</summary>
    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>When its lease runs out unless renewed.</summary>
    public required DateTimeOffset LeaseExpiresAt { get; init; }

    /// <summary>When it began to drain, if it did.</summary>
    public DateTimeOffset? DrainingAt { get; init; }

    /// <summary>When it stopped, if it recorded a stop.</summary>
    public DateTimeOffset? StoppedAt { get; init; }

    /// <summary>True when it recorded a clean stop.</summary>
    public bool CleanStop { get; init; }
}
