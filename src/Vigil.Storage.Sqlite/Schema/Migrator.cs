using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Schema;

/// <summary>
/// Applies the shipped migrations in order, each in its own transaction together with its
/// <c>schema_version</c> row, so a crash mid-migration leaves the previous version intact.
/// </summary>
/// <remarks>
/// A migration is applied when its version has no <c>schema_version</c> row, whatever the highest
/// recorded version is: a ledger that got version 4 from a build that did not ship 3 still gets 3
/// from the build that does. Migrations numbered side by side must therefore not depend on each other.
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
        foreach (var migration in migrations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Execute("BEGIN IMMEDIATE");
            try
            {
                // Read again under the write lock: another process may have migrated meanwhile.
                CheckNotNewer(CurrentVersion(session), latest, session.Connection.DataSource);
                if (IsApplied(session, migration.Version))
                {
                    session.Execute("ROLLBACK");
                    continue;
                }

                ExecuteScript(session.Connection, migration.Sql);
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

        return applied;
    }

    /// <summary>The highest applied version, 0 for an empty database.</summary>
    public static int CurrentVersion(SqlSession session) =>
        (int)session.Scalar<long>("SELECT COALESCE(MAX(version), 0) FROM schema_version");

    private static bool IsApplied(SqlSession session, int version) =>
        session.Command("SELECT EXISTS (SELECT 1 FROM schema_version WHERE version = $version)")
            .Bind("$version", version)
            .ExecuteScalar() is 1L;

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
