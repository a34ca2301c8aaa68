namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// When a cron expression should fire in a zone, decided instant by instant with
/// <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> and a <see cref="NaiveCron"/>, following the
/// documented rules:
/// <list type="bullet">
/// <item>an instant fires when its local time matches, unless the wall clock already showed that
/// local time earlier (a repeated range) and the expression is not an interval;</item>
/// <item>the instant a gap ends also fires when any local time inside the gap matches.</item>
/// </list>
/// </summary>
/// <remarks>
/// Repeated and skipped local times are found from the offsets themselves rather than with
/// <see cref="TimeZoneInfo.IsAmbiguousTime(DateTimeOffset)"/> and <see cref="TimeZoneInfo.IsInvalidTime"/>:
/// on .NET 10 those report neither for Europe/Dublin, whose daylight saving is stored as a negative
/// offset in winter, although its offset does change twice a year.
/// </remarks>
internal static class DstOracle
{
    /// <summary>Every instant in (<paramref name="after"/>, <paramref name="until"/>] at which the expression fires.</summary>
    public static List<DateTimeOffset> FiresIn(NaiveCron cron, TimeZoneInfo zone, DateTimeOffset after, DateTimeOffset until)
    {
        var step = Step(cron);
        var first = (after.UtcTicks / step + 1) * step;
        var fires = new List<DateTimeOffset>();
        for (var ticks = first; ticks <= until.UtcTicks; ticks += step)
        {
            var instant = new DateTimeOffset(ticks, TimeSpan.Zero);
            if (FiresAt(cron, zone, instant, out _))
            {
                fires.Add(instant);
            }
        }

        return fires;
    }

    /// <summary>Whether the expression fires at <paramref name="instant"/>, and why (for failure messages).</summary>
    public static bool FiresAt(NaiveCron cron, TimeZoneInfo zone, DateTimeOffset instant, out string why)
    {
        var utc = instant.UtcDateTime;
        var offset = zone.GetUtcOffset(utc);
        var offsetBefore = zone.GetUtcOffset(utc.AddTicks(-1));
        var local = DateTime.SpecifyKind(utc + offset, DateTimeKind.Unspecified);

        if (cron.Matches(local))
        {
            var secondPass = ShownAtAnotherInstant(zone, utc, local, earlier: true);
            if (!secondPass || cron.IsInterval)
            {
                why = $"{local:s} matches{(secondPass ? " on its second pass" : string.Empty)}";
                return true;
            }
        }

        if (offset > offsetBefore)
        {
            // The clocks jumped forward at this instant: the local times [start, end) do not exist.
            var start = DateTime.SpecifyKind(utc + offsetBefore, DateTimeKind.Unspecified);
            var end = DateTime.SpecifyKind(utc + offset, DateTimeKind.Unspecified);
            for (var skipped = start; skipped < end; skipped = skipped.AddTicks(Step(cron)))
            {
                if (cron.Matches(skipped))
                {
                    why = $"{skipped:s} is in the gap that ends here";
                    return true;
                }
            }
        }

        why = $"{local:s} does not fire";
        return false;
    }

    /// <summary>
    /// How a daylight-saving transition touches a fire: the end of a gap in which a named local
    /// time did not exist, or either pass of a repeated local time.
    /// </summary>
    public static Vigil.Scheduling.DstNote Note(NaiveCron cron, TimeZoneInfo zone, DateTimeOffset fire)
    {
        var utc = fire.UtcDateTime;
        var offset = zone.GetUtcOffset(utc);
        var offsetBefore = zone.GetUtcOffset(utc.AddTicks(-1));
        if (offset > offsetBefore)
        {
            var end = DateTime.SpecifyKind(utc + offset, DateTimeKind.Unspecified);
            for (var skipped = DateTime.SpecifyKind(utc + offsetBefore, DateTimeKind.Unspecified); skipped < end; skipped = skipped.AddTicks(Step(cron)))
            {
                if (cron.Matches(skipped))
                {
                    return Vigil.Scheduling.DstNote.ShiftedFromGap;
                }
            }
        }

        var local = DateTime.SpecifyKind(utc + offset, DateTimeKind.Unspecified);
        return ShownAtAnotherInstant(zone, utc, local, earlier: true) ? Vigil.Scheduling.DstNote.RepeatedHourSecondPass
            : ShownAtAnotherInstant(zone, utc, local, earlier: false) ? Vigil.Scheduling.DstNote.RepeatedHourFirstPass
            : Vigil.Scheduling.DstNote.None;
    }

    /// <summary>
    /// Whether the wall clock shows <paramref name="local"/> at another instant within a day, under
    /// another offset: before <paramref name="utc"/> (<paramref name="earlier"/>) or after it.
    /// </summary>
    private static bool ShownAtAnotherInstant(TimeZoneInfo zone, DateTime utc, DateTime local, bool earlier)
    {
        var offset = zone.GetUtcOffset(utc);
        foreach (var other in new[] { zone.GetUtcOffset(utc.AddDays(-1)), zone.GetUtcOffset(utc.AddDays(1)) })
        {
            if (other == offset)
            {
                continue;
            }

            var then = DateTime.SpecifyKind(local - other, DateTimeKind.Utc);
            if ((earlier ? then < utc : then > utc) && zone.GetUtcOffset(then) == other)
            {
                return true;
            }
        }

        return false;
    }

    private static long Step(NaiveCron cron) => cron.HasSeconds ? TimeSpan.TicksPerSecond : TimeSpan.TicksPerMinute;
}
