using Microsoft.Data.Sqlite;
using Vigil.Jobs;
using Vigil.Ledger;
using Vigil.Storage.Sqlite.Data;

namespace Vigil.Storage.Sqlite.Statements;

/// <summary>Statements on <c>jobs</c>.</summary>
internal static class JobSql
{
    private const string Columns = "name, definition, source, paused, created_at, updated_at, removed_at";

    public static void Upsert(SqlSession s, StoredJob job) =>
        s.Command($"""
            INSERT INTO jobs ({Columns})
            VALUES ($name, $definition, $source, $paused, $created, $updated, $removed)
            ON CONFLICT (name) DO UPDATE SET
                definition = excluded.definition, source = excluded.source, paused = excluded.paused,
                created_at = excluded.created_at, updated_at = excluded.updated_at, removed_at = excluded.removed_at
            """)
            .Bind("$name", job.Name)
            .Bind("$definition", job.Definition)
            .Bind("$source", job.Source == JobSource.Api ? "api" : "config")
            .Bind("$paused", job.Paused)
            .Bind("$created", job.CreatedAt)
            .Bind("$updated", job.UpdatedAt)
            .Bind("$removed", job.RemovedAt)
            .ExecuteNonQuery();

    public static StoredJob? Get(SqlSession s, string name)
    {
        using var reader = s.Command($"SELECT {Columns} FROM jobs WHERE name = $name").Bind("$name", name).ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public static List<StoredJob> List(SqlSession s, bool includeRemoved)
    {
        var sql = includeRemoved
            ? $"SELECT {Columns} FROM jobs ORDER BY name"
            : $"SELECT {Columns} FROM jobs WHERE removed_at IS NULL ORDER BY name";
        var jobs = new List<StoredJob>();
        using var reader = s.Command(sql).ExecuteReader();
        while (reader.Read())
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    /// <remarks>
    /// Keyset paging on the primary key: each page is an index range, however deep into the table.
    /// The definitions are copied as SQLite stores them (UTF-8) into one buffer for the page: no
    /// string per definition, and nothing to decode until the engine parses it.
    /// </remarks>
    public static List<JobRow> ListPage(SqlSession s, string? after, int limit, bool includeRemoved)
    {
        var sql = includeRemoved
            ? $"SELECT {Columns} FROM jobs WHERE name > $after ORDER BY name LIMIT $limit"
            : $"SELECT {Columns} FROM jobs WHERE name > $after AND removed_at IS NULL ORDER BY name LIMIT $limit";
        var page = new PageBuilder(Math.Min(limit, 4096));
        s.Prepared(sql)
            .Bind("$after", after ?? string.Empty)
            .Bind("$limit", limit)
            .ReadAll(ref page, static (Statement.Row row, ref PageBuilder p) => p.Add(row));
        return page.Build();
    }

    /// <remarks>Pausing is not a change of the definition, so <c>updated_at</c> stays.</remarks>
    public static bool SetPaused(SqlSession s, string name, bool paused) =>
        s.Command("UPDATE jobs SET paused = $paused WHERE name = $name")
            .Bind("$name", name)
            .Bind("$paused", paused)
            .ExecuteNonQuery() == 1;

    /// <remarks>Removing twice keeps the first removal's instant.</remarks>
    public static bool Remove(SqlSession s, string name, DateTimeOffset now) =>
        s.Command("UPDATE jobs SET removed_at = COALESCE(removed_at, $now) WHERE name = $name")
            .Bind("$name", name)
            .Bind("$now", now)
            .ExecuteNonQuery() == 1;

    private static StoredJob Read(SqliteDataReader reader) => new()
    {
        Name = reader.GetString(0),
        Definition = reader.GetString(1),
        Source = reader.GetString(2) == "api" ? JobSource.Api : JobSource.Config,
        Paused = reader.GetFlag(3),
        CreatedAt = reader.GetInstant(4),
        UpdatedAt = reader.GetInstant(5),
        RemovedAt = reader.GetNullableInstant(6),
    };

    /// <summary>Collects a page's rows, their definitions appended to shared chunks.</summary>
    /// <remarks>
    /// The chunks stay under the large-object threshold (85,000 bytes): a page of a few thousand
    /// definitions in one growing buffer would be megabytes on the large-object heap per page, and
    /// large-object allocations are only reclaimed by full collections (dozens of them while a
    /// million jobs load). Small chunks die young, like the page.
    /// </remarks>
    private struct PageBuilder(int capacity)
    {
        private const int ChunkSize = 64 * 1024;

        private readonly List<JobRow> _rows = new(capacity);
        private byte[] _chunk = [];
        private int _used;

        public readonly List<JobRow> Build() => _rows;

        public void Add(Statement.Row row)
        {
            var definition = row.Utf8(1);
            _rows.Add(new JobRow(
                row.String(0),
                Copy(definition),
                row.Utf8(2).SequenceEqual("api"u8) ? JobSource.Api : JobSource.Config,
                row.Int64(3) != 0,
                Instants.FromDb(row.Int64(4)),
                Instants.FromDb(row.Int64(5)),
                row.NullableInt64(6) is { } removed ? Instants.FromDb(removed) : null));
        }

        private ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> definition)
        {
            if (definition.Length > ChunkSize / 4)
            {
                return definition.ToArray();
            }

            if (_used + definition.Length > _chunk.Length)
            {
                _chunk = new byte[ChunkSize];
                _used = 0;
            }

            definition.CopyTo(_chunk.AsSpan(_used));
            var memory = _chunk.AsMemory(_used, definition.Length);
            _used += definition.Length;
            return memory;
        }
    }
}
