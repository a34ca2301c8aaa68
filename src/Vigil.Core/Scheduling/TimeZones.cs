namespace Vigil.Scheduling;

/// <summary>Finds IANA time zones by name with a one-line error for unknown ones.</summary>
public static class TimeZones
{
    /// <summary>Finds an IANA zone such as <c>Europe/Berlin</c> (or <c>UTC</c>).</summary>
    public static bool TryFind(string? id, out TimeZoneInfo zone, out string? error)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            error = "empty time zone";
            return false;
        }

        id = id.Trim();
        if (id.Equals("UTC", StringComparison.OrdinalIgnoreCase) || id.Equals("Z", StringComparison.OrdinalIgnoreCase))
        {
            error = null;
            return true;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            error = null;
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            error = $"unknown time zone \"{id}\" (use an IANA name such as Europe/Berlin or America/New_York)";
            return false;
        }
    }

    /// <summary>Finds a zone or throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static TimeZoneInfo Find(string id) =>
        TryFind(id, out var zone, out var error) ? zone : throw new ArgumentException(error, nameof(id));
}
