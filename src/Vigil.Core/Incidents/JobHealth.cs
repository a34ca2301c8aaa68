namespace Vigil.Incidents;

/// <summary>Per-job counters the incident monitor keeps in the ledger.</summary>
public sealed record JobHealth
{
    /// <summary>The job.</summary>
    public required string Job { get; init; }

    /// <summary>Runs in a row that failed, timed out or were interrupted (reset by a success).</summary>
    public int FailureStreak { get; init; }

    /// <summary>Finished runs in a row whose result was empty (reset by a non-empty success).</summary>
    public int EmptyStreak { get; init; }

    /// <summary>When the job last succeeded, if it has.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }
}

/// <summary>A run that reached a terminal state, as the incident monitor reads it from the ledger's event queue.</summary>
public sealed record RunEvent
{
    /// <summary>The event id (commit order).</summary>
    public required long Id { get; init; }

    /// <summary>The run as it is now.</summary>
    public required Ledger.RunRecord Run { get; init; }
}
