using System.Collections.Concurrent;

namespace Vigil.Scheduling;

/// <summary>
/// A zone's UTC offsets as a table of transitions, built lazily one year at a time from
/// <see cref="TimeZoneInfo"/> and cached, so that schedule maths can ask "what is the offset at
/// this instant" and "is there a transition between these two instants" without allocating.
/// </summary>
/// <remarks>
/// A year's transitions are found by sampling the offset once a day and bisecting each change to the
/// second. Two transitions less than a day apart that cancel out are not seen; no zone in the IANA
/// database has had one in the years schedules are asked about, and the cost (about 400 offset
/// look-ups per zone-year, once) keeps start-up fast.
/// </remarks>
internal sealed class ZoneRules
{
    private const int MinYear = 2;
    private const int MaxYear = 9998;
    private static readonly ConcurrentDictionary<string, ZoneRules> Cache = new(StringComparer.Ordinal);

    private readonly TimeZoneInfo _zone;
    private readonly YearRules?[] _years = new YearRules?[MaxYear + 2];
    private readonly bool _fixed;
    private readonly long _fixedOffset;

    private ZoneRules(TimeZoneInfo zone)
    {
        _zone = zone;
        if (zone.GetAdjustmentRules().Length == 0)
        {
            _fixed = true;
            _fixedOffset = zone.BaseUtcOffset.Ticks;
        }
    }

    /// <summary>The cached rules for <paramref name="zone"/>.</summary>
    public static ZoneRules For(TimeZoneInfo zone) => Cache.GetOrAdd(zone.Id, static (_, z) => new ZoneRules(z), zone);

    /// <summary>True when the zone never changes its offset (UTC, fixed-offset zones).</summary>
    public bool IsFixed => _fixed;

    /// <summary>The offset (in ticks) in force at <paramref name="utcTicks"/>; a transition applies from its own instant on.</summary>
    public long OffsetAt(long utcTicks)
    {
        if (_fixed)
        {
            return _fixedOffset;
        }

        var year = Year(utcTicks);
        if (year < MinYear || year > MaxYear)
        {
            return _zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
        }

        var rules = Get(year);
        var offset = rules.OffsetAtStart;
        var at = rules.At;
        for (var i = 0; i < at.Length && at[i] <= utcTicks; i++)
        {
            offset = rules.OffsetAfter[i];
        }

        return offset;
    }

