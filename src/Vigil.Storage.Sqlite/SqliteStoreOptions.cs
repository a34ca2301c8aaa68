namespace Vigil.Storage.Sqlite;

/// <summary>How to open a <see cref="SqliteRunStore"/>.</summary>
public sealed record SqliteStoreOptions
{
    /// <summary>The database file. Created when missing; its directory must exist.</summary>
    public required string Path { get; init; }

    /// <summary>How long a connection waits for a lock held by another connection or process (default 5 s).</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most queued write operations committed together in one transaction (default 512).
    /// </summary>
    /// <remarks>
    /// With <c>synchronous=FULL</c> every commit waits for the disk; batching is what lets many
    /// concurrent callers share one flush instead of queuing behind one flush each.
    /// </remarks>
    public int MaxBatch { get; init; } = 512;

    /// <summary>The clock used for bookkeeping the contract does not pass "now" for (<c>schema_version.applied_at</c>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
