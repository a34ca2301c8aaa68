using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Vigil.Storage.Sqlite.Data;

/// <summary>
/// A statement prepared once on a session's connection and run many times: bind, step, reset.
/// The write path's statements use it instead of <see cref="SqliteCommand"/>.
/// </summary>
/// <remarks>
/// <para>A command re-creates its parameter objects, looks every parameter up by name and opens a
/// data reader on each execution; on the writer, which runs every statement of the ledger on one
/// thread, that managed work cost about as much as SQLite's own (see BENCHMARKS.md). Here a
/// parameter's index is looked up once and values go straight to SQLite.</para>
/// <para>Errors surface as <see cref="SqliteException"/> with SQLite's extended code, as they do
/// through commands, so callers handle both alike. The statement is reset after every execution
/// (also a failed one), so it never holds a read transaction or a lock open.</para>
/// </remarks>
internal sealed class Statement : IDisposable
{
    private const uint PreparePersistent = 0x01;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _handle;
    private readonly Dictionary<string, int> _parameters = new(StringComparer.Ordinal);

    private Statement(sqlite3 db, sqlite3_stmt handle)
    {
        _db = db;
        _handle = handle;
    }

    public static Statement Prepare(sqlite3 db, string sql)
    {
        var rc = raw.sqlite3_prepare_v3(db, sql, PreparePersistent, out var handle);
        if (rc != raw.SQLITE_OK)
        {
            handle?.Dispose();
            throw Error(db, rc);
        }

        return new Statement(db, handle);
    }

    public Statement Bind(string name, long? value)
    {
        var index = IndexOf(name);
        Check(value is { } v ? raw.sqlite3_bind_int64(_handle, index, v) : raw.sqlite3_bind_null(_handle, index));
        return this;
    }

    public Statement Bind(string name, string? value)
    {
        var index = IndexOf(name);
        Check(value is null ? raw.sqlite3_bind_null(_handle, index) : raw.sqlite3_bind_text(_handle, index, value));
        return this;
    }

    public Statement Bind(string name, bool value) => Bind(name, value ? 1L : 0L);

    public Statement Bind(string name, DateTimeOffset? value) => Bind(name, Instants.ToDb(value));

    /// <summary>Runs the statement to its end and returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_handle)) == raw.SQLITE_ROW)
            {
            }

            if (rc != raw.SQLITE_DONE)
            {
                throw Error(_db, rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs a query and hands its first row to <paramref name="read"/>; false when it returned none.</summary>
    public bool ReadFirst<TState>(ref TState state, RowReader<TState> read)
    {
        try
        {
            var rc = raw.sqlite3_step(_handle);
            if (rc == raw.SQLITE_ROW)
            {
                read(new Row(_handle), ref state);
                return true;
            }

            if (rc != raw.SQLITE_DONE)
            {
                throw Error(_db, rc);
            }

            return false;
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs a query and hands every row to <paramref name="read"/>.</summary>
    public void ReadAll<TState>(ref TState state, RowReader<TState> read)
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_handle)) == raw.SQLITE_ROW)
            {
                read(new Row(_handle), ref state);
            }

            if (rc != raw.SQLITE_DONE)
            {
                throw Error(_db, rc);
            }
        }
        finally
        {
            Reset();
        }
    }

    public void Dispose() => _handle.Dispose();

    private void Reset()
    {
        raw.sqlite3_reset(_handle);
        raw.sqlite3_clear_bindings(_handle);
    }

    private int IndexOf(string name)
    {
        if (!_parameters.TryGetValue(name, out var index))
        {
            index = raw.sqlite3_bind_parameter_index(_handle, name);
            if (index == 0)
            {
                throw new ArgumentException($"the statement has no parameter {name}", nameof(name));
            }

            _parameters.Add(name, index);
        }

        return index;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(_db, rc);
        }
    }

    private static SqliteException Error(sqlite3 db, int rc)
    {
        var extended = raw.sqlite3_extended_errcode(db);
        return new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc, extended);
    }

    /// <summary>Reads the current row.</summary>
    internal delegate void RowReader<TState>(Row row, ref TState state);

    /// <summary>The current row of a query; valid only inside the reader callback.</summary>
    internal readonly struct Row(sqlite3_stmt handle)
    {
        public long Int64(int column) => raw.sqlite3_column_int64(handle, column);

        public string String(int column) => raw.sqlite3_column_text(handle, column).utf8_to_string();

        public string? NullableString(int column) =>
            raw.sqlite3_column_type(handle, column) == raw.SQLITE_NULL ? null : String(column);

        public long? NullableInt64(int column) =>
            raw.sqlite3_column_type(handle, column) == raw.SQLITE_NULL ? null : Int64(column);

        /// <summary>A text column's UTF-8 bytes, valid until the statement steps again.</summary>
        public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(handle, column);
    }
}
