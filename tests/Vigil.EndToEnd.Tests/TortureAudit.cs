using System.Globalization;
using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.EndToEnd.Tests;

/// <summary>One line of the side-effect log: an execution of (job, slot, attempt) by a process began (or, with <paramref name="End"/>, finished its work) at an instant.</summary>
internal sealed record Effect(string Job, DateTimeOffset Slot, int Attempt, int Pid, DateTimeOffset At, bool End = false);

/// <summary>What the audit counted.</summary>
internal sealed record AuditFigures
{
    public int Slots { get; init; }

    public int Rows { get; init; }

    public int Started { get; init; }

    public int Effects { get; init; }

    public IReadOnlyDictionary<string, int> ByState { get; init; } = new Dictionary<string, int>();

    public int RetryRows { get; init; }

    public int RetriesExecuted { get; init; }

    public int MaxAttempt { get; init; }

    public int PoisonGuarded { get; init; }

    /// <summary>Effects written after their attempt was recorded interrupted: a process that outlived its killed daemon.</summary>
    public int LateOrphanEffects { get; init; }

    /// <summary>Runs a later incarnation adopted (their commands outlived the daemon that started them).</summary>
    public int Adopted { get; init; }

    /// <summary>Executions that finished their work (an end line).</summary>
    public int Finished { get; init; }

    public string Integrity { get; init; } = string.Empty;
}

/// <summary>
/// Audits a ledger after the torture against G1, G2 and G4 and against the side-effect log.
/// Pure reading: rows, effects and job policies in, violations and figures out.
/// </summary>
internal sealed class TortureAudit(IReadOnlyList<TortureJob> jobs, LedgerFile ledger, IReadOnlyList<Effect> effects, TimeSpan slack)
{
    private const string ProcessDied = "process died while running";

    private readonly List<string> _violations = [];

    public IReadOnlyList<string> Violations => _violations;

    /// <summary>Parses the side-effect log; <paramref name="bootEpoch"/> turns seconds since boot into instants.</summary>
    public static List<Effect> ParseEffects(IReadOnlyList<string[]> lines, DateTimeOffset bootEpoch) =>
    [
        .. lines.Select(f => new Effect(
            f[0],
            DateTimeOffset.Parse(f[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
            int.Parse(f[2], CultureInfo.InvariantCulture),
            int.Parse(f[3], CultureInfo.InvariantCulture),
            bootEpoch + TimeSpan.FromSeconds(double.Parse(f[4], CultureInfo.InvariantCulture)),
            f.Length > 5 && f[5] == "end")),
    ];

    public AuditFigures Run()
    {
        var rows = ledger.Runs();
        var incarnations = ledger.Incarnations();
        var stored = ledger.Jobs().ToDictionary(j => j.Name);
        var policy = jobs.ToDictionary(j => j.Name);
        var attemptsBySlot = rows.GroupBy(r => (r.Job, r.Slot)).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Attempt).ToList());
        var rowByAttempt = rows.ToDictionary(r => (r.Job, r.Slot, r.Attempt));
        var lastStop = incarnations[^1];
        Check(lastStop.CleanStop, $"the last incarnation {lastStop.Id} did not stop cleanly");

        // The bound of G1: slots due up to a second before the last drain began must have rows.
        var bound = (lastStop.DrainingAt ?? lastStop.StoppedAt ?? DateTimeOffset.MaxValue) - TimeSpan.FromSeconds(1);
        var slots = 0;
        foreach (var job in jobs)
        {
            Check(stored.ContainsKey(job.Name), $"{job.Name}: not in the ledger");
            if (!stored.TryGetValue(job.Name, out var row))
            {
                continue;
            }

            var schedule = ScheduleOf(row);
            foreach (var slot in schedule.GetOccurrences(row.CreatedAt.AddTicks(1), bound))
            {
                slots++;
                Check(attemptsBySlot.ContainsKey((job.Name, slot)), $"G1: {job.Name} slot {Iso.Format(slot)} has no row");
            }

            foreach (var first in rows.Where(r => r.Job == job.Name && r.Attempt == 1))
            {
                Check(schedule.GetNextOccurrence(first.Slot.AddTicks(-1)) == first.Slot, $"{job.Name}: a row for {Iso.Format(first.Slot)}, which is not a slot of its schedule");
            }

            AuditOverlap(job, rows.Where(r => r.Job == job.Name && r.StartedAt is not null).OrderBy(r => r.StartedAt).ToList());
        }

        var poisonGuarded = 0;
        foreach (var ((job, slot), attempts) in attemptsBySlot)
        {
            poisonGuarded += AuditAttempts(policy[job], schedule: ScheduleOf(stored[job]), slot, attempts);
        }

        // A clean stop leaves nothing running: recovery never has to interrupt a run of an incarnation that stopped cleanly.
        var clean = incarnations.Where(i => i.CleanStop).Select(i => i.Id).ToHashSet();
        foreach (var recovered in rows.Where(r => r.State == "interrupted" && r.IncarnationId is { } owner && clean.Contains(owner)
            && (r.Reason?.StartsWith(ProcessDied, StringComparison.Ordinal) == true || r.Reason?.StartsWith("killed during drain", StringComparison.Ordinal) == true)))
        {
            Check(false, $"{LedgerFile.Describe(recovered)}: left running by incarnation {recovered.IncarnationId}, which recorded a clean stop");
        }

        Check(rows.All(r => r.State != "running"), $"runs still running after the clean stop: {string.Join(", ", rows.Where(r => r.State == "running").Select(LedgerFile.Describe))}");
        var late = AuditEffects(rowByAttempt);
        AuditAdoptions(rows);
        AuditExecutions(rowByAttempt);
        var integrity = ledger.IntegrityCheck();
        Check(integrity == "ok", $"PRAGMA integrity_check: {integrity}");
        return new AuditFigures
        {
            Slots = slots,
            Rows = rows.Count,
            Started = rows.Count(r => r.StartedAt is not null),
            Effects = effects.Count(e => !e.End),
            Finished = effects.Count(e => e.End),
            Adopted = rows.Count(r => r.AdoptedBy is not null),
            ByState = rows.GroupBy(r => r.State).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            RetryRows = rows.Count(r => r.Attempt > 1),
            RetriesExecuted = effects.Count(e => e.Attempt > 1 && !e.End),
            MaxAttempt = rows.Count == 0 ? 0 : rows.Max(r => r.Attempt),
            PoisonGuarded = poisonGuarded,
            LateOrphanEffects = late,
            Integrity = integrity,
        };
    }

