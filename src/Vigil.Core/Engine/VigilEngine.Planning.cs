using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>Loading jobs and materializing their due slots.</summary>
public sealed partial class VigilEngine
{
    private const int InsertChunk = 1024;

    /// <summary>From this many runs starting on one instant, the last millisecond before it is spun.</summary>
    private const int SpinForBurst = 16;

    /// <summary>How much earlier than a lone run's instant its timer is asked for (the rest is spun).</summary>
    private const double LoneRunEarlyMilliseconds = 0.6;

    /// <summary>Jobs read from the ledger per page.</summary>
    /// <remarks>
    /// Small enough that a page's arrays (its rows, the names of the cursor query) stay off the
    /// large-object heap, which only full collections reclaim.
    /// </remarks>
    private const int JobPage = 512;

    /// <summary>Above this many new jobs in one page, their cursors are read with one query instead of one each.</summary>
    private const int BulkCursorThreshold = 16;

    private readonly List<(JobRuntime Job, DateTimeOffset LastSlot)> _planned = [];
    private readonly List<NewRun> _newRuns = [];
    private readonly List<PlannedClaim> _claims = [];

    /// <summary>Jobs with a pending row the last start pass left waiting: their slots are not claimed on insert.</summary>
    private readonly HashSet<string> _pendingJobs = new(StringComparer.Ordinal);

    /// <summary>The last start pass read a full page: pending rows beyond it are unknown, so nothing is claimed on insert.</summary>
    private bool _pendingBeyondPage;

    /// <summary>Reads the job table page by page and (re)builds the runtime of every new or changed job.</summary>
    /// <remarks>
    /// <para>Paged so that a million definitions are never held at once; parts common to many
    /// definitions are shared (<see cref="DefinitionPool"/>); the cursors of many new jobs are read
    /// with one query per page.</para>
    /// <para>Two stages: a task reads and decodes the pages (<see cref="DecodePagesAsync"/>) while
    /// this loop parses schedules, reads cursors and builds the runtimes of the page before. The
    /// halves cost about the same, so on two cores a large job table loads in about half the time.
    /// Only this loop touches <see cref="_jobs"/>; the decoder sees a copy taken before it starts.</para>
    /// </remarks>
    private async Task LoadJobsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var pool = new DefinitionPool();

