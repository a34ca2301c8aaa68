using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Planning;
using Vigil.Scheduling;

namespace Vigil.Engine;

/// <summary>Loading jobs and materializing their due slots.</summary>
public sealed partial class VigilEngine
{
    private const int InsertChunk = 1024;

    private async Task LoadJobsAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.ListJobsAsync(includeRemoved: false, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in stored)
        {
            seen.Add(job.Name);
            _jobs.TryGetValue(job.Name, out var existing);
            if (existing is not null && existing.Stored == job)
            {
                continue;
            }

            JobDefinition definition;
            Schedule schedule;
            try
            {
                definition = JobCodec.Deserialize(job.Definition);
                // An every-grid without an anchor is anchored at the job's creation, on a whole second.
                var anchor = definition.Anchor ?? job.CreatedAt.AddTicks(-(job.CreatedAt.UtcTicks % TimeSpan.TicksPerSecond));
                schedule = Schedule.Parse(definition.Schedule, TimeZones.Find(definition.TimeZone), anchor);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or System.Text.Json.JsonException or NullReferenceException)
            {
                Log.InvalidJob(_logger, job.Name, e.Message);
                _jobs.Remove(job.Name);
                continue;
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
                var last = await _store.GetLastSlotAsync(job.Name, cancellationToken).ConfigureAwait(false);
                runtime.Cursor = last ?? job.CreatedAt.AddTicks(-1);
            }

            _jobs[job.Name] = runtime;
            Enqueue(runtime);
        }

        foreach (var name in _jobs.Keys.Where(n => !seen.Contains(n)).ToList())
        {
            _jobs.Remove(name);
        }

        Log.JobsLoaded(_logger, _jobs.Count, _jobs.Values.Count(j => j.IsActive));
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
    private async Task PlanDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
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

            if (slots.Count > 0)
            {
                _decisions.Clear();
                CatchUpPlanner.Decide(slots, job.Policies, job.Grace, now, _incarnation!.StartedAt, _decisions);
                await InsertDecisionsAsync(job, now, cancellationToken).ConfigureAwait(false);
                job.Cursor = slots[^1];
            }

            Enqueue(job);
        }
    }

    private async Task InsertDecisionsAsync(JobRuntime job, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var inserts = new List<Task<long?>>(Math.Min(_decisions.Count, InsertChunk));
        foreach (var decision in _decisions)
        {
            inserts.Add(_store.InsertRunAsync(
                new NewRun
                {
                    Job = job.Name,
                    Slot = decision.Slot,
                    State = decision.State,
                    Reason = decision.Reason,
                    Trigger = decision.Trigger,
                    Session = job.Policies.Session,
                },
                now,
                cancellationToken));
            if (inserts.Count == InsertChunk)
            {
                await Task.WhenAll(inserts).ConfigureAwait(false);
                inserts.Clear();
            }
        }

        await Task.WhenAll(inserts).ConfigureAwait(false);
    }
}
