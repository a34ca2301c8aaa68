using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite.Data;

/// <summary>
/// One open connection and its prepared statements. Used by one thread at a time: the writer owns
/// one, readers rent one each from the <see cref="ReaderPool"/>.
/// </summary>
internal sealed class SqlSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Statement> _prepared = new(StringComparer.Ordinal);

    private SqlSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>Opens a connection with the store's pragmas.</summary>
    /// <param name="options">The store's options.</param>
    /// <param name="writer">
    /// The writer (and the migrator) turn on WAL, full synchronous commits and foreign keys; readers
    /// are query-only so that a bug in a read path can never write.
    /// </param>
    public static SqlSession Open(SqliteStoreOptions options, bool writer)
    {
        SqliteLibrary.EnsureConfigured();
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var session = new SqlSession(connection);
            var busyMillis = (long)options.BusyTimeout.TotalMilliseconds;
            session.Execute("PRAGMA busy_timeout = " + busyMillis.ToString(CultureInfo.InvariantCulture));
            if (writer)
            {
                var mode = session.Scalar<string>("PRAGMA journal_mode = WAL");
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"the SQLite ledger could not switch to WAL mode (journal_mode is {mode})");
                }

                session.Execute("PRAGMA synchronous = FULL");
                session.Execute("PRAGMA foreign_keys = ON");
            }
            else
            {
                session.Execute("PRAGMA query_only = ON");
            }

            return session;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The cached statement for <paramref name="sql"/>, its parameters cleared.</summary>
    /// <remarks>Reusing the command keeps SQLite's prepared statement, which matters on the write path.</remarks>
    public SqliteCommand Command(string sql)
    {
        if (!_statements.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
#pragma warning disable CA2100 // Every statement is a constant of this assembly; values are always bound parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            _statements.Add(sql, command);
        }

        command.Parameters.Clear();
        return command;
    }

    /// <summary>The prepared statement for <paramref name="sql"/> (see <see cref="Statement"/>), for the hot write path.</summary>
    public Statement Prepared(string sql)
    {
        if (!_prepared.TryGetValue(sql, out var statement))
        {
            statement = Statement.Prepare(Connection.Handle!, sql);
            _prepared.Add(sql, statement);
        }

        return statement;
    }

    public int Execute(string sql) => Command(sql).ExecuteNonQuery();

    public T? Scalar<T>(string sql)
    {
        var value = Command(sql).ExecuteScalar();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        foreach (var command in _statements.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        foreach (var statement in _prepared.Values)
        {
            statement.Dispose();
        }

        _prepared.Clear();
        Connection.Dispose();
    }
}
