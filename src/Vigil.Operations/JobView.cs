using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Operations;

/// <summary>
/// One job as the operator verbs show it: the stored job (or the config's definition when the config
/// declares a job the ledger does not hold yet), its parsed schedule, its flags and its last run.
/// </summary>
internal sealed record JobView
{
    /// <summary>The job's name.</summary>
    public required string Name { get; init; }

    /// <summary>The ledger's row, or null for a config job not applied yet.</summary>
    public StoredJob? Stored { get; init; }

    /// <summary>The definition shown: the ledger's, or the config's when the ledger has none.</summary>
    public JobDefinition? Definition { get; init; }

    /// <summary>Why the stored definition or its schedule could not be read, if it could not.</summary>
    public string? Problem { get; init; }

    /// <summary>The parsed schedule, when the definition and its zone could be read.</summary>
    public Schedule? Schedule { get; init; }

    /// <summary>Where the definition comes from.</summary>
    public required JobSource Source { get; init; }

    /// <summary>Paused by the operator (a job the config brings back starts unpaused).</summary>
    public bool Paused => Pending != ConfigPending.Add && Stored is { Paused: true };

    /// <summary>Marked removed in the ledger (history kept).</summary>
    public bool Removed => Stored is { RemovedAt: not null } && Pending != ConfigPending.Add;

    /// <summary>Planned by the scheduler: enabled in its definition, not paused, not removed.</summary>
    public bool Active => Definition is { Enabled: true } && !Paused && !Removed;

    /// <summary>How the config differs from the ledger for this job; <see cref="ConfigPending.None"/> when it does not.</summary>
    public ConfigPending Pending { get; init; }

    /// <summary>For <see cref="ConfigPending.Change"/>, the definition keys that differ.</summary>
    public IReadOnlyList<string> PendingFields { get; init; } = [];

    /// <summary>The latest run that is not pending, if any.</summary>
    public RunRecord? LastRun { get; init; }

    /// <summary>The schedule's next occurrence after now, for active jobs.</summary>
    public DateTimeOffset? NextSlot { get; init; }

    /// <summary>The state word listings show: <c>enabled</c>, <c>paused</c>, <c>disabled</c> or <c>removed</c>.</summary>
    public string StateWord => Removed ? "removed" : Paused ? "paused" : Definition is { Enabled: false } ? "disabled" : "enabled";
}

/// <summary>How the config file differs from the ledger for one job (applied by the daemon on start and reload).</summary>
internal enum ConfigPending
{
    /// <summary>In line.</summary>
    None,

    /// <summary>Declared in the config, not in the ledger (or removed there): the daemon will add it.</summary>
    Add,

    /// <summary>Declared with a different definition: the daemon will replace it.</summary>
    Change,

    /// <summary>Declared under the name of an API job: the config's definition will replace it.</summary>
    Replace,

    /// <summary>A config job no longer declared: the daemon will mark it removed.</summary>
    Remove,
}

/// <summary>Names for <see cref="ConfigPending"/>.</summary>
internal static class ConfigPendingNames
{
    /// <summary>The word written in JSON, or null for <see cref="ConfigPending.None"/>.</summary>
    public static string? Name(this ConfigPending pending) => pending switch
    {
        ConfigPending.Add => "add",
        ConfigPending.Change => "change",
        ConfigPending.Replace => "replace",
        ConfigPending.Remove => "remove",
        _ => null,
    };
}
