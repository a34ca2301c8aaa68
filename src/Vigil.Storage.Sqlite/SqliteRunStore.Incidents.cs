using Vigil.Incidents;
using Vigil.Ledger;
using Vigil.Storage.Sqlite.Statements;

namespace Vigil.Storage.Sqlite;

/// <summary>Incidents and the alert outbox (schema version 4).</summary>
public sealed partial class SqliteRunStore
{
    /// <inheritdoc />
    public Task<IReadOnlyList<RunEvent>> ListRunEventsAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<RunEvent>>(s => IncidentSql.ListRunEvents(s, limit), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, JobHealth>> GetJobHealthAsync(IReadOnlyCollection<string> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return ReadAsync<IReadOnlyDictionary<string, JobHealth>>(s => IncidentSql.GetHealth(s, jobs), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IncidentBatchResult> ApplyIncidentBatchAsync(IncidentBatch batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var change in batch.Changes)
        {
            if (change.Kind.IsNodeWide() != (change.Job is null))
            {
                throw new ArgumentException($"an incident of kind {change.Kind.Name()} {(change.Kind.IsNodeWide() ? "names no job" : "needs a job")}", nameof(batch));
            }
        }

        return _writes.EnqueueAsync(s => IncidentSql.Apply(s, batch, now), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<IncidentRecord>> ListIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        return ReadAsync<IReadOnlyList<IncidentRecord>>(s => IncidentSql.List(s, query), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IncidentRecord?> GetIncidentAsync(long id, CancellationToken cancellationToken) =>
        ReadAsync(s => IncidentSql.Get(s, id), cancellationToken);

    /// <inheritdoc />
    public Task<bool> AcknowledgeIncidentAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        _writes.EnqueueAsync(s => IncidentSql.Acknowledge(s, id, now), cancellationToken, singleStatement: true);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountUnresolvedIncidentsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyDictionary<string, int>>(IncidentSql.CountUnresolved, cancellationToken);

    /// <inheritdoc />
    public Task<int> EnqueueAlertRemindersAsync(TimeSpan every, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(every, TimeSpan.Zero);
        return _writes.EnqueueAsync(s => AlertSql.EnqueueReminders(s, every, now), cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AlertRecord>> ListDueAlertsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync<IReadOnlyList<AlertRecord>>(s => AlertSql.ListDue(s, now, limit), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RecordAlertAttemptAsync(AlertAttempt attempt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return _writes.EnqueueAsync(s => AlertSql.RecordAttempt(s, attempt, now), cancellationToken, singleStatement: true);
    }

    /// <inheritdoc />
    /// <remarks><c>PRAGMA quick_check</c> (O(N), without the index-content cross-check of <c>integrity_check</c>) on a reader connection.</remarks>
    public Task<LedgerCheck> CheckLedgerAsync(CancellationToken cancellationToken) =>
        ReadAsync(
            s =>
            {
                var problems = new List<string>();
                using (var reader = s.Command("PRAGMA quick_check").ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var line = reader.GetString(0);
                        if (line != "ok")
                        {
                            problems.Add(line);
                        }
                    }
                }

                var latest = s.Command("""
                    SELECT MAX(m) FROM (
                        SELECT (SELECT created_at FROM runs ORDER BY id DESC LIMIT 1) AS m
                        UNION ALL SELECT MAX(heartbeat_at) FROM incarnations)
                    """).ExecuteScalar();
                return new LedgerCheck
                {
                    Problems = problems,
                    LatestInstant = latest is long millis ? Data.Instants.FromDb(millis) : null,
                };
            },
            cancellationToken);
}
