using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite.Data;
using Vigil.Storage.Sqlite.Schema;

namespace Vigil.Storage.Sqlite.Tests;

/// <summary>The migrator, the shipped schema files and the connection settings.</summary>
public sealed class SqliteSchemaTests : IDisposable
{
    private static readonly DateTimeOffset Applied = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TempDatabase _database = new();

    private SqliteStoreOptions Options => new() { Path = _database.Path, TimeProvider = new FixedTimeProvider(Applied) };

    public void Dispose() => _database.Delete();

    [Fact]
    public void Shipped_EmbeddedMigrations_AreTheSourceFilesExactly()
    {
        var files = Directory.GetFiles(SourceTree.MigrationsDirectory, "*.sql").OrderBy(f => f, StringComparer.Ordinal).ToList();

        Assert.NotEmpty(files);
        Assert.Equal(files.Select(Path.GetFileName), Migration.Shipped.Select(m => m.Name));
        foreach (var (file, migration) in files.Zip(Migration.Shipped))
        {
            Assert.Equal(File.ReadAllText(file), migration.Sql);
        }

        Assert.Equal(files.Select(f => int.Parse(Path.GetFileName(f)[..4], System.Globalization.CultureInfo.InvariantCulture)), Migration.Shipped.Select(m => m.Version));
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_RecordsEveryShippedVersion()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        var versions = await store.ReadAsync(s => ReadVersions(s), CancellationToken.None);

        Assert.Equal(Migration.Shipped.Select(m => (m.Version, Applied.ToUnixTimeMilliseconds())), versions);
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_CreatesTheDocumentedTablesAndIndexes()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        var objects = await store.ReadAsync(
            s =>
            {
                var names = new List<string>();
                using var reader = s.Command("SELECT type || ':' || name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY 1").ExecuteReader();
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }

                return names;
            },
            CancellationToken.None);

