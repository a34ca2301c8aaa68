namespace Vigil.Ledger;

/// <summary>One row of the ledger: one attempt at one slot of one job.</summary>
public sealed record RunRecord
{
    /// <summary>The run id.</summary>
    public required long Id { get; init; }

    /// <summary>The job's name.</summary>
    public required string Job { get; init; }

    /// <summary>The scheduled instant (UTC); with <see cref="Job"/> the slot's identity.</summary>
    public required DateTimeOffset Slot { get; init; }

    /// <summary>1-based attempt number within the slot.</summary>
    public required int Attempt { get; init; }

    /// <summary>The current state.</summary>
    public required RunState State { get; init; }

    /// <summary>Why the run is in a non-success state.</summary>
    public string? Reason { get; init; }

    /// <summary>Why the run exists.</summary>
    public required RunTrigger Trigger { get; init; }

    /// <summary>When the row was written.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>A pending run does not start before this instant (retry backoff).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>When the running mark was committed.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the run reached a terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The hard deadline: started + timeout.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The command's exit code, when there was one.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The session key, when the job has one.</summary>
    public string? Session { get; init; }

    /// <summary>The node that ran (or runs) it.</summary>
    public string? Node { get; init; }

    /// <summary>The owning incarnation while running; the last owner afterwards.</summary>
    public long? IncarnationId { get; init; }

    /// <summary>True when an earlier attempt of the slot was interrupted (<c>VIGIL_RESUMED=1</c>).</summary>
    public bool Resumed { get; init; }

    /// <summary>Set, in one committed transaction, on every running run when a drain begins.</summary>
    public bool Draining { get; init; }

    /// <summary>The result file's status (<c>ok</c>, <c>empty</c>, <c>failed</c>) when the action wrote one.</summary>
    public string? ResultStatus { get; init; }

    /// <summary>The result file's summary.</summary>
    public string? Summary { get; init; }

    /// <summary>Tokens in and out as the result file reported them.</summary>
    public long? TokensIn { get; init; }

    /// <summary>Tokens out as the result file reported them.</summary>
    public long? TokensOut { get; init; }

    /// <summary>The incarnation that last adopted the run from an earlier one (restart-transparent runs), if any did.</summary>
    public long? AdoptedBy { get; init; }

    /// <summary>When <see cref="AdoptedBy"/> adopted it.</summary>
    public DateTimeOffset? AdoptedAt { get; init; }

    /// <summary>The run's duration when it has started and finished.</summary>
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