    private static Schedule ScheduleOf(JobRow row)
    {
        var definition = JobCodec.Deserialize(row.Definition);
        var anchor = definition.Anchor ?? row.CreatedAt.AddTicks(-(row.CreatedAt.UtcTicks % TimeSpan.TicksPerSecond));
        return Schedule.Parse(definition.Schedule, TimeZoneInfo.Utc, anchor);
    }

    /// <summary>G2 within one slot: attempts 1..k, each later one the recorded consequence of an interruption, within policy.</summary>
    private int AuditAttempts(TortureJob job, Schedule schedule, DateTimeOffset slot, List<RunRow> attempts)
    {
        var name = $"{job.Name} slot {Iso.Format(slot)}";
        Check(attempts.Select(a => a.Attempt).SequenceEqual(Enumerable.Range(1, attempts.Count)), $"G2: {name} has attempts {string.Join(",", attempts.Select(a => a.Attempt))}");
        Check(attempts.Count <= (job.Record ? 1 : TortureJobs.MaxAttempts), $"G2: {name} has {attempts.Count} attempts ({job.OnInterrupt})");
        var windowEnd = Min(slot + TortureJobs.RetryWindow, schedule.GetNextOccurrence(slot) ?? DateTimeOffset.MaxValue);
        for (var i = 1; i < attempts.Count; i++)
        {
            var previous = attempts[i - 1];
            var next = attempts[i];
            Check(previous.State == "interrupted", $"G2: {name} attempt {next.Attempt} follows attempt {previous.Attempt} in state {previous.State} (only interrupted is retried)");
            Check(next.Trigger == "retry" && next.Resumed, $"G2: {name} attempt {next.Attempt} is {next.Trigger}, resumed {next.Resumed}");
            Check(previous.FinishedAt is { } f && next.CreatedAt >= f, $"G2: {name} attempt {next.Attempt} was created before attempt {previous.Attempt} was recorded");
            Check(next.StartedAt is null || next.StartedAt >= previous.FinishedAt, $"G2: {name} attempt {next.Attempt} started before attempt {previous.Attempt} ended in the ledger");
            Check(next.StartedAt is null || next.StartedAt < windowEnd, $"G2: {name} attempt {next.Attempt} started at {next.StartedAt:O}, after its retry window closed at {windowEnd:O}");
            if (i >= 2)
            {
                var twoDeaths = attempts[i - 2].Reason?.StartsWith(ProcessDied, StringComparison.Ordinal) == true
                    && previous.Reason?.StartsWith(ProcessDied, StringComparison.Ordinal) == true;
                Check(!twoDeaths, $"G2: {name} attempt {next.Attempt} exists after two process deaths in a row (poison guard)");
            }
        }

        return attempts.Count(a => a.Reason?.Contains("poison guard", StringComparison.Ordinal) == true);
    }

    /// <summary>overlap: skip — the job's runs never overlap in the ledger.</summary>
    private void AuditOverlap(TortureJob job, List<RunRow> started)
    {
        if (job.Overlap != "skip")
        {
            return;
        }

        for (var i = 1; i < started.Count; i++)
        {
            var previous = started[i - 1];
            Check(
                previous.FinishedAt is { } f && started[i].StartedAt >= f,
                $"G2: {job.Name} (overlap: skip) ran {Iso.Format(started[i].Slot)} from {started[i].StartedAt:O} while {Iso.Format(previous.Slot)} ran until {previous.FinishedAt:O}");
        }
    }

