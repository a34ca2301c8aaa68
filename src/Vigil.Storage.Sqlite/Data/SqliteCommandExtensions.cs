using Microsoft.Data.Sqlite;

namespace Vigil.Storage.Sqlite.Data;

/// <summary>Binding values the way the schema stores them.</summary>
internal static class SqliteCommandExtensions
{
    public static SqliteCommand Bind(this SqliteCommand command, string name, string? value)
    {
        command.Parameters.AddWithValue(name, (object?)value ?? DBNull.Value);
        return command;
    }

    public static SqliteCommand Bind(this SqliteCommand command, string name, long? value)
    {
        command.Parameters.AddWithValue(name, value is { } v ? v : DBNull.Value);
        return command;
    }

    public static SqliteCommand Bind(this SqliteCommand command, string name, bool value)
    {
        command.Parameters.AddWithValue(name, value ? 1L : 0L);
        return command;
    }

    public static SqliteCommand Bind(this SqliteCommand command, string name, DateTimeOffset? value) =>
        command.Bind(name, Instants.ToDb(value));

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? GetNullableInstant(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Instants.FromDb(reader.GetInt64(ordinal));

    public static DateTimeOffset GetInstant(this SqliteDataReader reader, int ordinal) =>
        Instants.FromDb(reader.GetInt64(ordinal));

    public static bool GetFlag(this SqliteDataReader reader, int ordinal) => reader.GetInt64(ordinal) != 0;
}