    /// <summary>
    /// Finds the first transition in (<paramref name="afterUtc"/>, <paramref name="untilUtc"/>].
    /// </summary>
    public bool TryFindTransition(long afterUtc, long untilUtc, out Transition transition)
    {
        transition = default;
        if (_fixed || untilUtc <= afterUtc)
        {
            return false;
        }

        var first = Math.Max(Year(afterUtc), MinYear);
        var last = Math.Min(Year(untilUtc), MaxYear);
        for (var year = first; year <= last; year++)
        {
            var rules = Get(year);
            var at = rules.At;
            for (var i = 0; i < at.Length; i++)
            {
                if (at[i] > untilUtc)
                {
                    return false;
                }

                if (at[i] > afterUtc)
                {
                    transition = new Transition(at[i], i == 0 ? rules.OffsetAtStart : rules.OffsetAfter[i - 1], rules.OffsetAfter[i]);
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Finds the last transition at or before <paramref name="utcTicks"/> within the previous
    /// <paramref name="lookBack"/> ticks (enough to tell whether an instant is in a repeated hour).
    /// </summary>
    public bool TryFindLastTransition(long utcTicks, long lookBack, out Transition transition)
    {
        transition = default;
        if (_fixed)
        {
            return false;
        }

        var found = false;
        var year = Math.Max(Year(Math.Max(utcTicks - lookBack, 0)), MinYear);
        var last = Math.Min(Year(utcTicks), MaxYear);
        for (; year <= last; year++)
        {
            var rules = Get(year);
            for (var i = 0; i < rules.At.Length && rules.At[i] <= utcTicks; i++)
            {
                if (rules.At[i] >= utcTicks - lookBack)
                {
                    transition = new Transition(rules.At[i], i == 0 ? rules.OffsetAtStart : rules.OffsetAfter[i - 1], rules.OffsetAfter[i]);
                    found = true;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// Everything the start of a search needs, in one table look-up: the offset in force at
    /// <paramref name="utcTicks"/> (as <see cref="OffsetAt"/>), the last transition at or before it
    /// (in its year or the previous one), and the next transition after it (or an instant before
    /// which there is none).
    /// </summary>
    /// <remarks>
    /// <see cref="CronSchedule"/> calls this once per search instead of <see cref="OffsetAt"/>,
    /// <see cref="TryFindLastTransition"/> and <see cref="TryFindTransition"/>, which each work out
    /// the year and walk its table again; on the hot path that was most of the cost.
    /// </remarks>
    /// <returns>False for instants too close to the ends of the table; use the separate look-ups then.</returns>
    public bool TryLocate(long utcTicks, out ZoneLocation location)
    {
        location = default;
        if (_fixed)
        {
            location = new ZoneLocation(_fixedOffset, false, default, false, default, long.MaxValue);
            return true;
        }

        var year = Year(utcTicks);
        if (year <= MinYear || year >= MaxYear)
        {
            return false;
        }

        var rules = Get(year);
        var at = rules.At;
        var index = -1;
        while (index + 1 < at.Length && at[index + 1] <= utcTicks)
        {
            index++;
        }

        var hasPrevious = false;
        Transition previous = default;
        if (index >= 0)
        {
            hasPrevious = true;
            previous = new Transition(at[index], index == 0 ? rules.OffsetAtStart : rules.OffsetAfter[index - 1], rules.OffsetAfter[index]);
        }
        else
        {
            var before = Get(year - 1);
            if (before.At.Length > 0)
            {
                var last = before.At.Length - 1;
                hasPrevious = true;
                previous = new Transition(before.At[last], last == 0 ? before.OffsetAtStart : before.OffsetAfter[last - 1], before.OffsetAfter[last]);
            }
        }

        // The next transition: later this year, or the first of the next year. A year without
        // any gives only a bound: no transition before its end.
        var hasNext = true;
        Transition next;
        long nextAt;
        if (index + 1 < at.Length)
        {
            next = new Transition(at[index + 1], index < 0 ? rules.OffsetAtStart : rules.OffsetAfter[index], rules.OffsetAfter[index + 1]);
            nextAt = next.At;
        }
        else
        {
            var after = Get(year + 1);
            if (after.At.Length > 0)
            {
                next = new Transition(after.At[0], after.OffsetAtStart, after.OffsetAfter[0]);
                nextAt = next.At;
            }
            else
            {
                hasNext = false;
                next = default;
                nextAt = after.End;
            }
        }

        location = new ZoneLocation(index < 0 ? rules.OffsetAtStart : rules.OffsetAfter[index], hasPrevious, previous, hasNext, next, nextAt);
        return true;
    }

    /// <summary>
    /// Maps a local time to UTC: its first pass when it occurs twice, the first instant after the gap
    /// when it does not exist.
    /// </summary>
    public long LocalToUtcFirstPass(long localTicks)
    {
        // Start well before any instant this local time can denote (offsets stay within a day)
        // and follow the transitions up to it.
        var position = Math.Max(localTicks - (3 * TimeSpan.TicksPerDay), 0);
        var offset = OffsetAt(position);
        while (true)
        {
            var utc = localTicks - offset;
            if (!TryFindTransition(position, utc, out var t))
            {
                return utc;
            }

            if (t.IsGap && localTicks < t.At + t.OffsetAfter)
            {
                return t.At;
            }

            offset = t.OffsetAfter;
            position = t.At;
        }
    }

    private YearRules Get(int year)
    {
        var rules = Volatile.Read(ref _years[year]);
        if (rules is null)
        {
            rules = Build(year);
            Volatile.Write(ref _years[year], rules);
        }

        return rules;
    }

    private YearRules Build(int year)
    {
        var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var end = new DateTime(year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var offsetAtStart = Offset(start - TimeSpan.TicksPerSecond);
        var at = new List<long>(4);
        var after = new List<long>(4);

        var previousTicks = start - TimeSpan.TicksPerSecond;
        var previousOffset = offsetAtStart;
        for (var probe = start; ; probe = Math.Min(probe + TimeSpan.TicksPerDay, end - TimeSpan.TicksPerSecond))
        {
            var offset = Offset(probe);
            if (offset != previousOffset)
            {
                // Bisect (previousTicks, probe] to the first second with the new offset.
                long low = previousTicks, high = probe;
                while (high - low > TimeSpan.TicksPerSecond)
                {
                    var middle = low + ((high - low) / 2 / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond);
                    if (middle <= low)
                    {
                        middle = low + TimeSpan.TicksPerSecond;
                    }

                    if (Offset(middle) == previousOffset)
                    {
                        low = middle;
                    }
                    else
                    {
                        high = middle;
                    }
                }

                at.Add(high);
                after.Add(Offset(high));
                previousOffset = offset;
            }

            previousTicks = probe;
            if (probe >= end - TimeSpan.TicksPerSecond)
            {
                break;
            }
        }

        return new YearRules(offsetAtStart, [.. at], [.. after], end);
    }

    private long Offset(long utcTicks) => _zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    private static int Year(long utcTicks) => utcTicks <= 0 ? 1
        : utcTicks >= DateTime.MaxValue.Ticks ? DateTime.MaxValue.Year
        : new DateTime(utcTicks).Year;

    private sealed record YearRules(long OffsetAtStart, long[] At, long[] OffsetAfter, long End);
}

/// <summary>The result of <see cref="ZoneRules.TryLocate"/>.</summary>
/// <param name="Offset">The offset in force (ticks).</param>
/// <param name="HasPrevious">Whether <paramref name="Previous"/> holds a transition.</param>
/// <param name="Previous">The last transition at or before the instant (in its year or the previous one).</param>
/// <param name="HasNext">Whether <paramref name="Next"/> holds a transition.</param>
/// <param name="Next">The first transition after the instant (in its year or the next one), as <see cref="ZoneRules.TryFindTransition"/> gives it.</param>
/// <param name="NextAt">No transition happens after the instant and before this one (UTC ticks): <paramref name="Next"/>'s instant, or a bound when there is none.</param>
internal readonly record struct ZoneLocation(long Offset, bool HasPrevious, Transition Previous, bool HasNext, Transition Next, long NextAt);

/// <summary>A change of UTC offset at instant <see cref="At"/> (UTC ticks).</summary>
internal readonly record struct Transition(long At, long OffsetBefore, long OffsetAfter)
{
    /// <summary>Clocks jumped forward: the local times [At+before, At+after) do not exist.</summary>
    public bool IsGap => OffsetAfter > OffsetBefore;

    /// <summary>Clocks fell back: the local times [At+after, At+before) occur twice.</summary>
    public bool IsOverlap => OffsetAfter < OffsetBefore;
}
