using Microsoft.Data.Sqlite;
using SQLitePCL;
using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>
/// Every state change of a run. Each one is a conditional UPDATE naming the state it expects and,
/// for a running run, the owner's (incarnation, epoch); the row count says whether it applied.
/// </summary>
internal static class RunWrites
{
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintCheck = 275;

    public static long? Insert(SqlSession s, NewRun run, DateTimeOffset now)
    {
        // No RETURNING: SQLite builds a temporary table for it. The row count and the connection's
        // last rowid say the same, for the price of nothing (the writer runs one statement at a time).
        var terminal = run.State.IsTerminal();
        var inserted = s.Prepared("""
            INSERT INTO runs (job, slot, attempt, state, reason, "trigger", created_at, not_before, finished_at, session, resumed)
            VALUES ($job, $slot, $attempt, $state, $reason, $trigger, $now, $not_before, $finished, $session, $resumed)
            ON CONFLICT (job, slot, attempt) DO NOTHING
            """)
            .Bind("$job", run.Job)
            .Bind("$slot", run.Slot)
            .Bind("$attempt", run.Attempt)
            .Bind("$state", run.State.Name())
            .Bind("$reason", run.Reason)
            .Bind("$trigger", run.Trigger.Name())
            .Bind("$now", now)
            .Bind("$not_before", run.NotBefore)
            .Bind("$finished", terminal ? now : null)
            .Bind("$session", run.Session)
            .Bind("$resumed", run.Resumed)
            .Execute();
        return inserted == 1 ? raw.sqlite3_last_insert_rowid(s.Connection.Handle) : null;
    }

    /// <remarks>
    /// One INSERT whose owner columns are scalar subqueries on the owner's incarnation row: when the
    /// lease does not hold, the owner is NULL and the runs table's own rule (a running row names its
    /// owner) refuses the row. Not INSERT … SELECT, which SQLite runs through a temporary table on a
    /// table with triggers. A session's uniqueness among running runs is the index's: a busy session
    /// is reported as <see cref="ClaimResult.SessionBusy"/> (the engine claims on insert only runs
    /// without one).
    /// </remarks>
    public static InsertClaimResult InsertClaimed(SqlSession s, NewRun run, Incarnation owner, DateTimeOffset startedAt, DateTimeOffset deadline, DateTimeOffset now)
    {
        int inserted;
        try
        {
            inserted = s.Prepared("""
                INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, started_at, deadline,
                                  node, incarnation_id, lease_epoch, draining, session, resumed)
                VALUES ($job, $slot, $attempt, 'running', $trigger, $now, $started, $deadline,
                        (SELECT node FROM incarnations WHERE id = $id),
                        (SELECT id FROM incarnations
                         WHERE id = $id AND epoch = $epoch AND stopped_at IS NULL AND lease_expires_at > $now),
                        $epoch,
                        COALESCE((SELECT draining_at IS NOT NULL FROM incarnations WHERE id = $id), 0),
                        $session, $resumed)
                ON CONFLICT (job, slot, attempt) DO NOTHING
                """)
                .Bind("$job", run.Job)
                .Bind("$slot", run.Slot)
                .Bind("$attempt", run.Attempt)
                .Bind("$trigger", run.Trigger.Name())
                .Bind("$now", now)
                .Bind("$started", startedAt)
                .Bind("$deadline", deadline)
                .Bind("$session", run.Session)
                .Bind("$resumed", run.Resumed)
                .Bind("$id", owner.Id)
                .Bind("$epoch", owner.Epoch)
                .Execute();
        }
        catch (SqliteException error) when (error.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            return new InsertClaimResult(ClaimResult.SessionBusy, 0);
        }
        catch (SqliteException error) when (error.SqliteExtendedErrorCode == SqliteConstraintCheck && !LeaseHeld(s, owner, now))
        {
            return new InsertClaimResult(ClaimResult.LeaseLost, 0);
        }

        return inserted == 1
            ? new InsertClaimResult(ClaimResult.Claimed, raw.sqlite3_last_insert_rowid(s.Connection.Handle))
            : new InsertClaimResult(ClaimResult.NotPending, 0);
    }

    private static bool LeaseHeld(SqlSession s, Incarnation owner, DateTimeOffset now) =>
        s.Command("""
            SELECT EXISTS (SELECT 1 FROM incarnations
                           WHERE id = $id AND epoch = $epoch AND stopped_at IS NULL AND lease_expires_at > $now)
            """)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .Bind("$now", now)
            .ExecuteScalar() is 1L;

