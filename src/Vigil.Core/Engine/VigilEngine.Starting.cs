using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>Starting pending runs: gating (pause, after, overlap, concurrency), claiming, supervising.</summary>
public sealed partial class VigilEngine
{
    private const int PendingBatch = 1024;
    private volatile bool _draining;
    private long _resolved;

    /// <summary>During a start pass: the pending runs it claimed or resolved.</summary>
    private HashSet<long>? _settled;

    private async Task StartPendingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_draining)
        {
            return;
        }

        // Only as many pending runs as could start are read: a full page costs a read of every row,
        // and at the concurrency limit the rest would be passed over anyway.
        var capacity = _options.MaxConcurrentRuns - _supervisor.Count;
        if (capacity <= 0)
        {
            return;
        }

        var limit = Math.Min(PendingBatch, capacity);
        var pending = await _store.ListPendingAsync(now, limit, cancellationToken).ConfigureAwait(false);
        _pendingJobs.Clear();
        _pendingBeyondPage = pending.Count == limit;
        if (pending.Count == 0)
        {
            return;
        }

        // Every row this pass leaves pending keeps its job's next slots off the claim-on-insert path,
        // so that they wait behind it as they would in this pass's order.
        var settled = new HashSet<long>();
        _settled = settled;
        try
        {
            await StartPendingPageAsync(pending, limit, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _settled = null;
            foreach (var run in pending)
            {
                if (!settled.Contains(run.Id))
                {
                    _pendingJobs.Add(run.Job);
                }
            }
        }
    }

    private async Task StartPendingPageAsync(IReadOnlyList<RunRecord> pending, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {

        var resolvedBefore = _resolved;

        var toClaim = new List<(RunRecord Run, JobRuntime Job, DateTimeOffset? StartBy)>();
        var batchPerJob = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var run in pending)
        {
            if (_supervisor.Count + toClaim.Count >= _options.MaxConcurrentRuns)
            {
                break;
            }

            if (!_jobs.TryGetValue(run.Job, out var job))
            {
                await ResolveAsync(run, RunState.Cancelled, "the job no longer exists", now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!job.IsActive && run.Trigger != RunTrigger.Manual)
            {
                await ResolveAsync(run, RunState.Skipped, job.Paused ? "job paused" : "job disabled", now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var startBy = await StartByAsync(run, job, cancellationToken).ConfigureAwait(false);
            if (startBy is { } startLimit && now >= startLimit)
            {
                await ResolveAsync(run, RunState.Missed, LateReason(run, job, now), now, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (run.Attempt == 1 && run.Trigger is RunTrigger.Schedule or RunTrigger.CatchUp && job.Policies.After.Count > 0)
            {
                var blocked = await UpstreamBlockAsync(job, run, cancellationToken).ConfigureAwait(false);
                if (blocked is not null)
                {
                    await ResolveAsync(run, RunState.Skipped, blocked, now, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            batchPerJob.TryGetValue(job.Name, out var inBatch);
            if (_supervisor.CountFor(job.Name) + inBatch > 0)
            {
                // A catch-up backlog (catch_up: all) was due all at once: its slots run one after
                // another rather than being skipped or queued as a slot that came due during a run.
                if (run.Trigger == RunTrigger.CatchUp && job.Policies.Overlap != OverlapPolicy.Allow)
                {
                    continue;
                }

                if (!await OverlapAllowsAsync(job, run, now, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }
            }

            if (job.QueuedRunId == run.Id)
            {
                job.QueuedRunId = null;
            }

            batchPerJob[job.Name] = inBatch + 1;
            toClaim.Add((run, job, startBy));
        }

        var pageFull = pending.Count == limit;
        if (toClaim.Count == 0)
        {
            WakeIfMoreBehind(pageFull, _resolved != resolvedBefore);
            return;
        }

        // Claims go to the ledger together (one group commit); each action starts only after its
        // own running mark is committed. A claim that committed must be followed by its start, so
        // claims are not cancelled, and a claim that failed does not keep the others from starting:
        // a run marked running that nobody supervises would never be finished (G3).
        // The start-by limits are checked again against the instant the claims carry: the checks
        // above may have waited on the ledger, and a retry must not start after its window closed.
        var startedAt = _time.GetUtcNow();
        var late = toClaim.FindAll(c => startedAt >= c.StartBy);
        if (late.Count > 0)
        {
            toClaim.RemoveAll(c => startedAt >= c.StartBy);
        }

        var claims = new Task<ClaimResult>[toClaim.Count];
        for (var i = 0; i < claims.Length; i++)
        {
            var (run, job, _) = toClaim[i];
            claims[i] = _store.ClaimAsync(run.Id, _incarnation!, startedAt, startedAt + job.Policies.Timeout, CancellationToken.None);
        }

        var started = 0;
        try
        {
            await Task.WhenAll(claims).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Each claim's outcome is examined below.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        Exception? failure = null;
        var leaseLost = false;
        for (var i = 0; i < claims.Length; i++)
        {
            if (!claims[i].IsCompletedSuccessfully)
            {
                failure ??= claims[i].Exception?.InnerException ?? new OperationCanceledException();
                continue;
            }

            switch (claims[i].Result)
            {
                case ClaimResult.Claimed:
                    started++;
                    var (run, job, _) = toClaim[i];
                    _settled?.Add(run.Id);
                    var claimed = run with
                    {
                        State = RunState.Running,
                        StartedAt = startedAt,
                        IncarnationId = _incarnation!.Id,
                        Node = _incarnation.Node,
                        Deadline = startedAt + job.Policies.Timeout,
                    };
                    _supervisor.Start(claimed, job);
                    if (run.Trigger == RunTrigger.Schedule)
                    {
                        Telemetry.VigilMetrics.Started(run.Job, startedAt - run.Slot);
                    }
                    break;
                case ClaimResult.LeaseLost:
                    leaseLost = true;
                    break;
                default:
                    break;
            }
        }

        foreach (var (run, job, _) in late)
        {
            await ResolveAsync(run, RunState.Missed, LateReason(run, job, startedAt), startedAt, CancellationToken.None).ConfigureAwait(false);
        }

        if (leaseLost)
        {
            throw new LeaseLostException();
        }

        if (failure is not null)
        {
            // The loop logs it and tries again after a pause; the runs not claimed are still pending.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        WakeIfMoreBehind(pageFull, started > 0 || _resolved != resolvedBefore);
    }

    /// <summary>
    /// A full page that changed something (a run started or resolved) may have more due runs
    /// behind it: go round again rather than wait for the next wake-up. A page that changed nothing
    /// (runs queued behind an overlap, sessions busy) waits, so the loop never spins on it.
    /// </summary>
    private void WakeIfMoreBehind(bool pageFull, bool progressed)
    {
        if (pageFull && progressed && _supervisor.Count < _options.MaxConcurrentRuns)
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// The instant from which a pending run may no longer start, or null: a retry's window end, or
    /// for a slot an earlier incarnation left pending, what catch-up allows.
    /// </summary>
    private async Task<DateTimeOffset?> StartByAsync(RunRecord run, JobRuntime job, CancellationToken cancellationToken)
    {
        if (run.Trigger == RunTrigger.Retry)
        {
            var attempts = await _store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken).ConfigureAwait(false);
            var manual = attempts.Count > 0 && attempts[0].Trigger == RunTrigger.Manual;
            return RetryDecider.WindowEnd(run.Slot, manual, job.Policies.Retry, job.Schedule);
        }

        if (run.Attempt == 1 && run.Trigger is RunTrigger.Schedule or RunTrigger.CatchUp && run.CreatedAt < _incarnation!.StartedAt)
        {
            return CatchUpPlanner.LeftoverStartBy(run.Slot, job.Cursor, job.Policies, job.Grace);
        }

        return null;
    }

    /// <summary>Why a run past its start-by limit (<see cref="StartByAsync"/>) is recorded missed at <paramref name="now"/>.</summary>
    private static string LateReason(RunRecord run, JobRuntime job, DateTimeOffset now) =>
        run.Trigger == RunTrigger.Retry
            ? RetryDecider.WindowClosedBeforeStart
            : CatchUpPlanner.LeftoverReason(run.Slot, job.Policies, job.Grace, now);

    /// <summary>Why an <c>after:</c> upstream blocks this run, or null when every upstream's latest earlier slot succeeded.</summary>
    private async Task<string?> UpstreamBlockAsync(JobRuntime job, RunRecord run, CancellationToken cancellationToken)
    {
        foreach (var upstream in job.Policies.After)
        {
            var latest = await _store.GetLatestRunBeforeAsync(upstream, run.Slot, cancellationToken).ConfigureAwait(false);
            if (latest is null)
            {
                return $"upstream {upstream} has no run before this slot";
            }

            if (latest.State != RunState.Succeeded)
            {
                return $"upstream {upstream} {latest.State.Name()}";
            }
        }

        return null;
    }

    /// <summary>Applies <c>overlap</c> when the job already has a run active; true when this run may start now.</summary>
    private async Task<bool> OverlapAllowsAsync(JobRuntime job, RunRecord run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        switch (job.Policies.Overlap)
        {
            case OverlapPolicy.Allow:
                return true;
            case OverlapPolicy.Queue:
                if (job.QueuedRunId is { } queued && queued != run.Id)
                {
                    await ResolveAsync(run, RunState.Skipped, "previous run still active and a slot is already queued (overlap: queue)", now, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    job.QueuedRunId = run.Id;
                }

                return false;
            case OverlapPolicy.Replace:
                foreach (var active in _supervisor.ActiveFor(job.Name))
                {
                    active.RequestEnd(RunState.Cancelled, $"replaced by the run of slot {Iso.Format(run.Slot)} (overlap: replace)");
                }

                return false;
            default:
                await ResolveAsync(run, RunState.Skipped, "previous run still active", now, cancellationToken).ConfigureAwait(false);
                return false;
        }
    }

    private async Task<bool> ResolveAsync(RunRecord run, RunState state, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var resolved = await _store.ResolvePendingAsync(run.Id, state, reason, now, cancellationToken).ConfigureAwait(false);
        _resolved++;
        _settled?.Add(run.Id);
        if (resolved)
        {
            Telemetry.VigilMetrics.RunEnded(run.Job, state);
        }

        return resolved;
    }
}
