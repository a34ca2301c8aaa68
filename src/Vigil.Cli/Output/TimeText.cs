using System.Globalization;
using Vigil.Scheduling;

namespace Vigil.Cli.Output;

/// <summary>How human output writes instants and durations. Every time is UTC, ISO-8601, so it can be pasted back into <c>--since</c>.</summary>
internal static class TimeText
{
    /// <summary>What a missing value prints as.</summary>
    public const string None = "-";

    /// <summary>An instant in UTC (<c>2026-01-01T09:00:00Z</c>, milliseconds dropped), or <c>-</c>.</summary>
    public static string Instant(DateTimeOffset? instant) =>
        instant is { } value ? Iso.Format(new DateTimeOffset(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero)) : None;

    /// <summary>A run's length: <c>340ms</c>, <c>2.5s</c>, <c>4m12s</c>, or <c>-</c>.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } value)
        {
            return None;
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            return ((long)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        }

        if (value < TimeSpan.FromMinutes(1))
        {
            return value.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
        }

        return Scheduling.Duration.Format(TimeSpan.FromSeconds(Math.Round(value.TotalSeconds)));
    }

    /// <summary>A value or <c>-</c>.</summary>
    public static string OrNone(string? text) => string.IsNullOrEmpty(text) ? None : text;

    /// <summary>A number or <c>-</c>.</summary>
    public static string OrNone(long? number) => number is { } n ? n.ToString(CultureInfo.InvariantCulture) : None;
}
