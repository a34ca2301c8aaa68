using Microsoft.Data.Sqlite;
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

    public static RunRecord Read(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        Job = reader.GetString(1),
        Slot = reader.GetInstant(2),
        Attempt = reader.GetInt32(3),
        State = ParseState(reader.GetString(4)),
        Reason = reader.GetNullableString(5),
        Trigger = RunTriggers.Parse(reader.GetString(6)),
        CreatedAt = reader.GetInstant(7),
        NotBefore = reader.GetNullableInstant(8),
        StartedAt = reader.GetNullableInstant(9),
        FinishedAt = reader.GetNullableInstant(10),
        Deadline = reader.GetNullableInstant(11),
        ExitCode = reader.IsDBNull(12) ? null : reader.GetInt32(12),
        Session = reader.GetNullableString(13),
        Node = reader.GetNullableString(14),
        IncarnationId = reader.GetNullableInt64(15),
        Resumed = reader.GetFlag(16),
        Draining = reader.GetFlag(17),
        ResultStatus = reader.GetNullableString(18),
        Summary = reader.GetNullableString(19),
        TokensIn = reader.GetNullableInt64(20),
        TokensOut = reader.GetNullableInt64(21),
        AdoptedBy = reader.GetNullableInt64(22),
        AdoptedAt = reader.GetNullableInstant(23),
    };

    public static List<RunRecord> ReadAll(SqliteCommand command)
    {
        var runs = new List<RunRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            runs.Add(Read(reader));
        }

        return runs;
    }

    public static RunRecord? ReadOne(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public static RunState ParseState(string name) =>
        RunStates.TryParse(name, out var state) ? state : throw new FormatException($"unknown run state \"{name}\" in the ledger");
}
