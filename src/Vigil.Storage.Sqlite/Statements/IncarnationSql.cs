using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>Statements on <c>incarnations</c>.</summary>
internal static class IncarnationSql
{
    public static Incarnation Start(SqlSession s, string node, int pid, DateTimeOffset now, TimeSpan lease)
    {
        var id = s.Command("""
            INSERT INTO incarnations (node, pid, started_at, heartbeat_at, lease_expires_at, epoch)
            VALUES ($node, $pid, $now, $now, $expires, 1)
            RETURNING id
            """)
            .Bind("$node", node)
            .Bind("$pid", pid)
            .Bind("$now", now)
            .Bind("$expires", Instants.Add(now, lease))
            .ExecuteScalar();
        return new Incarnation
        {
            Id = (long)id!,
            Node = node,
            Pid = pid,
            StartedAt = Instants.FromDb(Instants.ToDb(now)),
            Epoch = 1,
        };
    }

    /// <remarks>
    /// A lease that already ran out is not renewed: another node (or this node's next incarnation)
    /// may have recovered the runs in the meantime, so the holder must treat itself as fenced out.
    /// </remarks>
    public static bool Renew(SqlSession s, Incarnation owner, DateTimeOffset now, TimeSpan lease) =>
        s.Command("""
            UPDATE incarnations SET heartbeat_at = $now, lease_expires_at = $expires
            WHERE id = $id AND epoch = $epoch AND stopped_at IS NULL AND lease_expires_at > $now
            """)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .Bind("$now", now)
            .Bind("$expires", Instants.Add(now, lease))
            .ExecuteNonQuery() == 1;

    public static int BeginDrain(SqlSession s, Incarnation owner, DateTimeOffset now)
    {
        s.Command("""
            UPDATE incarnations SET draining_at = COALESCE(draining_at, $now)
            WHERE id = $id AND epoch = $epoch
            """)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .Bind("$now", now)
            .ExecuteNonQuery();
        return s.Command("""
            UPDATE runs SET draining = 1
            WHERE state = 'running' AND incarnation_id = $id AND lease_epoch = $epoch
            """)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .ExecuteNonQuery();
    }

    /// <remarks>The lease is released by moving its expiry to <paramref name="now"/>, never later than it was.</remarks>
    public static void Stop(SqlSession s, Incarnation owner, bool clean, DateTimeOffset now) =>
        s.Command("""
            UPDATE incarnations
            SET stopped_at = $now, clean_stop = $clean, lease_expires_at = MIN(lease_expires_at, $now)
            WHERE id = $id AND epoch = $epoch AND stopped_at IS NULL
            """)
            .Bind("$id", owner.Id)
            .Bind("$epoch", owner.Epoch)
            .Bind("$clean", clean)
            .Bind("$now", now)
            .ExecuteNonQuery();

    public static List<IncarnationRecord> List(SqlSession s, string node, DateTimeOffset since)
    {
        var command = s.Command("""
            SELECT id, node, pid, started_at, epoch, heartbeat_at, lease_expires_at, draining_at, stopped_at, clean_stop
            FROM incarnations
            WHERE node = $node AND started_at >= $since
            ORDER BY started_at, id
            """)
            .Bind("$node", node)
            .Bind("$since", since);
        var records = new List<IncarnationRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            records.Add(new IncarnationRecord
            {
                Incarnation = new Incarnation
                {
                    Id = reader.GetInt64(0),
                    Node = reader.GetString(1),
                    Pid = reader.GetInt32(2),
                    StartedAt = reader.GetInstant(3),
                    Epoch = reader.GetInt64(4),
                },
                HeartbeatAt = reader.GetInstant(5),
                LeaseExpiresAt = reader.GetInstant(6),
                DrainingAt = reader.GetNullableInstant(7),
                StoppedAt = reader.GetNullableInstant(8),
                CleanStop = reader.GetFlag(9),
            });
        }

        return records;
    }
}