    /// <remarks>
    /// <para>One conditional UPDATE carries every check (lease, pending and due, session free), so
    /// the common case costs one statement. Only when it changes nothing do the follow-up reads
    /// name the reason, in the contract's order: lease, then pending, then session. Both run in the
    /// writer's transaction, so nothing can change in between.</para>
    /// <para>The unique index on running sessions stays as the last word: if it ever fires, the
    /// claim is reported as <see cref="ClaimResult.SessionBusy"/>, not as an error.</para>
    /// </remarks>
    public static ClaimResult Claim(SqlSession s, long runId, Incarnation owner, DateTimeOffset now, DateTimeOffset deadline)
    {
        try
        {
            // A run claimed by a draining owner carries the drain mark like the ones BeginDrain marked.
            // The owner's row is read by scalar subqueries rather than UPDATE ... FROM, which SQLite
            // would materialize into a temporary table for every claim.
            var changed = s.Prepared("""
                UPDATE runs
                SET state = 'running', started_at = $now, deadline = $deadline,
                    node = (SELECT node FROM incarnations WHERE id = $id),
                    incarnation_id = $id, lease_epoch = $epoch,
                    draining = (SELECT draining_at IS NOT NULL FROM incarnations WHERE id = $id)
                WHERE runs.id = $run AND runs.state = 'pending' AND (runs.not_before IS NULL OR runs.not_before <= $now)
                  AND EXISTS (SELECT 1 FROM incarnations
                              WHERE id = $id AND epoch = $epoch AND stopped_at IS NULL AND lease_expires_at > $now)
                  AND (runs.session IS NULL
                       OR NOT EXISTS (SELECT 1 FROM runs AS busy WHERE busy.session = runs.session AND busy.state = 'running'))
                """)
                .Bind("$run", runId)
                .Bind("$now", now)
                .Bind("$deadline", deadline)
                .Bind("$id", owner.Id)
                .Bind("$epoch", owner.Epoch)
                .Execute();
            if (changed == 1)
            {
                return ClaimResult.Claimed;
            }
        }
        catch (SqliteException error) when (error.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            return ClaimResult.SessionBusy;
        }

        if (!LeaseHeld(s, owner, now))
        {
            return ClaimResult.LeaseLost;
        }

        var due = s.Command("""
            SELECT EXISTS (SELECT 1 FROM runs
                           WHERE id = $run AND state = 'pending' AND (not_before IS NULL OR not_before <= $now))
            """)
            .Bind("$run", runId)
            .Bind("$now", now)
            .ExecuteScalar() is 1L;
        return due ? ClaimResult.SessionBusy : ClaimResult.NotPending;
    }

    /// <remarks>
    /// A plain conditional UPDATE (RETURNING would cost a temporary table per run); only a run that
    /// is retried reads its key back, in the same transaction, to insert the next attempt.
    /// </remarks>
    public static bool Finish(SqlSession s, long runId, Incarnation owner, RunOutcome outcome, DateTimeOffset now)
    {
        var changed = s.Prepared("""
            UPDATE runs
            SET state = $state, reason = $reason, finished_at = $now, exit_code = $exit_code,
                result_status = $result_status, summary = $summary, tokens_in = $tokens_in, tokens_out = $tokens_out
            WHERE id = $run AND state = 'running' AND incarnation_id = $id AND lease_epoch = $epoch
            """)
            .Bind("$run", runId)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .Bind("$state", outcome.State.Name())
            .Bind("$reason", outcome.Reason)
            .Bind("$now", now)
            .Bind("$exit_code", outcome.ExitCode)
            .Bind("$result_status", outcome.ResultStatus)
            .Bind("$summary", outcome.Summary)
            .Bind("$tokens_in", outcome.TokensIn)
            .Bind("$tokens_out", outcome.TokensOut)
            .Execute();
        if (changed == 0)
        {
            return false;
        }

        if (outcome.RetryNotBefore is { } notBefore)
        {
            // The retry is written with the outcome, in one transaction: a crash cannot lose it.
            InsertRetry(s, ReadKey(s, runId), notBefore, now, resumed: null);
        }

        WriteOutput(s, runId, outcome.Output);
        return true;
    }

    /// <summary>The identity of run <paramref name="runId"/> that its next attempt inherits.</summary>
    private static RunKey ReadKey(SqlSession s, long runId)
    {
        var key = default(RunKey);
        s.Prepared("SELECT job, slot, attempt, session, resumed FROM runs WHERE id = $run")
            .Bind("$run", runId)
            .ReadFirst(ref key, static (Statement.Row row, ref RunKey k) =>
                k = new RunKey(row.String(0), row.Int64(1), row.Int64(2), row.NullableString(3), row.Int64(4) != 0));
        return key;
    }