        // On the first load (nothing to remove, nothing unchanged) neither names nor a copy are needed.
        var seen = _jobs.Count == 0 ? null : new HashSet<string>(StringComparer.Ordinal);
        var loaded = _jobs.Count == 0 ? null : new Dictionary<string, JobRuntime>(_jobs, StringComparer.Ordinal);
        var pages = System.Threading.Channels.Channel.CreateBounded<List<DecodedJob>>(
            new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decoder = Task.Run(() => DecodePagesAsync(pages.Writer, pool, loaded, stop.Token), CancellationToken.None);
        var newNames = new List<string>();
        try
        {
            await foreach (var page in pages.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                newNames.Clear();
                foreach (var job in page)
                {
                    if (!job.Unchanged && !_jobs.ContainsKey(job.Row.Name))
                    {
                        newNames.Add(job.Row.Name);
                    }
                }

                var lastSlots = newNames.Count > BulkCursorThreshold
                    ? await _store.GetLastSlotsAsync(newNames, cancellationToken).ConfigureAwait(false)
                    : null;
                foreach (var job in page)
                {
                    seen?.Add(job.Row.Name);
                    if (!job.Unchanged)
                    {
                        await LoadJobAsync(job, pool, lastSlots, now, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            // Stops the decoder when this loop failed; its own failure, if any, surfaces here.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await decoder.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        if (seen is not null && seen.Count != _jobs.Count)
        {
            foreach (var name in _jobs.Keys.Where(n => !seen.Contains(n)).ToList())
            {
                _jobs.Remove(name);
            }
        }

        // A copy of the map (the planner keeps changing its own), sharing the job objects.
        var published = new Dictionary<string, Incidents.IMonitoredJob>(_jobs.Count, StringComparer.Ordinal);
        foreach (var (name, job) in _jobs)
        {
            published[name] = job;
        }

        _monitor.Publish(published);
        if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            Log.JobsLoaded(_logger, _jobs.Count, _jobs.Values.Count(j => j.IsActive));
        }
    }

    /// <summary>
    /// The loader's first stage: reads the job table page by page and decodes every definition that
    /// is not already loaded as it is (<paramref name="loaded"/>), handing each page on.
    /// </summary>
    private async Task DecodePagesAsync(
        System.Threading.Channels.ChannelWriter<List<DecodedJob>> pages,
        DefinitionPool pool,
        Dictionary<string, JobRuntime>? loaded,
        CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            string? after = null;
            while (true)
            {
                var rows = await _store.ListJobsPageAsync(after, JobPage, includeRemoved: false, cancellationToken).ConfigureAwait(false);
                if (rows.Count == 0)
                {
                    break;
                }

                after = rows[^1].Name;
                var page = new List<DecodedJob>(rows.Count);
                foreach (var row in rows)
                {
                    page.Add(loaded is not null && loaded.TryGetValue(row.Name, out var existing) && existing.IsBuiltFrom(row)
                        ? new DecodedJob(row, null, null, Unchanged: true)
                        : Decode(row, pool));
                }

                await pages.WriteAsync(page, cancellationToken).ConfigureAwait(false);
                if (rows.Count < JobPage)
                {
                    break;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            pages.TryComplete(failure);
        }
    }

    private static DecodedJob Decode(JobRow row, DefinitionPool pool)
    {
        try
        {
            return new DecodedJob(row, pool.Decode(row.Definition.Span, row.Name), null, Unchanged: false);
        }
        catch (Exception e) when (IsDefinitionError(e))
        {
            return new DecodedJob(row, null, e.Message, Unchanged: false);
        }
    }

    private static bool IsDefinitionError(Exception e) =>
        e is FormatException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException or NullReferenceException;

    private async Task LoadJobAsync(DecodedJob decoded, DefinitionPool pool, IReadOnlyDictionary<string, DateTimeOffset>? lastSlots, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var job = decoded.Row;
        _jobs.TryGetValue(job.Name, out var existing);
        Schedule schedule;
        try
        {
            if (decoded.Definition is null)
            {
                throw new FormatException(decoded.Error);
            }

            schedule = pool.ScheduleOf(decoded.Definition, job.CreatedAt);
        }
        catch (Exception e) when (IsDefinitionError(e))
        {
            Log.InvalidJob(_logger, job.Name, e.Message);
            _jobs.Remove(job.Name);
            return;
        }

        var runtime = new JobRuntime(job, decoded.Definition, schedule) { Version = (existing?.Version ?? 0) + 1 };
        if (existing is not null)
        {
            // A job coming back from pause plans from now: its paused time is not downtime.
            runtime.Cursor = !existing.IsActive && runtime.IsActive ? now : existing.Cursor;
            runtime.QueuedRunId = existing.QueuedRunId;
        }
        else
        {
            var last = lastSlots is not null
                ? (lastSlots.TryGetValue(job.Name, out var slot) ? slot : null)
                : await _store.GetLastSlotAsync(job.Name, cancellationToken).ConfigureAwait(false);
            runtime.Cursor = last ?? job.CreatedAt;
        }

        _jobs[job.Name] = runtime;
        Enqueue(runtime);
    }

    /// <summary>A job row as the loader's first stage hands it on: decoded, undecodable (with why), or unchanged.</summary>
    private readonly record struct DecodedJob(JobRow Row, JobDefinition? Definition, string? Error, bool Unchanged);

    private void Enqueue(JobRuntime job)
    {
        if (!job.IsActive)
        {
            job.NextDue = null;
            return;
        }

        job.NextDue = job.Schedule.GetNextOccurrence(job.Cursor);
        if (job.NextDue is { } next)
        {
            _due.Enqueue((job, job.Version), next.UtcTicks);
        }
    }

    /// <summary>
    /// Materializes every slot that is due, or due within <see cref="EngineOptions.FireLead"/>: a
    /// run claimed on insert and started on its instant, a pending row to run, or a missed row with
    /// its reason.
    /// </summary>
    /// <remarks>
    /// <para>The rows of every job due in this pass are written together (one group commit for a
    /// thousand jobs due on the same second, not one commit each); each job's cursor moves only once
    /// its rows are committed. If a write fails, the jobs go back on the heap unchanged and the next
    /// pass plans the same slots again (inserting a slot twice is a no-op).</para>
    /// <para>A scheduled slot whose start nothing can hold back (<see cref="CanClaimOnInsert"/>) is
    /// inserted as running, owned by this incarnation: one write instead of insert then claim, and
    /// it may be written ahead of its instant, so that its action starts on the instant rather than
    /// after the burst's writes. Any other slot coming due within the lead is written pending with
    /// <c>not_before</c> at its instant, and started then by the usual gating.</para>
    /// </remarks>
    private async Task PlanDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _planned.Clear();
        _newRuns.Clear();
        _claims.Clear();
        var horizon = now + _options.FireLead;
        var capacity = _options.MaxConcurrentRuns - _supervisor.Count;
        var slots = new List<DateTimeOffset>();
        while (_due.TryPeek(out var entry, out var dueTicks) && dueTicks <= horizon.UtcTicks)
        {
            _due.Dequeue();
            var job = entry.Job;
            if (!_jobs.TryGetValue(job.Name, out var current) || !ReferenceEquals(current, job) || job.Version != entry.Version || !job.IsActive)
            {
                continue;
            }

            if (dueTicks > now.UtcTicks)
            {
                // Ahead of its instant: only the next slot, which cannot be late.
                var slot = new DateTimeOffset(dueTicks, TimeSpan.Zero);
                var ahead = new NewRun { Job = job.Name, Slot = slot, Session = job.Policies.Session };
                if (capacity > 0 && CanClaimOnInsert(job))
                {
                    _claims.Add(new PlannedClaim(ahead, job));
                    capacity--;
                }
                else
                {
                    _newRuns.Add(ahead with { NotBefore = slot });
                }

                _planned.Add((job, slot));
                continue;
            }

            slots.Clear();
            foreach (var slot in job.Schedule.GetOccurrences(job.Cursor.AddTicks(1), now.AddTicks(1)))
            {
                slots.Add(slot);
            }

            if (slots.Count == 0)
            {
                Enqueue(job);
                continue;
            }

            _decisions.Clear();
            CatchUpPlanner.Decide(slots, job.Policies, job.Grace, now, _incarnation!.StartedAt, _decisions);
            var claimed = false;
            foreach (var decision in _decisions)
            {
                var run = new NewRun
                {
                    Job = job.Name,
                    Slot = decision.Slot,
                    State = decision.State,
                    Reason = decision.Reason,
                    Trigger = decision.Trigger,
                    Session = job.Policies.Session,
                };
                if (!claimed && capacity > 0 && decision.State == RunState.Pending && decision.Trigger == RunTrigger.Schedule && CanClaimOnInsert(job))
                {
                    _claims.Add(new PlannedClaim(run, job));
                    capacity--;
                    claimed = true;
                }
                else
                {
                    _newRuns.Add(run);
                }
            }

            _planned.Add((job, slots[^1]));
        }

        if (_planned.Count == 0)
        {
            return;
        }

        var claimAt = _time.GetUtcNow();
        var inserts = InsertAllAsync(now, cancellationToken);
        var claims = new Task<InsertClaimResult>[_claims.Count];
        for (var i = 0; i < claims.Length; i++)
        {
            var (run, job) = _claims[i];
            var startAt = run.Slot > claimAt ? run.Slot : claimAt;
            claims[i] = _store.InsertClaimedAsync(run, _incarnation!, startAt, startAt + job.Policies.Timeout, claimAt, CancellationToken.None);
        }

        Exception? failure = null;
        try
        {
            await inserts.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Rethrown below, once the committed claims have started.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }

        // A claim that committed must be followed by its start, whatever else failed: a run marked
        // running that nobody supervises would never be finished (G3).
        try
        {
            await Task.WhenAll(claims).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Each claim's outcome is examined in StartClaimedAsync.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var (firstFailure, leaseLost) = await StartClaimedAsync(claims, claimAt, failure).ConfigureAwait(false);
        if (firstFailure is not null || leaseLost)
        {
            foreach (var (job, _) in _planned)
            {
                Enqueue(job);
            }

            if (leaseLost)
            {
                throw new LeaseLostException();
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(firstFailure!);
        }

        foreach (var (job, lastSlot) in _planned)
        {
            job.Cursor = lastSlot;
            Enqueue(job);
        }
    }

    /// <summary>
    /// Whether a scheduled slot of <paramref name="job"/> may be claimed as it is inserted: nothing
    /// that the usual start path checks could hold it back. No <c>after:</c> upstream or session
    /// (those are the ledger's to decide), no run of the job active or queued, no pending row of the
    /// job seen waiting, and no drain.
    /// </summary>
    private bool CanClaimOnInsert(JobRuntime job) =>
        !_draining
        && job.Policies.After.Count == 0
        && job.Policies.Session is null
        && job.QueuedRunId is null
        && _supervisor.CountFor(job.Name) == 0
        && !_pendingBeyondPage
        && !_pendingJobs.Contains(job.Name);

    /// <summary>
    /// Starts the runs claimed on insert, each on its instant (never before its slot), in the order
    /// of their instants. Returns the first failure and whether the lease was lost.
    /// </summary>
    private async Task<(Exception? Failure, bool LeaseLost)> StartClaimedAsync(Task<InsertClaimResult>[] claims, DateTimeOffset claimAt, Exception? failure)
    {
        var leaseLost = false;
        var started = new List<(RunRecord Run, JobRuntime Job, DateTimeOffset StartAt)>(claims.Length);
        for (var i = 0; i < claims.Length; i++)
        {
            if (!claims[i].IsCompletedSuccessfully)
            {
                failure ??= claims[i].Exception?.InnerException ?? new OperationCanceledException();
                continue;
            }

            var (run, job) = _claims[i];
            var result = claims[i].Result;
            switch (result.Result)
            {
                case ClaimResult.Claimed:
                    var startAt = run.Slot > claimAt ? run.Slot : claimAt;
                    started.Add((
                        new RunRecord
                        {
                            Id = result.RunId,
                            Job = run.Job,
                            Slot = run.Slot,
                            Attempt = run.Attempt,
                            State = RunState.Running,
                            Trigger = run.Trigger,
                            CreatedAt = claimAt,
                            StartedAt = startAt,
                            Deadline = startAt + job.Policies.Timeout,
                            Session = run.Session,
                            IncarnationId = _incarnation!.Id,
                            Node = _incarnation.Node,
                        },
                        job,
                        startAt));
                    break;
                case ClaimResult.LeaseLost:
                    leaseLost = true;
                    break;
                default:
                    // The slot has a row already (an earlier pass or incarnation wrote it): the
                    // start path takes it from there.
                    break;
            }
        }

        started.Sort((a, b) => a.StartAt.CompareTo(b.StartAt));
        var burst = new List<(RunRecord Run, JobRuntime Job)>();
        for (var i = 0; i < started.Count;)
        {
            var startAt = started[i].StartAt;
            burst.Clear();
            for (; i < started.Count && started[i].StartAt == startAt; i++)
            {
                burst.Add((started[i].Run, started[i].Job));
            }

            // Committed, so not cancellable: a stop waits the few milliseconds of the lead. A burst
            // spins its last millisecond rather than trust a timer that fires up to a millisecond
            // late; a lone run is not worth a millisecond of a core.
            var prepared = _supervisor.Prepare([.. burst]);
            await WaitUntilAsync(startAt, burst.Count >= SpinForBurst ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero).ConfigureAwait(false);
            _supervisor.Launch(prepared);
            var lateness = _time.GetUtcNow() - startAt;
            foreach (var (run, _) in burst)
            {
                Telemetry.VigilMetrics.Started(run.Job, lateness + (startAt - run.Slot));
            }
        }

        return (failure, leaseLost);
    }

    /// <summary>
    /// Waits until the clock reads <paramref name="instant"/> or later: a timer until
    /// <paramref name="spin"/> before it, then spinning. A timer may also fire a fraction of a
    /// millisecond before its due time by the wall clock; that rest is spun too, never started early.
    /// </summary>
    private async Task WaitUntilAsync(DateTimeOffset instant, TimeSpan spin)
    {
        // Timers count whole milliseconds and drop the fraction, then fire a fraction of a
        // millisecond late. A burst spins its last millisecond anyway. A lone run asks for the
        // wait rounded up from a little less than it, so the timer lands about on the instant and
        // little is left to spin: truncated, a run every millisecond would spin most of a core.
        var wait = instant - spin - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            var milliseconds = spin > TimeSpan.Zero
                ? Math.Floor(wait.TotalMilliseconds)
                : Math.Ceiling(wait.TotalMilliseconds - LoneRunEarlyMilliseconds);
            if (milliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(milliseconds), _time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var spinner = new SpinWait();
        while (_time.GetUtcNow() < instant)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private async Task InsertAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserts = new List<Task<long?>>(Math.Min(_newRuns.Count, InsertChunk));
        foreach (var run in _newRuns)
        {
            inserts.Add(_store.InsertRunAsync(run, now, cancellationToken));
            if (inserts.Count == InsertChunk)
            {
                await Task.WhenAll(inserts).ConfigureAwait(false);
                inserts.Clear();
            }
        }

        await Task.WhenAll(inserts).ConfigureAwait(false);
        foreach (var run in _newRuns)
        {
            if (run.State != RunState.Pending)
            {
                Telemetry.VigilMetrics.RunEnded(run.Job, run.State);
            }
        }
    }

    /// <summary>A slot to claim on insert, with its job.</summary>
    private readonly record struct PlannedClaim(NewRun Run, JobRuntime Job);
}
