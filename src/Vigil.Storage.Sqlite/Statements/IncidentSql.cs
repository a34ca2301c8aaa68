using Microsoft.Data.Sqlite;
using Vigil.Incidents;
using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>Statements on <c>incidents</c>, <c>run_events</c> and <c>job_health</c>.</summary>
internal static class IncidentSql
{
    public const string Columns =
        "id, job, node, kind, state, count, first_at, last_at, acknowledged_at, resolved_at, detail, resolution, run_id";

    private static readonly string PrefixedRunColumns =
        string.Join(", ", RunRows.Columns.Split(", ").Select(c => "r." + c));

    public static List<RunEvent> ListRunEvents(SqlSession s, int limit)
    {
        // The run's columns first, so RunRows.Read maps them by its own ordinals; the event id last.
        var events = new List<RunEvent>();
        s.Prepared($"""
            SELECT {PrefixedRunColumns}, e.id
            FROM run_events AS e JOIN runs AS r ON r.id = e.run_id
            ORDER BY e.id
            LIMIT $limit
            """)
            .Bind("$limit", limit)
            .ReadAll(ref events, static (Statement.Row row, ref List<RunEvent> list) =>
                list.Add(new RunEvent { Id = row.Int64(RunRows.ColumnCount), Run = RunRows.Read(row) }));
        return events;
    }

    public static Dictionary<string, JobHealth> GetHealth(SqlSession s, IReadOnlyCollection<string> jobs)
    {
        var found = new Dictionary<string, JobHealth>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            using var reader = s.Command("SELECT failure_streak, empty_streak, last_success_at FROM job_health WHERE job = $job")
                .Bind("$job", job)
                .ExecuteReader();
            if (reader.Read())
            {
                found[job] = new JobHealth
                {
                    Job = job,
                    FailureStreak = reader.GetInt32(0),
                    EmptyStreak = reader.GetInt32(1),
                    LastSuccessAt = reader.GetNullableInstant(2),
                };
            }
        }

