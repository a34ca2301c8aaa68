using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>
/// Runs before any new slot starts: every run an earlier incarnation of this node left running is
/// recorded interrupted, with a reason that says what happened, and <c>on_interrupt</c> decides
/// whether it gets a new attempt (in the same transaction).
/// </summary>
internal static class Recovery
{
    public static async Task<RecoveryReport> RunAsync(
        IRunStore store,
        Incarnation current,
        Func<string, (JobPolicies Policies, Schedule? Schedule)> jobLookup,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var running = await store.ListRunningAsync(current.Node, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var items = new List<Interruption>();
        var retried = 0;
        foreach (var run in running)
        {
            if (run.IncarnationId == current.Id || run.IncarnationId is null)
            {
                continue;
            }

            var reason = run.Draining ? RetryDecider.KilledDuringDrain : RetryDecider.ProcessDied;
            var (policies, schedule) = jobLookup(run.Job);
            var attempts = run.Attempt > 1
                ? await store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken).ConfigureAwait(false)
                : [];
            var decision = RetryDecider.Decide(run, RunState.Interrupted, reason, policies, schedule, attempts, now);
            if (decision.Retry)
            {
                retried++;
            }

            items.Add(new Interruption
            {
                RunId = run.Id,
                OwnerIncarnationId = run.IncarnationId.Value,
                Reason = decision.Reason,
                RetryNotBefore = decision.At,
            });
            if (logger.IsEnabled(LogLevel.Warning))
            {
                Log.RunInterrupted(logger, run.Id, run.Job, Iso.Format(run.Slot), decision.Reason);
            }
        }

        var applied = items.Count == 0 ? 0 : await store.InterruptAsync(items, now, cancellationToken).ConfigureAwait(false);
        foreach (var run in running.Where(r => r.IncarnationId is { } owner && owner != current.Id))
        {
            Telemetry.VigilMetrics.RunEnded(run.Job, RunState.Interrupted);
        }

        Log.RecoveryDone(logger, applied, retried, stopwatch.ElapsedMilliseconds);
        return new RecoveryReport(applied, retried, stopwatch.Elapsed);
    }
}

/// <summary>What recovery did.</summary>
public sealed record RecoveryReport(int Interrupted, int Retried, TimeSpan Elapsed);
