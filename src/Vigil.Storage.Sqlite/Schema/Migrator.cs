using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Schema;

/// <summary>
/// Applies the shipped migrations in order, each in its own transaction together with its
/// <c>schema_version</c> row, so a crash mid-migration leaves the previous version intact.
/// </summary>
/// <remarks>
/// Migrations run with foreign keys off, and <c>PRAGMA foreign_key_check</c> must find nothing
/// before one commits: the procedure SQLite documents for changes it cannot make with ALTER TABLE
/// (rebuilding a table that other tables reference), applied to every migration alike.
/// </remarks>
internal static class Migrator
{
    /// <summary>The migrator's own bookkeeping; it must exist before any migration can be recorded.</summary>
    private const string CreateVersionTable =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";

    /// <summary>Brings the database to <see cref="Migration.Latest"/>. Returns the versions it applied.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer Vigil.</exception>
    public static IReadOnlyList<int> Apply(SqlSession session, IReadOnlyList<Migration> migrations, TimeProvider clock, CancellationToken cancellationToken)
    {
        session.Execute(CreateVersionTable);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        CheckNotNewer(CurrentVersion(session), latest, session.Connection.DataSource);

        var applied = new List<int>();
        session.Execute("PRAGMA foreign_keys = OFF");
        foreach (var migration in migrations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Execute("BEGIN IMMEDIATE");
            try
            {
                // Read again under the write lock: another process may have migrated meanwhile.
                var current = CurrentVersion(session);
                CheckNotNewer(current, latest, session.Connection.DataSource);
                if (migration.Version <= current)
                {
                    session.Execute("ROLLBACK");
                    continue;
                }

                ExecuteScript(session.Connection, migration.Sql);
                CheckForeignKeys(session);
                session.Command("INSERT INTO schema_version (version, applied_at) VALUES ($version, $at)")
                    .Bind("$version", migration.Version)
                    .Bind("$at", clock.GetUtcNow())
                    .ExecuteNonQuery();
                session.Execute("COMMIT");
                applied.Add(migration.Version);
            }
            catch (SqliteException error)
            {
                session.Execute("ROLLBACK");
                throw new InvalidOperationException($"migration {migration.Name} failed: {error.Message}", error);
            }
        }

        session.Execute("PRAGMA foreign_keys = ON");
        return applied;
    }

    private static void CheckForeignKeys(SqlSession session)
    {
        using var reader = session.Command("PRAGMA foreign_key_check").ExecuteReader();
        if (reader.Read())
        {
            throw new SqliteException($"it left a row of {reader.GetString(0)} without the row it references in {reader.GetString(2)}", 19);
        }
    }

    /// <summary>The highest applied version, 0 for an empty database.</summary>
    public static int CurrentVersion(SqlSession session) =>
        (int)session.Scalar<long>("SELECT COALESCE(MAX(version), 0) FROM schema_version");

    private static void CheckNotNewer(int current, int latest, string path)
    {
        if (current > latest)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"the ledger {path} has schema version {current}, newer than this Vigil understands ({latest}); upgrade Vigil"));
        }
    }

    private static void ExecuteScript(SqliteConnection connection, string sql)
    {
        // A script runs once; it is not worth a cached statement.
        using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The script is an embedded resource of this assembly.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.ExecuteNonQuery();
    }
}
