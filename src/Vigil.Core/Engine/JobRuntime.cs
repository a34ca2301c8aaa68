using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>A job as the engine plans it: its definition, parsed schedule and planning cursor.</summary>
internal sealed class JobRuntime(StoredJob stored, JobDefinition definition, Schedule schedule)
{
    public StoredJob Stored { get; } = stored;

    public JobDefinition Definition { get; } = definition;

    public Schedule Schedule { get; } = schedule;

    public string Name => Definition.Name;

    public JobPolicies Policies => Definition.Policies;

    /// <summary>Active: enabled in its definition, not paused, not removed.</summary>
    public bool IsActive => Definition.Enabled && !Stored.Paused && Stored.RemovedAt is null;

    /// <summary>The latest slot already materialized (or the instant planning starts after).</summary>
    public DateTimeOffset Cursor { get; set; }

    /// <summary>The next slot, or null when the schedule has no more.</summary>
    public DateTimeOffset? NextDue { get; set; }

    /// <summary>Bumped whenever the job is replaced, so stale heap entries are ignored.</summary>
    public int Version { get; set; }

    /// <summary>The run id waiting under <c>overlap: queue</c>, if any.</summary>
    public long? QueuedRunId { get; set; }

    public TimeSpan Grace => Policies.EffectiveGrace(Schedule.NominalPeriod);
}
