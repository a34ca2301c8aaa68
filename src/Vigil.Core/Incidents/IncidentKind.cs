namespace Vigil.Incidents;

/// <summary>What an incident is about (PRODUCT.md "Concepts"); stored and shown by its contract name.</summary>
public enum IncidentKind
{
    /// <summary><c>interrupted</c>: a run was cut off (its process died, a drain timed out).</summary>
    Interrupted,

    /// <summary><c>failed_streak</c>: <c>alert_after_failures</c> runs in a row did not succeed.</summary>
    FailedStreak,

    /// <summary><c>timed_out</c>: a run hit its <c>timeout</c> or <c>idle_timeout</c>.</summary>
    TimedOut,

    /// <summary><c>missed</c>: a slot was recorded missed (downtime beyond grace, catch-up policy).</summary>
    Missed,

    /// <summary><c>past_due</c>: a slot is due and has not started within max(grace, 2 × period), whatever the cause.</summary>
    PastDue,

    /// <summary><c>silence</c>: no success for <c>expect.max_silence</c>.</summary>
    Silence,

    /// <summary><c>empty_streak</c>: <c>expect.empty_streak</c> runs in a row reported an empty result.</summary>
    EmptyStreak,

    /// <summary><c>upstream_failed</c>: a run was skipped because an <c>after:</c> upstream did not succeed.</summary>
    UpstreamFailed,

    /// <summary><c>crash_loop</c>: three or more incarnations of this node within ten minutes without a clean stop.</summary>
    CrashLoop,

    /// <summary><c>scheduler_stalled</c>: the planner or supervisor loop stopped making progress.</summary>
    SchedulerStalled,

    /// <summary><c>poison_slot</c>: a slot whose attempts died with their process twice in a row is not retried.</summary>
    PoisonSlot,
}

/// <summary>Contract names of <see cref="IncidentKind"/>.</summary>
public static class IncidentKinds
{
    /// <summary>The contract name, e.g. <c>failed_streak</c>.</summary>
    public static string Name(this IncidentKind kind) => kind switch
    {
        IncidentKind.Interrupted => "interrupted",
        IncidentKind.FailedStreak => "failed_streak",
        IncidentKind.TimedOut => "timed_out",
        IncidentKind.Missed => "missed",
        IncidentKind.PastDue => "past_due",
        IncidentKind.Silence => "silence",
        IncidentKind.EmptyStreak => "empty_streak",
        IncidentKind.UpstreamFailed => "upstream_failed",
        IncidentKind.CrashLoop => "crash_loop",
        IncidentKind.SchedulerStalled => "scheduler_stalled",
        IncidentKind.PoisonSlot => "poison_slot",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a contract name (case-insensitive).</summary>
    public static bool TryParse(string? text, out IncidentKind kind)
    {
        foreach (var candidate in Enum.GetValues<IncidentKind>())
        {
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>True for kinds about the node rather than one job (stored with an empty job).</summary>
    public static bool IsNodeWide(this IncidentKind kind) => kind is IncidentKind.CrashLoop or IncidentKind.SchedulerStalled;
}
