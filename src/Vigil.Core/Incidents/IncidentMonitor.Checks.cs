using System.Globalization;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Incidents;

/// <summary>The periodic checks: conditions that are states of the ledger, not events.</summary>
internal sealed partial class IncidentMonitor
{
    private const int PendingScan = 1000;

    /// <summary>Active jobs by the earliest instant each could be past due (see <see cref="FindPastDueAsync"/>).</summary>
    private readonly PriorityQueue<IMonitoredJob, long> _pastDueWatch = new();

    /// <summary>The job set <see cref="_pastDueWatch"/> was built from.</summary>
    private IReadOnlyDictionary<string, IMonitoredJob>? _watchedJobs;

    /// <summary>Runs every periodic check once.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var open = await _store.ListIncidentsAsync(
            new IncidentQuery { States = [IncidentState.Open, IncidentState.Acknowledged], Limit = int.MaxValue },
            cancellationToken).ConfigureAwait(false);
        var openKeys = open.Select(i => (i.Job, i.Kind)).ToHashSet();
        var changes = new List<IncidentChange>();

        var pastDue = await FindPastDueAsync(now, cancellationToken).ConfigureAwait(false);
        Reconcile(IncidentKind.PastDue, pastDue, openKeys, open, "the slot has a run now, or the job is no longer active", changes);
        var silent = await FindSilentAsync(now, cancellationToken).ConfigureAwait(false);
        Reconcile(IncidentKind.Silence, silent, openKeys, open, "the job succeeded, or is no longer active or watched", changes);

        if (_crashLoopMayBeOpen && _incarnation is { } me && now - me.StartedAt >= _options.CrashLoopWindow)
        {
            changes.Add(new IncidentResolution
            {
                Kind = IncidentKind.CrashLoop,
                Reason = Invariant($"incarnation {me.Id} up for {Duration.Format(_options.CrashLoopWindow)}"),
            });
            _crashLoopMayBeOpen = false;
        }

        // A stall whose own report failed (the ledger was the stall) is recorded now; one still being
        // reported is left to that report, and its resolution to a later check.
        string? unrecorded;
        bool reporting;
        lock (_stallGate)
        {
            reporting = !_stallReport.IsCompleted;
            unrecorded = reporting ? null : _unrecordedStall;
        }

        if (unrecorded is not null)
        {
            changes.Add(StallOccurrence(unrecorded));
        }

        if ((_stallMayBeOpen || unrecorded is not null)
            && CurrentStall() is null
            && (unrecorded is not null || openKeys.Contains((null, IncidentKind.SchedulerStalled))))
        {
            changes.Add(new IncidentResolution { Kind = IncidentKind.SchedulerStalled, Reason = "every loop is making progress" });
        }

        var stallMayHaveBeenOpen = _stallMayBeOpen;
        _stallMayBeOpen = reporting;
        if (changes.Count > 0)
        {
            try
            {
                await ApplyAsync(new IncidentBatch { Changes = changes }, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                _stallMayBeOpen |= stallMayHaveBeenOpen;
                throw;
            }
        }

        if (unrecorded is not null)
        {
            StallRecorded(unrecorded);
        }

        if (_options.RemindEvery is { } every
            && await _store.EnqueueAlertRemindersAsync(every, now, cancellationToken).ConfigureAwait(false) > 0)
        {
            _noticesQueued();
        }
    }

    /// <summary>Called when the watchdog declared a stall over: the next check may resolve its incident.</summary>
    public void StallEnded() => _stallMayBeOpen = true;

    /// <summary>
    /// Active jobs with a slot due for longer than max(grace, 2 × period) that has not started: either
    /// no row at all (the planner did not materialize it) or a row still pending (nothing started it).
    /// </summary>
    /// <remarks>
    /// <para>Each job's latest slot row is read from the ledger, never taken from the planner: a
    /// stuck planner is what this check exists for. But not every job at every check: a job is kept
    /// in a heap under the earliest instant it could become past due, given the latest slot last
    /// read (its next occurrence + the threshold). Slots are only ever added, so a later row can
    /// only push that instant further: until it comes, the job cannot be past due and is not read.
    /// A million hourly jobs cost a read of each about once an hour, not a million reads per check.
    /// A job found past due is read again at every check, until it is not.</para>
    /// <para>A new set of jobs (a reload) starts the heap over: every active job is read once.</para>
    /// </remarks>
    private async Task<Dictionary<string, string>> FindPastDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jobs = _jobs;
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!ReferenceEquals(jobs, _watchedJobs))
        {
            _pastDueWatch.Clear();
            foreach (var job in jobs.Values)
            {
                if (job.IsActive)
                {
                    _pastDueWatch.Enqueue(job, long.MinValue);
                }
            }

            _watchedJobs = jobs;
        }

        var toRead = new List<IMonitoredJob>();
        while (_pastDueWatch.TryPeek(out var job, out var ticks) && ticks <= now.UtcTicks)
        {
            _pastDueWatch.Dequeue();
            toRead.Add(job);
        }

        if (toRead.Count > 0)
        {
            IReadOnlyDictionary<string, DateTimeOffset> lastSlots;
            try
            {
                lastSlots = await _store.GetLastSlotsAsync([.. toRead.Select(j => j.Name)], cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                foreach (var job in toRead)
                {
                    _pastDueWatch.Enqueue(job, long.MinValue);
                }

                throw;
            }

            foreach (var job in toRead)
            {
                var cursor = lastSlots.TryGetValue(job.Name, out var last) ? last : job.CreatedAt;
                if (job.Schedule.GetNextOccurrence(cursor) is not { } next)
                {
                    continue;
                }

                var pastDueAt = next + job.PastDueAfter();
                if (pastDueAt <= now)
                {
                    found[job.Name] = Invariant($"slot {Iso.Format(next)} has no run {Duration.Format(Whole(now - next))} after it was due (past due after {Duration.Format(job.PastDueAfter())})");
                    _pastDueWatch.Enqueue(job, long.MinValue);
                }
                else
                {
                    _pastDueWatch.Enqueue(job, pastDueAt.UtcTicks);
                }
            }
        }

        var pending = await _store.ListPendingAsync(now, PendingScan, cancellationToken).ConfigureAwait(false);
        foreach (var run in pending)
        {
            if (run.Trigger == RunTrigger.Manual || found.ContainsKey(run.Job) || !jobs.TryGetValue(run.Job, out var job) || !job.IsActive)
            {
                continue;
            }

            var due = run.NotBefore is { } notBefore && notBefore > run.Slot ? notBefore : run.Slot;
            if (due + job.PastDueAfter() <= now)
            {
                found[run.Job] = Invariant($"slot {Iso.Format(run.Slot)} (run {run.Id}) is still pending {Duration.Format(Whole(now - due))} after it was due (past due after {Duration.Format(job.PastDueAfter())})");
            }
        }

        return found;
    }

    /// <summary>Active jobs with <c>expect.max_silence</c> and no success for that long (or since their creation).</summary>
    private async Task<Dictionary<string, string>> FindSilentAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var watched = _jobs.Values.Where(j => j.IsActive && j.Policies.Expect.MaxSilence is not null).ToList();
        if (watched.Count == 0)
        {
            return found;
        }

        var health = await _store.GetJobHealthAsync([.. watched.Select(j => j.Name)], cancellationToken).ConfigureAwait(false);
        foreach (var job in watched)
        {
            var limit = job.Policies.Expect.MaxSilence!.Value;
            var since = health.TryGetValue(job.Name, out var h) && h.LastSuccessAt is { } success ? success : job.CreatedAt;
            if (since + limit <= now)
            {
                var what = h?.LastSuccessAt is null ? "no success since the job was created at " : "no success since ";
                found[job.Name] = Invariant($"{what}{Iso.Format(since)} (expect.max_silence: {Duration.Format(limit)})");
            }
        }

        return found;
    }

    private async Task CheckCrashLoopAsync(CancellationToken cancellationToken)
    {
        var me = _incarnation!;
        var recent = await _store.ListIncarnationsAsync(_node, me.StartedAt - _options.CrashLoopWindow, cancellationToken).ConfigureAwait(false);
        var unclean = 1;
        foreach (var earlier in recent.Where(r => r.Incarnation.Id != me.Id).OrderByDescending(r => r.Incarnation.Id))
        {
            if (earlier.CleanStop)
            {
                break;
            }

            unclean++;
        }

        var open = await _store.ListIncidentsAsync(
            new IncidentQuery { Kind = IncidentKind.CrashLoop, States = [IncidentState.Open, IncidentState.Acknowledged], Limit = 1 },
            cancellationToken).ConfigureAwait(false);
        _crashLoopMayBeOpen = open.Count > 0;
        if (unclean >= _options.CrashLoopIncarnations)
        {
            await ReportAsync(
                new IncidentOccurrence
                {
                    Kind = IncidentKind.CrashLoop,
                    Node = _node,
                    Detail = Invariant($"{unclean} incarnations of node {_node} within {Duration.Format(_options.CrashLoopWindow)} without a clean stop (latest: {me.Id}, pid {me.Pid})"),
                },
                cancellationToken).ConfigureAwait(false);
            _crashLoopMayBeOpen = true;
        }
    }

    /// <summary>Opens what is detected and not open; resolves what is open and no longer detected.</summary>
    private static void Reconcile(
        IncidentKind kind,
        Dictionary<string, string> detected,
        HashSet<(string? Job, IncidentKind Kind)> openKeys,
        IReadOnlyList<IncidentRecord> open,
        string reason,
        List<IncidentChange> changes)
    {
        foreach (var (job, detail) in detected)
        {
            if (!openKeys.Contains((job, kind)))
            {
                changes.Add(new IncidentOccurrence { Job = job, Kind = kind, Detail = detail, Counts = false });
            }
        }

        foreach (var incident in open.Where(i => i.Kind == kind && i.Job is not null && !detected.ContainsKey(i.Job)))
        {
            changes.Add(new IncidentResolution { Job = incident.Job, Kind = kind, Reason = reason });
        }
    }

    private static TimeSpan Whole(TimeSpan span) => TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
