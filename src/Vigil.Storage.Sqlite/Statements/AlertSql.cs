using Vigil.Incidents;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>Statements on <c>alert_outbox</c>.</summary>
internal static class AlertSql
{
    private static readonly string IncidentColumns =
        string.Join(", ", IncidentSql.Columns.Split(", ").Select(c => "i." + c));

    public static int EnqueueReminders(SqlSession s, TimeSpan every, DateTimeOffset now)
    {
        var due = new List<long>();
        using (var reader = s.Command("""
            SELECT id FROM incidents
            WHERE state = 'open' AND COALESCE(notified_at, first_at) <= $cutoff
            ORDER BY id
            """)
            .Bind("$cutoff", Instants.ToDb(now) - (long)every.TotalMilliseconds)
            .ExecuteReader())
        {
            while (reader.Read())
            {
                due.Add(reader.GetInt64(0));
            }
        }

        foreach (var id in due)
        {
            s.Command("UPDATE incidents SET notified_at = $now WHERE id = $id").Bind("$id", id).Bind("$now", now).ExecuteNonQuery();
            IncidentSql.EnqueueNotice(s, id, AlertEvent.Reminder, now);
        }

        return due.Count;
    }

    public static List<AlertRecord> ListDue(SqlSession s, DateTimeOffset now, int limit)
    {
        var command = s.Command($"""
            SELECT a.id, a.event, a.created_at, a.attempts, a.delivered_to, a.last_error, {IncidentColumns}
            FROM alert_outbox AS a JOIN incidents AS i ON i.id = a.incident_id
            WHERE a.delivered_at IS NULL AND a.next_attempt_at <= $now
            ORDER BY a.next_attempt_at, a.id
            LIMIT $limit
            """)
            .Bind("$now", now)
            .Bind("$limit", limit);
        var alerts = new List<AlertRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            alerts.Add(new AlertRecord
            {
                Id = reader.GetInt64(0),
                Event = AlertEvents.Parse(reader.GetString(1)),
                CreatedAt = reader.GetInstant(2),
                Attempts = reader.GetInt32(3),
                DeliveredTo = reader.GetString(4).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                LastError = reader.GetNullableString(5),
                Incident = IncidentSql.Read(reader, 6),
            });
        }

        return alerts;
    }

    public static bool RecordAttempt(SqlSession s, AlertAttempt attempt, DateTimeOffset now) =>
        s.Command("""
            UPDATE alert_outbox
            SET attempts = attempts + 1, delivered_to = $delivered, last_error = $error,
                next_attempt_at = COALESCE($retry, next_attempt_at),
                delivered_at = CASE WHEN $retry IS NULL THEN $now ELSE NULL END
            WHERE id = $id AND delivered_at IS NULL
            """)
            .Bind("$id", attempt.AlertId)
            .Bind("$delivered", string.Join(' ', attempt.DeliveredTo))
            .Bind("$error", attempt.Error)
            .Bind("$retry", attempt.RetryAt)
            .Bind("$now", now)
            .ExecuteNonQuery() == 1;
}