        Assert.Equal(
            [
                "index:ix_alert_outbox_due",
                "index:ix_incarnations_node_started",
                "index:ix_runs_pending_due",
                "index:ix_runs_pending_order",
                "index:ix_runs_running_owner",
                "index:ux_incidents_open",
                "index:ux_runs_running_session",
                "table:alert_outbox",
                "table:incarnations",
                "table:incidents",
                "table:job_health",
                "table:jobs",
                "table:run_events",
                "table:run_output",
                "table:runs",
                "table:schema_version",
                "trigger:tr_runs_terminal_insert",
                "trigger:tr_runs_terminal_update",
            ],
            objects);
    }

    [Fact]
    public async Task MigrateAsync_AgainAndFromASecondStore_AddsNoVersionRows()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);
        await using (var second = await SqliteRunStore.OpenAsync(Options with { TimeProvider = new FixedTimeProvider(Applied.AddDays(1)) }, CancellationToken.None))
        {
            await second.MigrateAsync(CancellationToken.None);
        }

        var versions = await store.ReadAsync(s => ReadVersions(s), CancellationToken.None);

        Assert.Equal(Migration.Shipped.Count, versions.Count);
        Assert.All(versions, v => Assert.Equal(Applied.ToUnixTimeMilliseconds(), v.AppliedAt));
    }

    [Fact]
    public async Task MigrateAsync_NewMigrationShipped_AppliesOnlyTheNewOne()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);
        var next = new Migration(Migration.Latest + 1, "9999_extra.sql", "CREATE TABLE extra (x INTEGER);");

        await store.MigrateAsync([.. Migration.Shipped, next], CancellationToken.None);

        var versions = await store.ReadAsync(s => ReadVersions(s), CancellationToken.None);
        Assert.Equal(Migration.Latest + 1, versions[^1].Version);
        Assert.Equal(0L, await store.ReadAsync(s => s.Scalar<long>("SELECT COUNT(*) FROM extra"), CancellationToken.None));
    }

    [Fact]
    public async Task MigrateAsync_FailingMigration_RollsBackItsStatementsAndVersion()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);
        var broken = new Migration(Migration.Latest + 1, "9999_broken.sql", "CREATE TABLE half (x INTEGER); SELECT no_such_column FROM runs;");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync([.. Migration.Shipped, broken], CancellationToken.None));

        Assert.Contains("9999_broken.sql", error.Message, StringComparison.Ordinal);
        Assert.Equal(Migration.Latest, await store.ReadAsync(Migrator.CurrentVersion, CancellationToken.None));
        Assert.Equal(0L, await store.ReadAsync(s => s.Scalar<long>("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'half'"), CancellationToken.None));
    }

    [Fact]
    public async Task OpenAsync_DatabaseNewerThanCode_FailsWithClearError()
    {
        await using (var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None))
        {
            await store.WriteAsync(s => s.Execute("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)"), CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => SqliteRunStore.OpenAsync(Options, CancellationToken.None));

        Assert.Contains("schema version 999", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Vigil", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_Pragmas_WalFullSynchronousForeignKeysAndBusyTimeout()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        var settings = await store.WriteAsync(
            s => (s.Scalar<string>("PRAGMA journal_mode"), s.Scalar<long>("PRAGMA synchronous"), s.Scalar<long>("PRAGMA foreign_keys"), s.Scalar<long>("PRAGMA busy_timeout")),
            CancellationToken.None);

        Assert.Equal(("wal", 2L, 1L, 5000L), settings);
    }

    [Fact]
    public async Task Reader_WriteAttempt_IsRefused()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(() => store.ReadAsync(s => s.Execute("DELETE FROM runs"), CancellationToken.None));
    }

    [Fact]
    public async Task Schema_TwoRunningRunsInOneSession_RejectedByTheIndex()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);
        await store.WriteAsync(
            s => s.Execute("""
                INSERT INTO incarnations (id, node, pid, started_at, heartbeat_at, lease_expires_at) VALUES (1, 'n', 1, 0, 0, 1);
                INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, session, incarnation_id, lease_epoch, started_at)
                VALUES ('a', 0, 1, 'running', 'schedule', 0, 'main', 1, 1, 0);
                """),
            CancellationToken.None);

        var error = await Assert.ThrowsAsync<SqliteException>(() => store.WriteAsync(
            s => s.Execute("""
                INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, session, incarnation_id, lease_epoch, started_at)
                VALUES ('b', 0, 1, 'running', 'schedule', 0, 'main', 1, 1, 0)
                """),
            CancellationToken.None));

        Assert.Equal(2067, error.SqliteExtendedErrorCode);
    }

    [Fact]
    public async Task Schema_RunOwnedByUnknownIncarnation_RejectedByForeignKey()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        await Assert.ThrowsAsync<SqliteException>(() => store.WriteAsync(
            s => s.Execute("""
                INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, incarnation_id, lease_epoch, started_at)
                VALUES ('a', 0, 1, 'running', 'schedule', 0, 77, 1, 0)
                """),
            CancellationToken.None));
    }

    [Fact]
    public async Task Migration3_LedgerAtVersion2_KeepsRunsOutputAndTheIdCounter()
    {
        await using var store = new SqliteRunStore(Options);
        await store.MigrateAsync(Migration.Shipped.Take(2).ToList(), CancellationToken.None);
        await store.WriteAsync(
            s => s.Execute("""
                INSERT INTO incarnations (id, node, pid, started_at, heartbeat_at, lease_expires_at) VALUES (1, 'n', 1, 0, 0, 1);
                INSERT INTO runs (id, job, slot, attempt, state, "trigger", created_at, session, incarnation_id, lease_epoch, started_at)
                VALUES (7, 'a', 0, 1, 'running', 'schedule', 0, 'main', 1, 1, 0);
                INSERT INTO runs (id, job, slot, attempt, state, "trigger", created_at, not_before)
                VALUES (40, 'b', 5, 2, 'pending', 'retry', 0, 9);
                INSERT INTO run_output (run_id, output) VALUES (7, 'tail');
                DELETE FROM runs WHERE id = 40;
                """),
            CancellationToken.None);

        await store.MigrateAsync(CancellationToken.None);

        Assert.Equal(Migration.Latest, await store.ReadAsync(Migrator.CurrentVersion, CancellationToken.None));
        Assert.Equal("a|running|main|1|tail", await store.ReadAsync(
            s => s.Scalar<string>("SELECT r.job || '|' || r.state || '|' || r.session || '|' || r.incarnation_id || '|' || o.output FROM runs r JOIN run_output o ON o.run_id = r.id WHERE r.id = 7"),
            CancellationToken.None));
        var next = await store.WriteAsync(
            s =>
            {
                s.Execute("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('c', 0, 1, 'pending', 'manual', 0)""");
                return s.Scalar<long>("SELECT last_insert_rowid()");
            },
            CancellationToken.None);
        Assert.Equal(41L, next);
        Assert.Equal(
            ["index:ix_runs_pending_due", "index:ix_runs_pending_order", "index:ix_runs_running_owner", "index:ux_runs_running_session"],
            await store.ReadAsync(s => ReadNames(s, "SELECT type || ':' || name FROM sqlite_schema WHERE tbl_name = 'runs' AND type = 'index' AND sql IS NOT NULL ORDER BY 1"), CancellationToken.None));
        Assert.Equal(1L, await store.WriteAsync(s => s.Scalar<long>("PRAGMA foreign_keys"), CancellationToken.None));
    }

    [Theory]
    [InlineData("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('a', 0, 1, 'done', 'manual', 0)""")]
    [InlineData("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('a', 0, 1, 'pending', 'cron', 0)""")]
    [InlineData("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, resumed) VALUES ('a', 0, 1, 'pending', 'manual', 0, 2)""")]
    [InlineData("""INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('a', 0, 0, 'pending', 'manual', 0)""")]
    public async Task Schema_ValueOutsideTheCheckedSet_IsRejected(string insert)
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        var error = await Assert.ThrowsAsync<SqliteException>(() => store.WriteAsync(s => s.Execute(insert), CancellationToken.None));

        Assert.Equal(275, error.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_CHECK
    }

    [Fact]
    public async Task Schema_InsertAndStateChange_BuildNoTemporaryIndex()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);

        var ephemeral = await store.ReadAsync(
            s => ReadNames(s, """EXPLAIN INSERT INTO runs (job, slot, attempt, state, "trigger", created_at) VALUES ('a', 0, 1, 'pending', 'manual', 0)""")
                .Concat(ReadNames(s, "EXPLAIN UPDATE runs SET state = 'failed' WHERE id = 1"))
                .Concat(ReadNames(s, """
                    EXPLAIN INSERT INTO runs (job, slot, attempt, state, "trigger", created_at, started_at, deadline, node, incarnation_id, lease_epoch, draining)
                    VALUES ('a', 0, 1, 'running', 'schedule', 0, 0, 1, (SELECT node FROM incarnations WHERE id = 1),
                            (SELECT id FROM incarnations WHERE id = 1 AND epoch = 1 AND stopped_at IS NULL AND lease_expires_at > 0), 1,
                            COALESCE((SELECT draining_at IS NOT NULL FROM incarnations WHERE id = 1), 0))
                    ON CONFLICT (job, slot, attempt) DO NOTHING
                    """))
                .Count(opcode => opcode == "OpenEphemeral"),
            CancellationToken.None);

        Assert.Equal(0, ephemeral);
    }

    [Fact]
    public async Task MigrateAsync_MigrationLeavingADanglingReference_IsRolledBack()
    {
        await using var store = await SqliteRunStore.OpenAsync(Options, CancellationToken.None);
        var dangling = new Migration(Migration.Latest + 1, "9999_dangling.sql", "INSERT INTO run_output (run_id, output) VALUES (12345, 'x');");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync([.. Migration.Shipped, dangling], CancellationToken.None));

        Assert.Contains("9999_dangling.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("run_output", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await store.ReadAsync(s => s.Scalar<long>("SELECT COUNT(*) FROM run_output"), CancellationToken.None));
    }

    private static List<string> ReadNames(SqlSession session, string sql)
    {
        var names = new List<string>();
        using var reader = session.Command(sql).ExecuteReader();
        var column = reader.FieldCount > 1 ? 1 : 0;
        while (reader.Read())
        {
            names.Add(reader.GetString(column));
        }

        return names;
    }

    private static List<(int Version, long AppliedAt)> ReadVersions(SqlSession session)
    {
        var versions = new List<(int, long)>();
        using var reader = session.Command("SELECT version, applied_at FROM schema_version ORDER BY version").ExecuteReader();
        while (reader.Read())
        {
            versions.Add((reader.GetInt32(0), reader.GetInt64(1)));
        }

        return versions;
    }
}