    /// <summary>G4 and the side-effect log: every effect belongs to an attempt that was durably running first. Returns the late orphan effects.</summary>
    private int AuditEffects(Dictionary<(string, DateTimeOffset, int), RunRow> rowByAttempt)
    {
        var late = 0;
        foreach (var group in effects.Where(e => !e.End).GroupBy(e => (e.Job, e.Slot, e.Attempt)))
        {
            var name = $"{group.Key.Job} slot {Iso.Format(group.Key.Slot)} attempt {group.Key.Attempt}";
            Check(group.Count() == 1, $"G2: {name} executed {group.Count()} times");
            if (!rowByAttempt.TryGetValue(group.Key, out var row))
            {
                Check(false, $"G4: {name} left a side effect but has no row");
                continue;
            }

            Check(row.StartedAt is not null, $"G4: {name} left a side effect but was never running ({row.State})");
            foreach (var effect in group)
            {
                Check(row.StartedAt is null || effect.At >= row.StartedAt - slack, $"G4: {name}'s effect at {effect.At:O} precedes its running mark at {row.StartedAt:O}");
                if (row.FinishedAt is { } finished && effect.At > finished + slack)
                {
                    // Only a process that outlived its record could write after it: with run supervisors
                    // none may (an attempt is recorded interrupted only once its command is gone).
                    Check(false, $"G2: {name}'s effect at {effect.At:O} came after it was recorded {row.State} at {finished:O}");
                    late++;
                }
            }
        }

        foreach (var group in effects.Where(e => !e.End).GroupBy(e => (e.Job, e.Slot)))
        {
            var job = jobs.Single(j => j.Name == group.Key.Job);
            Check(group.Count() <= (job.Record ? 1 : TortureJobs.MaxAttempts), $"G2: {group.Key.Job} slot {Iso.Format(group.Key.Slot)} executed {group.Count()} times ({job.OnInterrupt})");
        }

        return late;
    }

    /// <summary>An adopted run names its adopter as its owner, and was adopted after it started.</summary>
    private void AuditAdoptions(IReadOnlyList<RunRow> rows)
    {
        foreach (var run in rows.Where(r => r.AdoptedBy is not null))
        {
            Check(run.IncarnationId == run.AdoptedBy, $"{LedgerFile.Describe(run)}: adopted by incarnation {run.AdoptedBy} but owned by {run.IncarnationId}");
            Check(run.StartedAt is not null, $"{LedgerFile.Describe(run)}: adopted but never started");
        }
    }

    /// <summary>
    /// With run supervisors, no run is recorded interrupted whose action finished its work, and no
    /// slot is ever executed by two processes at once (an attempt's execution ends at its end line,
    /// or, killed, no later than its row was recorded).
    /// </summary>
    /// <remarks>
    /// An end line within half a second before the record is the one race no supervisor can close:
    /// a drain's deadline (or a second signal) that stops a command in the instant it finished.
    /// </remarks>
    private void AuditExecutions(Dictionary<(string, DateTimeOffset, int), RunRow> rowByAttempt)
    {
        var ends = effects.Where(e => e.End).GroupBy(e => (e.Job, e.Slot, e.Attempt)).ToDictionary(g => g.Key, g => g.First());
        foreach (var (key, end) in ends)
        {
            if (rowByAttempt.TryGetValue(key, out var row) && row.State == "interrupted")
            {
                Check(
                    row.FinishedAt is { } recorded && end.At > recorded - TimeSpan.FromMilliseconds(500) - slack,
                    $"{LedgerFile.Describe(row)}: recorded interrupted at {row.FinishedAt:O}, but its action finished at {end.At:O}");
            }
        }

        foreach (var slot in effects.Where(e => !e.End).GroupBy(e => (e.Job, e.Slot)))
        {
            var executions = slot.OrderBy(e => e.At).ToList();
            for (var i = 1; i < executions.Count; i++)
            {
                var previous = executions[i - 1];
                var key = (previous.Job, previous.Slot, previous.Attempt);
                var endedBy = ends.TryGetValue(key, out var end) ? end.At
                    : rowByAttempt.TryGetValue(key, out var row) && row.FinishedAt is { } f ? f
                    : DateTimeOffset.MaxValue;
                Check(
                    executions[i].At >= endedBy - slack,
                    $"{previous.Job} slot {Iso.Format(previous.Slot)}: attempt {executions[i].Attempt} began at {executions[i].At:O} while attempt {previous.Attempt} ran until {endedBy:O}");
            }
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private void Check(bool condition, string violation)
    {
        if (!condition)
        {
            _violations.Add(violation);
        }
    }
}
