using System.Text.Json;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Operations;

/// <summary>
/// Every job an operator should see: the ledger's jobs (removed ones included) plus the jobs the
/// config declares that the daemon has not applied yet, each marked with how the config differs.
/// </summary>
/// <remarks>
/// Read-only: the comparison is <see cref="JobReconciler.Plan"/>, the same one the daemon applies,
/// so the listing says what the next start or reload will do without doing it.
/// </remarks>
internal static class JobCatalog
{
    /// <summary>All jobs, ordered by name.</summary>
    public static async Task<List<JobView>> ListAsync(OperatorLedger ledger, CancellationToken cancellationToken)
    {
        var stored = await ledger.Store.ListJobsAsync(includeRemoved: true, cancellationToken).ConfigureAwait(false);
        var lastRuns = await ledger.Store.GetLastRunsAsync(cancellationToken).ConfigureAwait(false);
        var plan = JobReconciler.Plan(ledger.Config.Jobs, stored);
        var now = ledger.Now;

        var added = plan.Added.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var pending = new Dictionary<string, (ConfigPending Kind, IReadOnlyList<string> Fields)>(StringComparer.Ordinal);
        foreach (var change in plan.Changed)
        {
            pending[change.Declared.Name] = (ConfigPending.Change, change.Fields);
        }

        foreach (var conflict in plan.Conflicts)
        {
            pending[conflict.Declared.Name] = (ConfigPending.Replace, []);
        }

        foreach (var removed in plan.Removed)
        {
            pending[removed.Name] = (ConfigPending.Remove, []);
        }

        var views = new List<JobView>(stored.Count + added.Count);
        foreach (var job in stored)
        {
            lastRuns.TryGetValue(job.Name, out var lastRun);
            if (added.Remove(job.Name, out var declared))
            {
                // Removed in the ledger and declared again: the daemon brings it back, with its history.
                views.Add(FromConfig(declared, job, lastRun, now));
                continue;
            }

            pending.TryGetValue(job.Name, out var difference);
            views.Add(FromLedger(job, difference.Kind, difference.Fields ?? [], lastRun, now));
        }

        foreach (var declared in added.Values)
        {
            views.Add(FromConfig(declared, stored: null, lastRun: null, now));
        }

        views.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return views;
    }

    /// <summary>One job by name (a config job not applied yet included), or a usage error.</summary>
    public static async Task<JobView> FindAsync(OperatorLedger ledger, string name, CancellationToken cancellationToken)
    {
        var views = await ListAsync(ledger, cancellationToken).ConfigureAwait(false);
        return views.Find(v => v.Name == name) ?? throw OperationException.NoJob(name);
    }

    /// <summary>The next <paramref name="count"/> slots of an active job after <paramref name="now"/>; none for a paused, removed or unreadable one.</summary>
    public static List<DateTimeOffset> NextSlots(JobView job, DateTimeOffset now, int count)
    {
        var slots = new List<DateTimeOffset>(count);
        if (!job.Active || job.Schedule is not { } schedule)
        {
            return slots;
        }

        var cursor = now;
        while (slots.Count < count && schedule.GetNextOccurrence(cursor) is { } next)
        {
            slots.Add(next);
            cursor = next;
        }

        return slots;
    }

    /// <summary>
    /// The schedule of a definition as the engine builds it: its zone, and an <c>every</c> grid
    /// anchored at the definition's anchor or else the job's creation, on a whole second.
    /// </summary>
    public static bool TryBuildSchedule(JobDefinition definition, DateTimeOffset createdAt, out Schedule? schedule, out string? error)
    {
        schedule = null;
        if (!TimeZones.TryFind(definition.TimeZone, out var zone, out error))
        {
            return false;
        }

        var anchor = definition.Anchor ?? WholeSecond(createdAt);
        return Schedule.TryParse(definition.Schedule, zone, out schedule, out error, anchor);
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset instant) =>
        new(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static JobView FromLedger(StoredJob job, ConfigPending pending, IReadOnlyList<string> fields, RunRecord? lastRun, DateTimeOffset now)
    {
        JobDefinition definition;
        try
        {
            definition = JobCodec.Deserialize(job.Definition);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            return new JobView
            {
                Name = job.Name,
                Stored = job,
                Source = job.Source,
                Problem = $"the stored definition cannot be read: {e.Message}",
                Pending = pending,
                PendingFields = fields,
                LastRun = lastRun,
            };
        }

        return Complete(
            new JobView
            {
                Name = job.Name,
                Stored = job,
                Definition = definition,
                Source = job.Source,
                Pending = pending,
                PendingFields = fields,
                LastRun = lastRun,
            },
            job.CreatedAt,
            now);
    }

    /// <remarks>
    /// The daemon will create the job (and anchor an <c>every</c> grid) when it applies the config;
    /// until then the preview anchors at now.
    /// </remarks>
    private static JobView FromConfig(JobDefinition declared, StoredJob? stored, RunRecord? lastRun, DateTimeOffset now) =>
        Complete(
            new JobView
            {
                Name = declared.Name,
                Stored = stored,
                Definition = declared,
                Source = JobSource.Config,
                Pending = ConfigPending.Add,
                LastRun = lastRun,
            },
            now,
            now);

    /// <summary>Parses the schedule and works out the next slot.</summary>
    private static JobView Complete(JobView view, DateTimeOffset createdAt, DateTimeOffset now)
    {
        if (!TryBuildSchedule(view.Definition!, createdAt, out var schedule, out var error))
        {
            return view with { Problem = error };
        }

        view = view with { Schedule = schedule };
        return view.Active ? view with { NextSlot = schedule!.GetNextOccurrence(now) } : view;
    }
}
