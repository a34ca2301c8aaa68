using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;
using Vigil.Supervision.Shim;

namespace Vigil.Engine;

/// <summary>
/// Runs before any new slot starts, for every run an earlier incarnation of this node left running:
/// adopts it when its run supervisor (shim) still lives, finalizes it with the real outcome when the
/// shim recorded one, and only otherwise records it interrupted, with a reason that says what
/// happened, and lets <c>on_interrupt</c> decide whether it gets a new attempt (in the same transaction).
/// </summary>
/// <remarks>
/// <para>Never is a run recorded interrupted while its action may still run: a shim that died
/// without an outcome may have left its command running (in its own session), so that command's
/// tree is killed first.</para>
/// <para>Adoption is a conditional, fenced write (the run must still be running under the earlier
/// incarnation, and this one must hold its lease). A finished shim is adopted too, and its outcome
/// recorded by the supervisor like any run's end: one path for every outcome, retries included.</para>
/// </remarks>
internal static class Recovery
{
    public static async Task<RecoveryReport> RunAsync(
        IRunStore store,
        Incarnation current,
        Func<string, (JobPolicies Policies, Schedule? Schedule)> jobLookup,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken,
        string? runsDirectory = null,
        Func<RunRecord, Task<bool>>? adopt = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var running = await store.ListRunningAsync(current.Node, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var items = new List<Interruption>();
        var interruptedJobs = new List<string>();
        var retried = 0;
        var adopted = 0;
        foreach (var run in running)
        {
            if (run.IncarnationId == current.Id || run.IncarnationId is null)
            {
                continue;
            }

            var reason = run.Draining ? RetryDecider.KilledDuringDrain : RetryDecider.ProcessDied;
            if (runsDirectory is not null)
            {
                var shim = ShimProcess.Inspect(runsDirectory, run.Id);
                if (shim is ShimStatus.Alive or ShimStatus.Finished && adopt is not null)
                {
                    if (!await store.AdoptAsync(run.Id, run.IncarnationId.Value, current, now, cancellationToken).ConfigureAwait(false))
                    {
                        continue;
                    }

                    var owned = run with { IncarnationId = current.Id, Node = current.Node, AdoptedBy = current.Id, AdoptedAt = now, Draining = false };
                    if (await adopt(owned).ConfigureAwait(false))
                    {
                        adopted++;
                        Log.RunAdopted(logger, run.Id, run.Job, Iso.Format(run.Slot), run.IncarnationId.Value, shim == ShimStatus.Alive ? "alive" : "finished");
                        continue;
                    }

                    // Not supervisable here (its job is gone): its command is killed and the run interrupted below.
                    _ = RunningShim.KillOrphans(ShimFiles.For(runsDirectory, run.Id));
                    items.Add(await InterruptionAsync(store, owned, current.Id, "adopted, but its job is no longer defined; its command was killed", jobLookup, now, cancellationToken).ConfigureAwait(false));
                    interruptedJobs.Add(run.Job);
                    continue;
                }

                if (shim == ShimStatus.Dead)
                {
                    var (started, killed) = RunningShim.KillOrphans(ShimFiles.For(runsDirectory, run.Id));
                    if (killed)
                    {
                        Log.OrphanKilled(logger, run.Id, run.Job);
                    }

                    if (started)
                    {
                        reason = ShimProcess.SupervisorDied;
                    }
                }
            }

            var item = await InterruptionAsync(store, run, run.IncarnationId.Value, reason, jobLookup, now, cancellationToken).ConfigureAwait(false);
            if (item.RetryNotBefore is not null)
            {
                retried++;
            }

            items.Add(item);
            interruptedJobs.Add(run.Job);
            if (logger.IsEnabled(LogLevel.Warning))
            {
                Log.RunInterrupted(logger, run.Id, run.Job, Iso.Format(run.Slot), item.Reason);
            }
        }

        var applied = items.Count == 0 ? 0 : await store.InterruptAsync(items, now, cancellationToken).ConfigureAwait(false);
        foreach (var job in interruptedJobs)
        {
            Telemetry.VigilMetrics.RunEnded(job, RunState.Interrupted);
        }

        Log.RecoveryDone(logger, applied, retried, adopted, stopwatch.ElapsedMilliseconds);
        return new RecoveryReport(applied, retried, stopwatch.Elapsed) { Adopted = adopted };
    }

    private static async Task<Interruption> InterruptionAsync(
        IRunStore store,
        RunRecord run,
        long owner,
        string reason,
        Func<string, (JobPolicies Policies, Schedule? Schedule)> jobLookup,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var (policies, schedule) = jobLookup(run.Job);
        var attempts = run.Attempt > 1
            ? await store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken).ConfigureAwait(false)
            : [];
        var decision = RetryDecider.Decide(run, RunState.Interrupted, reason, policies, schedule, attempts, now);
        return new Interruption
        {
            RunId = run.Id,
            OwnerIncarnationId = owner,
            Reason = decision.Reason,
            RetryNotBefore = decision.At,
        };
    }
}

/// <summary>What recovery did.</summary>
public sealed record RecoveryReport(int Interrupted, int Retried, TimeSpan Elapsed)
{
    /// <summary>Runs adopted from an earlier incarnation (their shims lived on, or recorded the outcome).</summary>
    public int Adopted { get; init; }
}
