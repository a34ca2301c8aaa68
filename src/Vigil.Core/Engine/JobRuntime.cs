using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>A job as the engine plans it: its definition, parsed schedule and planning cursor.</summary>
/// <remarks>
/// The stored definition text is not kept: with a million jobs it alone would take a gigabyte. A
/// fingerprint of it (its length and a 64-bit hash) is enough to tell whether a reload changed it.
/// </remarks>
internal sealed class JobRuntime(StoredJob stored, JobDefinition definition, Schedule schedule)
{
    private readonly string _rowName = stored.Name;
    private readonly JobSource _source = stored.Source;
    private readonly DateTimeOffset _createdAt = stored.CreatedAt;
    private readonly DateTimeOffset _updatedAt = stored.UpdatedAt;
    private readonly int _definitionLength = stored.Definition.Length;
    private readonly ulong _definitionHash = DefinitionHash.Of(stored.Definition);

    public JobDefinition Definition { get; } = definition;

    public Schedule Schedule { get; } = schedule;

    public string Name => Definition.Name;

    public JobPolicies Policies => Definition.Policies;

    /// <summary>The job's creation (slots before it are never materialized).</summary>
    public DateTimeOffset CreatedAt => _createdAt;

    /// <summary>Paused by the operator.</summary>
    public bool Paused { get; } = stored.Paused;

    /// <summary>When the job was removed, if it was.</summary>
    public DateTimeOffset? RemovedAt { get; } = stored.RemovedAt;

    /// <summary>Active: enabled in its definition, not paused, not removed.</summary>
    public bool IsActive => Definition.Enabled && !Paused && RemovedAt is null;

    /// <summary>The latest slot already materialized (or the instant planning starts after).</summary>
    public DateTimeOffset Cursor { get; set; }

    /// <summary>The next slot, or null when the schedule has no more.</summary>
    public DateTimeOffset? NextDue { get; set; }

    /// <summary>Bumped whenever the job is replaced, so stale heap entries are ignored.</summary>
    public int Version { get; set; }

    /// <summary>The run id waiting under <c>overlap: queue</c>, if any.</summary>
    public long? QueuedRunId { get; set; }

    public TimeSpan Grace => Policies.EffectiveGrace(Schedule.NominalPeriod);

    /// <summary>Whether <paramref name="job"/> is the stored job this runtime was built from (same row, same definition).</summary>
    public bool IsBuiltFrom(StoredJob job) =>
        job.Name == _rowName
        && job.Source == _source
        && job.Paused == Paused
        && job.CreatedAt == _createdAt
        && job.UpdatedAt == _updatedAt
        && job.RemovedAt == RemovedAt
        && job.Definition.Length == _definitionLength
        && DefinitionHash.Of(job.Definition) == _definitionHash;
}
