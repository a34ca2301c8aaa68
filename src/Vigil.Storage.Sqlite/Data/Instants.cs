namespace Vigil.Storage.Sqlite.Data;

/// <summary>Instants are stored as INTEGER unix milliseconds (UTC).</summary>
internal static class Instants
{
    public static long ToDb(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public static long? ToDb(DateTimeOffset? instant) => instant?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromDb(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value);

    /// <summary><paramref name="now"/> + <paramref name="span"/>, saturating instead of overflowing.</summary>
    public static long Add(DateTimeOffset now, TimeSpan span)
    {
        var start = ToDb(now);
        var millis = (long)Math.Ceiling(span.TotalMilliseconds);
        return millis > 0 && start > long.MaxValue - millis ? long.MaxValue : start + millis;
    }
}
