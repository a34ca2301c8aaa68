using Microsoft.Data.Sqlite;

namespace Vigil.EndToEnd.Tests;

/// <summary>One row of the ledger's <c>runs</c> table, as the auditor reads it.</summary>
internal sealed record RunRow(
    long Id,
    string Job,
    DateTimeOffset Slot,
    int Attempt,
    string State,
    string? Reason,
    string Trigger,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NotBefore,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long? IncarnationId,
    bool Resumed,
    bool Draining);

/// <summary>One row of <c>incarnations</c>.</summary>
internal sealed record IncarnationRow(long Id, int Pid, DateTimeOffset StartedAt, DateTimeOffset? DrainingAt, DateTimeOffset? StoppedAt, bool CleanStop);

/// <summary>One row of <c>jobs</c>.</summary>
internal sealed record IncidentRow(long Id, string Job, string Kind, string State, int Count, string Detail, string? Resolution);

internal sealed record OutboxRow(long Id, long IncidentId, string Event, int Attempts, bool Delivered, string? LastError);

internal sealed record JobRow(string Name, string Definition, DateTimeOffset CreatedAt);

/// <summary>
/// Reads the SQLite ledger a daemon writes, read-only and independently of the store's code, the
/// way an auditor (or an operator with the sqlite3 shell) would.
/// </summary>
internal sealed class LedgerFile(string path)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public string Path { get; } = path;

    public IReadOnlyList<RunRow> Runs()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        return Query(
            """
            SELECT id, job, slot, attempt, state, reason, "trigger", created_at, not_before, started_at, finished_at,
                   incarnation_id, resumed, draining
            FROM runs ORDER BY job, slot, attempt
            """,
            r => new RunRow(
                r.GetInt64(0),
                r.GetString(1),
                Instant(r.GetInt64(2)),
                r.GetInt32(3),
                r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5),
                r.GetString(6),
                Instant(r.GetInt64(7)),
                NullableInstant(r, 8),
                NullableInstant(r, 9),
                NullableInstant(r, 10),
                r.IsDBNull(11) ? null : r.GetInt64(11),
                r.GetInt64(12) == 1,
                r.GetInt64(13) == 1));
    }

    public IReadOnlyList<IncarnationRow> Incarnations() => Query(
        "SELECT id, pid, started_at, draining_at, stopped_at, clean_stop FROM incarnations ORDER BY id",
        r => new IncarnationRow(r.GetInt64(0), r.GetInt32(1), Instant(r.GetInt64(2)), NullableInstant(r, 3), NullableInstant(r, 4), r.GetInt64(5) == 1));

    public IReadOnlyList<JobRow> Jobs() => Query(
        "SELECT name, definition, created_at FROM jobs ORDER BY name",
        r => new JobRow(r.GetString(0), r.GetString(1), Instant(r.GetInt64(2))));

    /// <summary>Every incident, oldest first.</summary>
    public IReadOnlyList<IncidentRow> Incidents() => Query(
        "SELECT id, job, kind, state, count, detail, resolution FROM incidents ORDER BY id",
        r => new IncidentRow(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));

    /// <summary>Every notice in the alert outbox, oldest first.</summary>
    public IReadOnlyList<OutboxRow> Outbox() => Query(
        "SELECT id, incident_id, event, attempts, delivered_at IS NOT NULL, last_error FROM alert_outbox ORDER BY id",
        r => new OutboxRow(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4) != 0, r.IsDBNull(5) ? null : r.GetString(5)));

    /// <summary>Polls the incidents until <paramref name="condition"/> holds; fails after <paramref name="patience"/>.</summary>
    public async Task<IReadOnlyList<IncidentRow>> WaitForIncidentsAsync(Func<IReadOnlyList<IncidentRow>, bool> condition, string what, TimeSpan patience)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            IReadOnlyList<IncidentRow> incidents;
            try
            {
                incidents = Incidents();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
            {
                incidents = [];
            }

            if (condition(incidents))
            {
                return incidents;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"waited {patience.TotalSeconds}s for {what}; incidents:\n{string.Join('\n', incidents)}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary><c>PRAGMA integrity_check</c>: "ok" when the file is sound.</summary>
    public string IntegrityCheck() => string.Join("; ", Query("PRAGMA integrity_check", r => r.GetString(0)));

    /// <summary>Polls the runs until <paramref name="condition"/> holds; fails after <paramref name="patience"/>.</summary>
    public async Task<IReadOnlyList<RunRow>> WaitForRunsAsync(Func<IReadOnlyList<RunRow>, bool> condition, string what, TimeSpan patience)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(patience.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var runs = RunsOnceCreated();
            if (condition(runs))
            {
                return runs;
            }

            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"waited {patience.TotalSeconds}s for {what}; runs:\n{string.Join('\n', runs.Select(Describe))}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The runs, or none while the daemon has not created the schema yet.</summary>
    private IReadOnlyList<RunRow> RunsOnceCreated()
    {
        try
        {
            return Runs();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return [];
        }
    }

    public static string Describe(RunRow r) =>
        $"{r.Job} {r.Slot:HH:mm:ss.fff} #{r.Attempt} {r.State} {r.Reason} started {r.StartedAt:HH:mm:ss.fff} finished {r.FinishedAt:HH:mm:ss.fff}";

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using (var timeout = connection.CreateCommand())
        {
            timeout.CommandText = "PRAGMA busy_timeout = 5000";
            timeout.ExecuteNonQuery();
        }

        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static DateTimeOffset Instant(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static DateTimeOffset? NullableInstant(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instant(reader.GetInt64(ordinal));
}
