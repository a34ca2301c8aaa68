using System.Globalization;

namespace Vigil.Scheduling;

/// <summary>ISO-8601 instants as Vigil writes and reads them.</summary>
public static class Iso
{
    /// <summary>Formats an instant in UTC with a trailing Z, seconds precision (fractions only when present).</summary>
    public static string Format(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Formats an instant as local time in <paramref name="zone"/> with its offset, e.g. <c>2026-03-29T03:00:00+02:00</c>.</summary>
    public static string FormatLocal(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses an ISO-8601 date-time. With an offset or Z it is that instant; without one it is a local
    /// time in <paramref name="zone"/> (a time in a DST gap moves to the end of the gap, a repeated time takes its first pass).
    /// </summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        ArgumentNullException.ThrowIfNull(zone);
        instant = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (HasOffset(text))
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out var parsed) || !LooksIso(text))
            {
                return false;
            }

            instant = parsed.ToUniversalTime();
            return true;
        }

        if (!LooksIso(text) || !DateTime.TryParse(text, CultureInfo.InvariantCulture, styles, out var local))
        {
            return false;
        }

        // A local time at either end of the calendar can denote an instant outside it (9999-12-31T23:00 in New York).
        var utcTicks = ZoneRules.For(zone).LocalToUtcFirstPass(DateTime.SpecifyKind(local, DateTimeKind.Unspecified).Ticks);
        if (utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        instant = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool LooksIso(string text) =>
        text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-';

    private static bool HasOffset(string text)
    {
        if (text.EndsWith('Z') || text.EndsWith('z'))
        {
            return true;
        }

        var timeStart = text.IndexOf('T', StringComparison.OrdinalIgnoreCase);
        if (timeStart < 0)
        {
            timeStart = text.IndexOf(' ', StringComparison.Ordinal);
        }

        return timeStart > 0 && text.AsSpan(timeStart).IndexOfAny('+', '-') >= 0;
    }
}
