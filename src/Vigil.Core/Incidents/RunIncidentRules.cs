using System.Globalization;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Incidents;

/// <summary>
/// What one run that reached a terminal state means for its job's incidents and health counters.
/// Pure: run, counters and policies in; counters, incident changes and a pause decision out.
/// </summary>
/// <remarks>
/// A success resolves every run-caused incident of the job (it is healthy again); the empty-streak
/// incident only when the result was not empty. Failures (failed, timed out, interrupted) count
/// toward <c>alert_after_failures</c> and <c>pause_after_failures</c>; cancelled runs and overlap
/// skips change nothing.
/// </remarks>
internal static class RunIncidentRules
{
    /// <summary>The kinds a success resolves.</summary>
    private static readonly IncidentKind[] ResolvedBySuccess =
    [
        IncidentKind.Interrupted, IncidentKind.TimedOut, IncidentKind.Missed, IncidentKind.FailedStreak,
        IncidentKind.UpstreamFailed, IncidentKind.Silence, IncidentKind.PastDue, IncidentKind.PoisonSlot,
    ];

    /// <summary>The marker <see cref="Planning.RetryDecider"/> puts in the reason of a poisoned slot.</summary>
    private const string PoisonMarker = "poison guard";

    /// <param name="run">The run that reached a terminal state.</param>
    /// <param name="health">The job's counters before it.</param>
    /// <param name="policies">The job's policies.</param>
    /// <param name="resolve">
    /// False when the caller knows a success can resolve nothing (an earlier non-empty success of the
    /// job in the same batch already resolved everything, and nothing opened since): the verdict
    /// then carries no resolutions.
    /// </param>
    public static RunVerdict Apply(RunRecord run, JobHealth health, JobPolicies policies, bool resolve = true)
    {
        var changes = new List<IncidentChange>();
        var pause = false;
        var slot = run.State == RunState.Succeeded && !resolve ? string.Empty : Iso.Format(run.Slot);
        var empty = IsEmpty(run);
        var emptyStreak = empty && run.State is RunState.Succeeded or RunState.Failed ? health.EmptyStreak + 1
            : run.State == RunState.Succeeded ? 0
            : health.EmptyStreak;
        var failureStreak = health.FailureStreak;
        var lastSuccess = health.LastSuccessAt;

        switch (run.State)
        {
            case RunState.Succeeded:
                failureStreak = 0;
                lastSuccess = run.FinishedAt ?? lastSuccess;
                if (!resolve)
                {
                    break;
                }

                var why = Invariant($"run {run.Id} (slot {slot}) succeeded");
                foreach (var kind in ResolvedBySuccess)
                {
                    changes.Add(new IncidentResolution { Job = run.Job, Kind = kind, Reason = why });
                }

                if (!empty)
                {
                    changes.Add(new IncidentResolution { Job = run.Job, Kind = IncidentKind.EmptyStreak, Reason = why });
                }

                break;
            case RunState.Failed or RunState.TimedOut or RunState.Interrupted:
                failureStreak++;
                if (run.State == RunState.TimedOut)
                {
                    changes.Add(Occurred(run, IncidentKind.TimedOut, Invariant($"run {run.Id} (slot {slot}, attempt {run.Attempt}) timed out: {run.Reason}")));
                }
                else if (run.State == RunState.Interrupted)
                {
                    var poisoned = run.Reason?.Contains(PoisonMarker, StringComparison.Ordinal) == true;
                    changes.Add(Occurred(
                        run,
                        poisoned ? IncidentKind.PoisonSlot : IncidentKind.Interrupted,
                        Invariant($"run {run.Id} (slot {slot}, attempt {run.Attempt}) interrupted: {run.Reason}")));
                }

                var pauseAt = policies.PauseAfterFailures;
                pause = pauseAt is { } p && failureStreak == p;
                if (failureStreak >= policies.AlertAfterFailures || (pauseAt is { } q && failureStreak >= q))
                {
                    var detail = Invariant($"{failureStreak} runs in a row did not succeed; last: run {run.Id} (slot {slot}) {run.State.Name()}: {run.Reason}");
                    if (pause)
                    {
                        detail += Invariant($"; job paused (pause_after_failures: {pauseAt})");
                    }

                    changes.Add(Occurred(run, IncidentKind.FailedStreak, detail));
                }

                break;
            case RunState.Missed:
                changes.Add(Occurred(run, IncidentKind.Missed, Invariant($"slot {slot} missed: {run.Reason}")));
                break;
            case RunState.Skipped when run.Reason?.StartsWith("upstream ", StringComparison.Ordinal) == true:
                changes.Add(Occurred(run, IncidentKind.UpstreamFailed, Invariant($"slot {slot} skipped: {run.Reason}")));
                break;
            default:
                break;
        }

        if (policies.Expect.EmptyStreak is { } limit && emptyStreak >= limit && empty)
        {
            changes.Add(Occurred(
                run,
                IncidentKind.EmptyStreak,
                Invariant($"{emptyStreak} runs in a row reported an empty result (expect.empty_streak: {limit}); last: run {run.Id} (slot {slot})")));
        }

        var updated = new JobHealth { Job = run.Job, FailureStreak = failureStreak, EmptyStreak = emptyStreak, LastSuccessAt = lastSuccess };
        return new RunVerdict(updated, changes, pause);
    }

    /// <summary>The result file says <c>empty</c>, or reports tokens and they are all zero.</summary>
    public static bool IsEmpty(RunRecord run) =>
        string.Equals(run.ResultStatus, "empty", StringComparison.OrdinalIgnoreCase)
        || ((run.TokensIn is not null || run.TokensOut is not null) && (run.TokensIn ?? 0) + (run.TokensOut ?? 0) == 0);

    private static IncidentOccurrence Occurred(RunRecord run, IncidentKind kind, string detail) =>
        new() { Job = run.Job, Kind = kind, Detail = detail, RunId = run.Id, Node = run.Node };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The answer of <see cref="RunIncidentRules.Apply"/>.</summary>
internal sealed record RunVerdict(JobHealth Health, IReadOnlyList<IncidentChange> Changes, bool Pause);
