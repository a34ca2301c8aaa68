using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>Loading jobs and materializing their due slots.</summary>
public sealed partial class VigilEngine
{
    private const int InsertChunk = 1024;

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

    /// <summary>Reads the job table page by page and (re)builds the runtime of every new or changed job.</summary>
    /// <remarks>
    /// Paged so that a million definitions are never held at once; parts common to many definitions
    /// are shared (<see cref="DefinitionPool"/>); the cursors of many new jobs are read with one query
    /// per page.
    /// </remarks>
    private async Task LoadJobsAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var pool = new DefinitionPool();

        // On the first load (nothing to remove) the names need not be collected.
        var seen = _jobs.Count == 0 ? null : new HashSet<string>(StringComparer.Ordinal);
        var newNames = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await _store.ListJobsPageAsync(after, JobPage, includeRemoved: false, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            after = page[^1].Name;
            newNames.Clear();
            foreach (var job in page)
            {
                if (!_jobs.ContainsKey(job.Name))
                {
                    newNames.Add(job.Name);
                }
            }

            var lastSlots = newNames.Count > BulkCursorThreshold
                ? await _store.GetLastSlotsAsync(newNames, cancellationToken).ConfigureAwait(false)
                : null;
            foreach (var job in page)
            {
                seen?.Add(job.Name);
                await LoadJobAsync(job, pool, lastSlots, now, cancellationToken).ConfigureAwait(false);
            }

            if (page.Count < JobPage)
            {
                break;
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

    private async Task LoadJobAsync(JobRow job, DefinitionPool pool, IReadOnlyDictionary<string, DateTimeOffset>? lastSlots, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _jobs.TryGetValue(job.Name, out var existing);
        if (existing is not null && existing.IsBuiltFrom(job))
        {
            return;
        }

        JobDefinition definition;
        Schedule schedule;
        try
        {
            definition = pool.Decode(job.Definition.Span, job.Name);
            schedule = pool.ScheduleOf(definition, job.CreatedAt);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException or NullReferenceException)
        {
            Log.InvalidJob(_logger, job.Name, e.Message);
            _jobs.Remove(job.Name);
            return;
        }

        var runtime = new JobRuntime(job, definition, schedule) { Version = (existing?.Version ?? 0) + 1 };
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

    /// <summary>Materializes every slot that is due: a pending row to run, or a missed row with its reason.</summary>
    /// <remarks>
    /// The rows of every job due in this pass are written together (one group commit for a thousand
    /// jobs due on the same second, not one commit each); each job's cursor moves only once its rows
    /// are committed. If the write fails, the jobs go back on the heap unchanged and the next pass
    /// plans the same slots again (inserting a slot twice is a no-op).
    /// </remarks>
    private async Task PlanDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        _planned.Clear();
        _newRuns.Clear();
        var slots = new List<DateTimeOffset>();
        while (_due.TryPeek(out var entry, out var dueTicks) && dueTicks <= now.UtcTicks)
        {
            _due.Dequeue();
            var job = entry.Job;
            if (!_jobs.TryGetValue(job.Name, out var current) || !ReferenceEquals(current, job) || job.Version != entry.Version || !job.IsActive)
            {
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
            foreach (var decision in _decisions)
            {
                _newRuns.Add(new NewRun
                {
                    Job = job.Name,
                    Slot = decision.Slot,
                    State = decision.State,
                    Reason = decision.Reason,
                    Trigger = decision.Trigger,
                    Session = job.Policies.Session,
                });
            }

            _planned.Add((job, slots[^1]));
        }

        if (_planned.Count == 0)
        {
            return;
        }

        try
        {
            await InsertAllAsync(now, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            foreach (var (job, _) in _planned)
            {
                Enqueue(job);
            }

            throw;
        }

        foreach (var (job, lastSlot) in _planned)
        {
            job.Cursor = lastSlot;
            Enqueue(job);
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
}
