using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>The column list every run query selects, and its mapping to <see cref="RunRecord"/>.</summary>
internal static class RunRows
{
    public const string Columns =
        "id, job, slot, attempt, state, reason, \"trigger\", created_at, not_before, started_at, finished_at, deadline, " +
        "exit_code, session, node, incarnation_id, resumed, draining, result_status, summary, tokens_in, tokens_out, " +
        "adopted_by, adopted_at";

    /// <summary>The number of columns in <see cref="Columns"/>: the ordinal of a query's first column after them.</summary>
    public const int ColumnCount = 24;

    public static RunRecord Read(Statement.Row row) => new()
    {
        Id = row.Int64(0),
        Job = row.String(1),
        Slot = Instants.FromDb(row.Int64(2)),
        Attempt = (int)row.Int64(3),
        State = ParseState(row.String(4)),
        Reason = row.NullableString(5),
        Trigger = RunTriggers.Parse(row.String(6)),
        CreatedAt = Instants.FromDb(row.Int64(7)),
        NotBefore = Instant(row.NullableInt64(8)),
        StartedAt = Instant(row.NullableInt64(9)),
        FinishedAt = Instant(row.NullableInt64(10)),
        Deadline = Instant(row.NullableInt64(11)),
        ExitCode = row.NullableInt64(12) is { } exit ? (int)exit : null,
        Session = row.NullableString(13),
        Node = row.NullableString(14),
        IncarnationId = row.NullableInt64(15),
        Resumed = row.Int64(16) != 0,
        Draining = row.Int64(17) != 0,
        ResultStatus = row.NullableString(18),
        Summary = row.NullableString(19),
        TokensIn = row.NullableInt64(20),
        TokensOut = row.NullableInt64(21),
        AdoptedBy = row.NullableInt64(22),
        AdoptedAt = Instant(row.NullableInt64(23)),
    };

    public static List<RunRecord> ReadAll(Statement statement)
    {
        var runs = new List<RunRecord>();
        statement.ReadAll(ref runs, static (Statement.Row row, ref List<RunRecord> list) => list.Add(Read(row)));
        return runs;
    }

    public static RunRecord? ReadOne(Statement statement)
    {
        RunRecord? run = null;
        statement.ReadFirst(ref run, static (Statement.Row row, ref RunRecord? found) => found = Read(row));
        return run;
    }

    private static DateTimeOffset? Instant(long? millis) => millis is { } value ? Instants.FromDb(value) : null;

    public static RunState ParseState(string name) =>
        RunStates.TryParse(name, out var state) ? state : throw new FormatException($"unknown run state \"{name}\" in the ledger");
}
