using System.Collections.Concurrent;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// A zone's offset changes in one year, read from <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/>
/// for the tests (the engine's own table is what is under test, so it is not used here).
/// </summary>
internal static class ZoneTransitions
{
    private static readonly ConcurrentDictionary<(string, int), IReadOnlyList<DateTimeOffset>> Cache = new();

    /// <summary>The first instants (UTC, whole seconds) at which a new offset applies, in <paramref name="year"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> In(TimeZoneInfo zone, int year) =>
        Cache.GetOrAdd((zone.Id, year), static (key, z) => Find(z, key.Item2), zone);

    private static List<DateTimeOffset> Find(TimeZoneInfo zone, int year)
    {
        var result = new List<DateTimeOffset>();
        var end = new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var previous = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var previousOffset = zone.GetUtcOffset(previous);
        for (var probe = previous.AddHours(3); probe <= end; probe = probe.AddHours(3))
        {
            var offset = zone.GetUtcOffset(probe);
            if (offset != previousOffset)
            {
                // Narrow (previous, probe] down to the first second with the new offset.
                var low = previous;
                var high = probe;
                while (high - low > TimeSpan.FromSeconds(1))
                {
                    var middle = low.AddSeconds(Math.Floor((high - low).TotalSeconds / 2));
                    if (zone.GetUtcOffset(middle) == previousOffset)
                    {
                        low = middle;
                    }
                    else
                    {
                        high = middle;
                    }
                }

                if (high < end)
                {
                    result.Add(new DateTimeOffset(high));
                }
            }

            previous = probe;
            previousOffset = offset;
        }

        return result;
    }
}
