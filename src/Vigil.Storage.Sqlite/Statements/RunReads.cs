using System.Text;
using System.Text.Json;
using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>The read side of <c>runs</c>; every statement runs on a reader connection.</summary>
internal static class RunReads
{
    private const string Select = "SELECT " + RunRows.Columns + " FROM runs";

    public static List<RunRecord> ListRunning(SqlSession s, string node) =>
        RunRows.ReadAll(s.Prepared($"""
            {Select}
            WHERE state = 'running' AND incarnation_id IN (SELECT id FROM incarnations WHERE node = $node)
            ORDER BY id
            """)
            .Bind("$node", node));

    public static List<RunRecord> ListPending(SqlSession s, DateTimeOffset dueBy, int limit) =>
        RunRows.ReadAll(s.Prepared($"""
            {Select}
            WHERE state = 'pending' AND (not_before IS NULL OR not_before <= $due_by)
            ORDER BY slot, attempt, id
            LIMIT $limit
            """)
            .Bind("$due_by", dueBy)
            .Bind("$limit", limit));

    public static DateTimeOffset? GetNextPendingDue(SqlSession s, DateTimeOffset after)
    {
        var next = s.Command("SELECT MIN(not_before) FROM runs WHERE state = 'pending' AND not_before > $after")
            .Bind("$after", after)
            .ExecuteScalar();
        return next is long millis ? Instants.FromDb(millis) : null;
    }

    public static DateTimeOffset? GetLastSlot(SqlSession s, string job)
    {
        var last = s.Command("SELECT slot FROM runs WHERE job = $job AND \"trigger\" <> 'manual' ORDER BY slot DESC LIMIT 1")
            .Bind("$job", job)
            .ExecuteScalar();
        return last is long millis ? Instants.FromDb(millis) : null;
    }

    /// <remarks>
    /// The names travel as one JSON array parameter (<c>json_each</c>). Per name, the (job, slot,
    /// attempt) index is walked backwards from the newest slot to the first run that is not manual,
    /// so the cost follows the number of names, not the length of the history.
    /// </remarks>
    public static Dictionary<string, DateTimeOffset> GetLastSlots(SqlSession s, IReadOnlyCollection<string> jobs)
    {
        var slots = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (jobs.Count == 0)
        {
            return slots;
        }

        using var reader = s.Command("""
            SELECT name, last FROM (
                SELECT names.value AS name,
                       (SELECT r.slot FROM runs r
                        WHERE r.job = names.value AND r."trigger" <> 'manual'
                        ORDER BY r.slot DESC
                        LIMIT 1) AS last
                FROM json_each($names) AS names)
            WHERE last IS NOT NULL
            """)
            .Bind("$names", JsonSerializer.Serialize(jobs))
            .ExecuteReader();
        while (reader.Read())
        {
            slots[reader.GetString(0)] = Instants.FromDb(reader.GetInt64(1));
        }

        return slots;
    }

    public static RunRecord? GetLatestRunBefore(SqlSession s, string job, DateTimeOffset slot) =>
        RunRows.ReadOne(s.Prepared($"""
            {Select}
            WHERE job = $job AND slot < $slot AND "trigger" <> 'manual'
            ORDER BY slot DESC, attempt DESC
            LIMIT 1
            """)
            .Bind("$job", job)
            .Bind("$slot", slot));

    public static List<RunRecord> ListAttempts(SqlSession s, string job, DateTimeOffset slot) =>
        RunRows.ReadAll(s.Prepared($"{Select} WHERE job = $job AND slot = $slot ORDER BY attempt")
            .Bind("$job", job)
            .Bind("$slot", slot));

    public static int CountRunning(SqlSession s, string job) =>
        (int)(long)s.Command("SELECT COUNT(*) FROM runs WHERE state = 'running' AND job = $job")
            .Bind("$job", job)
            .ExecuteScalar()!;

    public static RunRecord? Get(SqlSession s, long id) =>
        RunRows.ReadOne(s.Prepared($"{Select} WHERE id = $id").Bind("$id", id));

    public static string? GetOutput(SqlSession s, long id) =>
        s.Command("SELECT output FROM run_output WHERE run_id = $id").Bind("$id", id).ExecuteScalar() as string;

    /// <summary>Each job's newest runs: the per-job query of <see cref="List"/>, prepared once and run for every job in one session.</summary>
    public static Dictionary<string, IReadOnlyList<RunRecord>> ListRecent(SqlSession s, IReadOnlyList<string> jobs, int perJob)
    {
        var recent = new Dictionary<string, IReadOnlyList<RunRecord>>(jobs.Count, StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            recent[job] = List(s, new RunQuery { Job = job, Limit = perJob });
        }

        return recent;
    }

    public static List<RunRecord> List(SqlSession s, RunQuery query)
    {
        // Only the filters in use appear in the statement, so each shape keeps its own index plan.
        var sql = new StringBuilder(Select).Append(" WHERE 1 = 1");
        if (query.Job is not null)
        {
            sql.Append(" AND job = $job");
        }

        if (query.State is not null)
        {
            sql.Append(" AND state = $state");
        }

        if (query.Since is not null)
        {
            sql.Append(" AND slot >= $since");
        }

        if (query.BeforeId is not null)
        {
            sql.Append(" AND id < $before_id");
        }

        sql.Append(" ORDER BY id DESC LIMIT $limit");
        var command = s.Prepared(sql.ToString()).Bind("$limit", query.Limit);
        if (query.Job is not null)
        {
            command.Bind("$job", query.Job);
        }

        if (query.State is { } state)
        {
            command.Bind("$state", state.Name());
        }

        if (query.Since is not null)
        {
            command.Bind("$since", query.Since);
        }

        if (query.BeforeId is not null)
        {
            command.Bind("$before_id", query.BeforeId);
        }

        return RunRows.ReadAll(command);
    }

    /// <remarks>
    /// One index seek per job on (job, slot, attempt), walking back from the newest slot past any
    /// pending rows, instead of sorting the whole table.
    /// </remarks>
    public static Dictionary<string, RunRecord> GetLastRuns(SqlSession s)
    {
        var runs = RunRows.ReadAll(s.Prepared($"""
            {Select}
            WHERE id IN (
                SELECT (SELECT r.id FROM runs r
                        WHERE r.job = j.job AND r.state <> 'pending'
                        ORDER BY r.slot DESC, r.attempt DESC
                        LIMIT 1)
                FROM (SELECT DISTINCT job FROM runs) j)
            """));
        return runs.ToDictionary(r => r.Job, StringComparer.Ordinal);
    }
}