    /// <summary>Inserts the next attempt of <paramref name="key"/> as a pending retry; <paramref name="resumed"/> null keeps the run's flag.</summary>
    private static void InsertRetry(SqlSession s, RunKey key, DateTimeOffset notBefore, DateTimeOffset now, bool? resumed) =>
        s.Prepared("""
            INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, not_before, session, resumed)
            VALUES ($job, $slot, $attempt, 'pending', 'retry', $now, $not_before, $session, $resumed)
            ON CONFLICT (job, slot, attempt) DO NOTHING
            """)
            .Bind("$job", key.Job)
            .Bind("$slot", key.Slot)
            .Bind("$attempt", key.Attempt + 1)
            .Bind("$now", now)
            .Bind("$not_before", notBefore)
            .Bind("$session", key.Session)
            .Bind("$resumed", resumed ?? key.Resumed)
            .Execute();

    /// <remarks>
    /// Empty output is not stored: most runs print nothing, and a row each would cost a second
    /// insert per run for nothing to show (GetRunOutput returns null for it, as for no output).
    /// </remarks>
    private static void WriteOutput(SqlSession s, long runId, string? output)
    {
        if (string.IsNullOrEmpty(output))
        {
            return;
        }

        s.Prepared("""
            INSERT INTO run_output (run_id, output) VALUES ($run, $output)
            ON CONFLICT (run_id) DO UPDATE SET output = excluded.output
            """)
            .Bind("$run", runId)
            .Bind("$output", output)
            .Execute();
    }

    /// <remarks>
    /// Fenced both ways: the run must still be running under the incarnation it is taken from, and
    /// the adopter must hold a valid lease. Start and deadline stay: a timeout counts from the
    /// original start.
    /// </remarks>
    public static bool Adopt(SqlSession s, long runId, long fromIncarnationId, Incarnation owner, DateTimeOffset now) =>
        s.Command("""
            UPDATE runs
            SET incarnation_id = $id, lease_epoch = $epoch, node = (SELECT node FROM incarnations WHERE id = $id),
                draining = 0, adopted_by = $id, adopted_at = $now
            WHERE id = $run AND state = 'running' AND incarnation_id = $from
              AND EXISTS (SELECT 1 FROM incarnations
                          WHERE id = $id AND epoch = $epoch AND stopped_at IS NULL AND lease_expires_at > $now)
            """)
            .Bind("$run", runId)
            .Bind("$from", fromIncarnationId)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .Bind("$now", now)
            .ExecuteNonQuery() == 1;

    public static bool ResolvePending(SqlSession s, long runId, RunState state, string reason, DateTimeOffset now) =>
        s.Prepared("""
            UPDATE runs SET state = $state, reason = $reason, finished_at = $now
            WHERE id = $run AND state = 'pending'
            """)
            .Bind("$run", runId)
            .Bind("$state", state.Name())
            .Bind("$reason", reason)
            .Bind("$now", now)
            .Execute() == 1;

    /// <remarks>
    /// Per item: mark the run if it is still running under the expected owner, then read its key
    /// and insert its retry. Plain statements rather than UPDATE … RETURNING, for which SQLite
    /// builds a temporary table each time (recovery may interrupt thousands in one transaction).
    /// </remarks>
    public static int Interrupt(SqlSession s, IReadOnlyList<Interruption> items, DateTimeOffset now)
    {
        var applied = 0;
        foreach (var item in items)
        {
            var changed = s.Prepared("""
                UPDATE runs SET state = 'interrupted', reason = $reason, finished_at = $now
                WHERE id = $run AND state = 'running' AND incarnation_id = $owner
                """)
                .Bind("$run", item.RunId)
                .Bind("$owner", item.OwnerIncarnationId)
                .Bind("$reason", item.Reason)
                .Bind("$now", now)
                .Execute();
            if (changed == 0)
            {
                continue;
            }

            applied++;
            if (item.RetryNotBefore is { } notBefore)
            {
                InsertRetry(s, ReadKey(s, item.RunId), notBefore, now, resumed: true);
            }
        }

        return applied;
    }

    /// <summary>What a retry inherits from the attempt before it.</summary>
    private readonly record struct RunKey(string Job, long Slot, long Attempt, string? Session, bool Resumed);
}