        return found;
    }

    public static IncidentBatchResult Apply(SqlSession s, IncidentBatch batch, DateTimeOffset now)
    {
        if (batch.ConsumeEventsThrough is { } through)
        {
            var present = s.Command("SELECT EXISTS (SELECT 1 FROM run_events WHERE id = $id)").Bind("$id", through).ExecuteScalar() is 1L;
            if (!present)
            {
                return new IncidentBatchResult { Applied = false };
            }

            s.Command("DELETE FROM run_events WHERE id <= $id").Bind("$id", through).ExecuteNonQuery();
        }

        foreach (var health in batch.Health)
        {
            s.Command("""
                INSERT INTO job_health (job, failure_streak, empty_streak, last_success_at)
                VALUES ($job, $failures, $empty, $success)
                ON CONFLICT (job) DO UPDATE SET
                    failure_streak = excluded.failure_streak, empty_streak = excluded.empty_streak,
                    last_success_at = excluded.last_success_at
                """)
                .Bind("$job", health.Job)
                .Bind("$failures", health.FailureStreak)
                .Bind("$empty", health.EmptyStreak)
                .Bind("$success", health.LastSuccessAt)
                .ExecuteNonQuery();
        }

        var opened = new List<long>();
        var resolved = new List<long>();
        var unresolved = batch.Changes.Count == 0 ? [] : ReadUnresolved(s);
        foreach (var change in batch.Changes)
        {
            var job = change.Job ?? string.Empty;
            var kind = change.Kind.Name();
            long? current = unresolved.TryGetValue((job, kind), out var open) ? open : null;
            switch (change)
            {
                case IncidentOccurrence occurrence when current is { } id:
                    if (occurrence.Counts)
                    {
                        s.Command("""
                            UPDATE incidents
                            SET count = count + 1, last_at = $now, detail = $detail, run_id = COALESCE($run, run_id), node = COALESCE($node, node)
                            WHERE id = $id AND state <> 'resolved'
                            """)
                            .Bind("$id", id)
                            .Bind("$now", now)
                            .Bind("$detail", occurrence.Detail)
                            .Bind("$run", occurrence.RunId)
                            .Bind("$node", occurrence.Node)
                            .ExecuteNonQuery();
                    }

                    break;
                case IncidentOccurrence occurrence:
                    var newId = (long)s.Command("""
                        INSERT INTO incidents (job, node, kind, state, count, first_at, last_at, detail, run_id, notified_at)
                        VALUES ($job, $node, $kind, 'open', 1, $now, $now, $detail, $run, $now)
                        RETURNING id
                        """)
                        .Bind("$job", job)
                        .Bind("$node", occurrence.Node)
                        .Bind("$kind", kind)
                        .Bind("$now", now)
                        .Bind("$detail", occurrence.Detail)
                        .Bind("$run", occurrence.RunId)
                        .ExecuteScalar()!;
                    EnqueueNotice(s, newId, AlertEvent.Opened, now);
                    opened.Add(newId);
                    unresolved[(job, kind)] = newId;
                    break;
                case IncidentResolution resolution when current is { } id:
                    s.Command("""
                        UPDATE incidents SET state = 'resolved', resolved_at = $now, resolution = $reason
                        WHERE id = $id AND state <> 'resolved'
                        """)
                        .Bind("$id", id)
                        .Bind("$now", now)
                        .Bind("$reason", resolution.Reason)
                        .ExecuteNonQuery();
                    EnqueueNotice(s, id, AlertEvent.Resolved, now);
                    resolved.Add(id);
                    unresolved.Remove((job, kind));
                    break;
                default:
                    // A resolution with nothing open: the job was healthy already.
                    break;
            }
        }

        foreach (var job in batch.PauseJobs)
        {
            s.Command("UPDATE jobs SET paused = 1 WHERE name = $name").Bind("$name", job).ExecuteNonQuery();
        }

        return new IncidentBatchResult
        {
            Applied = true,
            Opened = [.. opened.Select(id => Get(s, id)!)],
            Resolved = [.. resolved.Select(id => Get(s, id)!)],
        };
    }

    /// <summary>
    /// Every unresolved incident's id by (job, kind), read once per batch: few are unresolved at any
    /// time, while a batch carries a resolution per kind for every success it saw.
    /// </summary>
    private static Dictionary<(string Job, string Kind), long> ReadUnresolved(SqlSession s)
    {
        var found = new Dictionary<(string, string), long>();
        using var reader = s.Command("SELECT id, job, kind FROM incidents WHERE state <> 'resolved'").ExecuteReader();
        while (reader.Read())
        {
            found[(reader.GetString(1), reader.GetString(2))] = reader.GetInt64(0);
        }

        return found;
    }

    public static IncidentRecord? Get(SqlSession s, long id)
    {
        using var reader = s.Command($"SELECT {Columns} FROM incidents WHERE id = $id").Bind("$id", id).ExecuteReader();
        return reader.Read() ? Read(reader, 0) : null;
    }

    public static List<IncidentRecord> List(SqlSession s, IncidentQuery query)
    {
        var states = query.States.Count == 0 ? null : string.Join(",", query.States.Select(x => x.Name()));
        var command = s.Command($"""
            SELECT {Columns} FROM incidents
            WHERE ($job IS NULL OR job = $job)
              AND ($kind IS NULL OR kind = $kind)
              AND ($states IS NULL OR instr(',' || $states || ',', ',' || state || ',') > 0)
            ORDER BY id DESC
            LIMIT $limit
            """)
            .Bind("$job", query.Job)
            .Bind("$kind", query.Kind?.Name())
            .Bind("$states", states)
            .Bind("$limit", query.Limit);
        var incidents = new List<IncidentRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            incidents.Add(Read(reader, 0));
        }

        return incidents;
    }

    public static bool Acknowledge(SqlSession s, long id, DateTimeOffset now) =>
        s.Command("UPDATE incidents SET state = 'acknowledged', acknowledged_at = $now WHERE id = $id AND state = 'open'")
            .Bind("$id", id)
            .Bind("$now", now)
            .ExecuteNonQuery() == 1;

    public static Dictionary<string, int> CountUnresolved(SqlSession s)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = s.Command("SELECT job, COUNT(*) FROM incidents WHERE state <> 'resolved' GROUP BY job").ExecuteReader();
        while (reader.Read())
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    public static void EnqueueNotice(SqlSession s, long incidentId, AlertEvent value, DateTimeOffset now) =>
        s.Command("""
            INSERT INTO alert_outbox (incident_id, event, created_at, next_attempt_at)
            VALUES ($incident, $event, $now, $now)
            """)
            .Bind("$incident", incidentId)
            .Bind("$event", value.Name())
            .Bind("$now", now)
            .ExecuteNonQuery();

    /// <summary>Maps the <see cref="Columns"/> starting at <paramref name="first"/>.</summary>
    public static IncidentRecord Read(SqliteDataReader reader, int first)
    {
        var job = reader.GetString(first + 1);
        return new IncidentRecord
        {
            Id = reader.GetInt64(first),
            Job = job.Length == 0 ? null : job,
            Node = reader.GetNullableString(first + 2),
            Kind = IncidentKinds.TryParse(reader.GetString(first + 3), out var kind) ? kind : throw new FormatException($"unknown incident kind \"{reader.GetString(first + 3)}\" in the ledger"),
            State = IncidentStates.TryParse(reader.GetString(first + 4), out var state) ? state : throw new FormatException($"unknown incident state \"{reader.GetString(first + 4)}\" in the ledger"),
            Count = reader.GetInt32(first + 5),
            FirstAt = reader.GetInstant(first + 6),
            LastAt = reader.GetInstant(first + 7),
            AcknowledgedAt = reader.GetNullableInstant(first + 8),
            ResolvedAt = reader.GetNullableInstant(first + 9),
            Detail = reader.GetString(first + 10),
            Resolution = reader.GetNullableString(first + 11),
            RunId = reader.GetNullableInt64(first + 12),
        };
    }
}
