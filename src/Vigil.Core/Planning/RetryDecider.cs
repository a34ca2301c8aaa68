using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Planning;

/// <summary>
/// Decides whether an attempt that ended badly gets another attempt, and when. Pure.
/// </summary>
/// <remarks>
/// A new attempt needs all of: the outcome is in <c>retry.on</c> (interrupted needs
/// <c>on_interrupt: retry</c>); fewer than <c>retry.max_attempts</c> attempts so far; the poison guard
/// not tripped; and a start time (now + backoff) before both slot + <c>retry.window</c> and the job's
/// next slot. Because attempts are numbered and (job, slot, attempt) is unique, a crash loop can
/// never execute a slot more than <c>max_attempts</c> times.
/// </remarks>
internal static class RetryDecider
{
    /// <summary>The reason recorded for a run whose process died under it.</summary>
    public const string ProcessDied = "process died while running";

    /// <summary>The reason recorded for a run whose process died after its drain began.</summary>
    public const string KilledDuringDrain = "killed during drain";

    /// <summary>The reason recorded for a run still running when the drain timed out.</summary>
    public const string DrainTimedOut = "drain timed out";

    /// <summary>The reason recorded for a pending retry whose window closed before it could start.</summary>
    public const string WindowClosedBeforeStart = "retry window closed before the attempt could start";

    public static RetryDecision Decide(
        RunRecord ended,
        RunState outcome,
        string reason,
        JobPolicies policies,
        Schedule? schedule,
        IReadOnlyList<RunRecord> earlierAttempts,
        DateTimeOffset now)
    {
        if (outcome == RunState.Interrupted && policies.OnInterrupt == InterruptPolicy.Record)
        {
            return RetryDecision.No(reason + " (on_interrupt: record)");
        }

        if (!policies.Retry.On.Contains(outcome))
        {
            return RetryDecision.No(reason);
        }

        if (outcome == RunState.Interrupted && reason == ProcessDied)
        {
            // Poison guard: the previous attempt of this slot also died with its process.
            var previous = earlierAttempts.Where(a => a.Attempt < ended.Attempt).MaxBy(a => a.Attempt);
            if (previous is { State: RunState.Interrupted } && previous.Reason?.StartsWith(ProcessDied, StringComparison.Ordinal) == true)
            {
                return RetryDecision.No(reason + " (poison guard: two process deaths in a row during this slot; not retried)", poisoned: true);
            }
        }

        if (ended.Attempt >= policies.Retry.MaxAttempts)
        {
            return RetryDecision.No($"{reason} (attempt {ended.Attempt} of {policies.Retry.MaxAttempts}; no attempts left)");
        }

        var at = now + policies.Retry.DelayBefore(ended.Attempt + 1);
        if (at >= WindowEnd(ended.Slot, manual: ended.Trigger == RunTrigger.Manual, policies.Retry, schedule))
        {
            return RetryDecision.No($"{reason} (retry window closed)");
        }

        return new RetryDecision(true, at, reason, Poisoned: false);
    }

    /// <summary>
    /// The instant from which no attempt of <paramref name="slot"/> may start: slot + <c>retry.window</c>,
    /// or the job's next slot if that comes first (manual runs have no next slot to yield to).
    /// </summary>
    /// <remarks>
    /// Checked when the retry is decided and again when it is about to start: a retry that waited
    /// past its window (the daemon was down, or every run slot was busy) is not started late.
    /// </remarks>
    public static DateTimeOffset WindowEnd(DateTimeOffset slot, bool manual, RetryPolicy retry, Schedule? schedule)
    {
        var end = slot + retry.Window;
        var next = manual ? null : schedule?.GetNextOccurrence(slot);
        return next is { } n && n < end ? n : end;
    }
}

/// <summary>The answer of <see cref="RetryDecider"/>: retry at <see cref="At"/>, or not, with the reason to record.</summary>
internal readonly record struct RetryDecision(bool Retry, DateTimeOffset? At, string Reason, bool Poisoned)
{
    public static RetryDecision No(string reason, bool poisoned = false) => new(false, null, reason, poisoned);
}
