namespace Vigil.Ledger;

/// <summary>The states of a run (one attempt at a slot). Only <see cref="Pending"/> and <see cref="Running"/> are not terminal.</summary>
public enum RunState
{
    /// <summary>Materialized, waiting to start (due now, after a backoff, or queued).</summary>
    Pending,

    /// <summary>Started: the running mark, with its owning incarnation, was committed before the action began.</summary>
    Running,

    /// <summary>The action finished and reported success.</summary>
    Succeeded,

    /// <summary>The action finished and reported failure.</summary>
    Failed,

    /// <summary>The action hit its timeout or idle timeout and was cancelled, then killed.</summary>
    TimedOut,

    /// <summary>Cancelled by the operator or replaced by a newer run (<c>overlap: replace</c>).</summary>
    Cancelled,

    /// <summary>The process that owned the run died, or stopped, before the action finished.</summary>
    Interrupted,

    /// <summary>Not run, by policy (overlap, an upstream that did not succeed, a paused job).</summary>
    Skipped,

    /// <summary>Not run because the daemon was down when it fell due (catch-up policy).</summary>
    Missed,
}

/// <summary>Names and predicates for <see cref="RunState"/>.</summary>
public static class RunStates
{
    /// <summary>The contract's name: <c>pending</c>, <c>running</c>, ..., <c>timed_out</c>.</summary>
    public static string Name(this RunState state) => state switch
    {
        RunState.Pending => "pending",
        RunState.Running => "running",
        RunState.Succeeded => "succeeded",
        RunState.Failed => "failed",
        RunState.TimedOut => "timed_out",
        RunState.Cancelled => "cancelled",
        RunState.Interrupted => "interrupted",
        RunState.Skipped => "skipped",
        RunState.Missed => "missed",
        _ => throw new ArgumentOutOfRangeException(nameof(state)),
    };

    /// <summary>Parses a contract name (case-insensitive).</summary>
    public static bool TryParse(string? text, out RunState state)
    {
        foreach (var candidate in Enum.GetValues<RunState>())
        {
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>True for every state except pending and running.</summary>
    public static bool IsTerminal(this RunState state) => state is not (RunState.Pending or RunState.Running);
}

/// <summary>Why a run exists.</summary>
public enum RunTrigger
{
    /// <summary>Its slot fell due.</summary>
    Schedule,

    /// <summary>Its slot fell due while the daemon was down and the catch-up policy runs it.</summary>
    CatchUp,

    /// <summary>A new attempt after an interrupted (or, by policy, failed or timed-out) one.</summary>
    Retry,

    /// <summary>Started by the operator (<c>vigil jobs trigger</c>, <c>vigil runs retry</c>).</summary>
    Manual,
}

/// <summary>Names for <see cref="RunTrigger"/>.</summary>
public static class RunTriggers
{
    /// <summary>The contract's name: <c>schedule</c>, <c>catch_up</c>, <c>retry</c>, <c>manual</c>.</summary>
    public static string Name(this RunTrigger trigger) => trigger switch
    {
        RunTrigger.Schedule => "schedule",
        RunTrigger.CatchUp => "catch_up",
        RunTrigger.Retry => "retry",
        RunTrigger.Manual => "manual",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger)),
    };

    /// <summary>Parses a contract name.</summary>
    public static RunTrigger Parse(string text) => text switch
    {
        "schedule" => RunTrigger.Schedule,
        "catch_up" => RunTrigger.CatchUp,
        "retry" => RunTrigger.Retry,
        "manual" => RunTrigger.Manual,
        _ => throw new FormatException($"unknown trigger \"{text}\""),
    };
}
