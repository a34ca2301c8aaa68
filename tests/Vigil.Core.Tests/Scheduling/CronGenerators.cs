using System.Collections.Concurrent;
using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using DayField = Vigil.Core.Tests.Scheduling.NaiveCron.DayField;
using DayItem = Vigil.Core.Tests.Scheduling.NaiveCron.DayItem;
using NumericItem = Vigil.Core.Tests.Scheduling.NaiveCron.NumericItem;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// FsCheck generators for valid cron expressions (5 and 6 fields, every construct the parser
/// accepts) paired with their <see cref="NaiveCron"/> reading, and for zones and start instants
/// that land near daylight-saving transitions more often than chance would.
/// </summary>
internal static class CronGenerators
{
    /// <summary>Zones with gaps and overlaps of every shape, plus zones that never move.</summary>
    public static readonly string[] Zones =
    [
        "Europe/Berlin", "America/New_York", "America/Sao_Paulo", "America/Santiago", "America/Havana",
        "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "UTC", "Europe/London", "Asia/Tehran",
        "Pacific/Apia", "Antarctica/Troll", "America/St_Johns", "Asia/Kathmandu", "Europe/Dublin",
    ];

    private static readonly ConcurrentDictionary<string, int[]> TransitionYears = new(StringComparer.Ordinal);
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] WeekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly FieldSpec Second = new(0, 59, null, 0, false, Gen.Frequency((2, Gen.Elements(0, 30, 59)), (3, Gen.Choose(0, 59))));
    private static readonly FieldSpec Minute = new(0, 59, null, 0, false, Gen.Frequency((3, Gen.Elements(0, 15, 30, 45, 59)), (3, Gen.Choose(0, 59))));
    private static readonly int[] UsualTransitionHours = [0, 1, 2, 3, 22, 23];
    private static readonly FieldSpec DayOfMonth = new(1, 31, null, 0, false, Gen.Frequency((2, Gen.Elements(1, 28, 29, 30, 31)), (3, Gen.Choose(1, 31))));
    private static readonly FieldSpec Month = new(1, 12, MonthNames, 1, false, Gen.Choose(1, 12));
    private static readonly FieldSpec Weekday = new(0, 7, WeekdayNames, 0, true, Gen.Choose(0, 7));

    /// <summary>
    /// A valid expression with its independent reading. Two in five have fixed times (single values
    /// and lists only in the time fields), so that both sides of the interval rule are exercised; day
    /// and month fields are mostly <c>*</c>, so that most cases fire within the scanned window.
    /// </summary>
    /// <param name="sixFields">Whether to write a seconds field (null: sometimes).</param>
    /// <param name="hours">Hours to prefer in the hour field (default: the hours clocks usually change in).</param>
    public static Gen<NaiveCron> Expression(bool? sixFields = null, int[]? hours = null) =>
        (from six in sixFields is { } fixedSix ? Gen.Constant(fixedSix) : Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
         from fixedTimes in Gen.Frequency((3, Gen.Constant(false)), (2, Gen.Constant(true)))
         from seconds in six ? NumericField(Second, fixedTimes ? 0 : 3) : Gen.Constant(new Field("0", Only(0, 60), false))
         from minutes in NumericField(Minute, fixedTimes ? 0 : 3)
         from hourField in NumericField(HourSpec(hours ?? UsualTransitionHours), fixedTimes ? 0 : 3)
         from dayOfMonth in DayFields(DayOfMonthItems())
         from months in NumericField(Month, 21)
         from dayOfWeek in DayFields(DayOfWeekItems())
         where CanFire(months.Selected, dayOfMonth, dayOfWeek)
         let fields = $"{minutes.Text} {hourField.Text} {dayOfMonth.Text} {months.Text} {dayOfWeek.Text}"
         select new NaiveCron(six ? $"{seconds.Text} {fields}" : fields, six, seconds.Repeats || minutes.Repeats || hourField.Repeats,
             seconds.Selected, minutes.Selected, hourField.Selected, months.Selected, dayOfMonth, dayOfWeek));

    /// <summary>
    /// The local hours around any transition of the zone from a day before <paramref name="start"/>
    /// to three days after it (both offsets' wall clocks), so that expressions name times in gaps and
    /// repeated ranges; null when there is none.
    /// </summary>
    public static int[]? HoursNear(string zoneId, DateTimeOffset start)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var hours = new SortedSet<int>();
        foreach (var year in new[] { start.Year - 1, start.Year, start.Year + 1 })
        {
            foreach (var at in ZoneTransitions.In(zone, year).Where(t => t > start.AddDays(-1) && t < start.AddDays(3)))
            {
                var before = at.UtcDateTime.AddSeconds(-1) + zone.GetUtcOffset(at.UtcDateTime.AddSeconds(-1));
                var after = at.UtcDateTime + zone.GetUtcOffset(at.UtcDateTime);
                var (from, to) = before < after ? (before, after) : (after, before);
                for (var wall = from.AddHours(-1); wall <= to.AddHours(1); wall = wall.AddHours(1))
                {
                    hours.Add(wall.Hour);
                }
            }
        }

        return hours.Count == 0 ? null : [.. hours];
    }

    /// <summary>
    /// A start instant in 1990-2060: mostly up to two days (for seconds, two and a half hours) before
    /// one of the zone's transitions, or up to an hour after it (inside a repeated range), sometimes
    /// exactly on it or a second before it, sometimes with a fractional second.
    /// </summary>
    public static Gen<DateTimeOffset> Instant(string zoneId, bool seconds)
    {
        var uniform =
            from day in Gen.Choose(0, (int)(new DateTime(2061, 1, 1) - new DateTime(1990, 1, 1)).TotalDays - 1)
            from second in Gen.Choose(0, 86_399)
            select new DateTimeOffset(1990, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day).AddSeconds(second);

        var nearTransition =
            from year in YearsWithTransitions(zoneId) is { Length: > 0 } years
                ? Gen.Frequency((1, Gen.Choose(1990, 2060)), (4, Gen.Elements(years)))
                : Gen.Choose(1990, 2060)
            from pick in Gen.Choose(0, 1000)
            from delta in Gen.Frequency(
                (1, Gen.Constant(0)),
                (1, Gen.Constant(-1)),
                (2, Gen.Choose(1, 3_600)),
                (6, seconds ? Gen.Choose(-9_000, -1) : Gen.Choose(-2 * 86_400, -1)))
            from start in Gen.Constant(TransitionOrMidYear(zoneId, year, pick))
            select start.AddSeconds(delta);

        return from instant in Gen.Frequency((1, uniform), (3, nearTransition))
               from fraction in Gen.Frequency((4, Gen.Constant(0)), (1, Gen.Choose(1, 9_999_999)))
               select instant.AddTicks(fraction);
    }

    /// <summary>Years in 1990-2060 in which the zone's offset differs between January and July.</summary>
    private static int[] YearsWithTransitions(string zoneId) => TransitionYears.GetOrAdd(zoneId, static id =>
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        return [.. Enumerable.Range(1990, 71).Where(year =>
            zone.GetUtcOffset(new DateTime(year, 1, 15, 0, 0, 0, DateTimeKind.Utc)) != zone.GetUtcOffset(new DateTime(year, 7, 15, 0, 0, 0, DateTimeKind.Utc)))];
    });

    private static DateTimeOffset TransitionOrMidYear(string zoneId, int year, int pick)
    {
        var transitions = ZoneTransitions.In(TimeZoneInfo.FindSystemTimeZoneById(zoneId), year);
        return transitions.Count == 0
            ? new DateTimeOffset(year, 7, 1, 0, 0, 0, TimeSpan.Zero)
            : transitions[pick % transitions.Count];
    }

    /// <summary>
    /// The parser rejects (as documented) a restricted day of month, without <c>L</c> forms or a
    /// restricted day of week, that names no day any selected month has; such texts are not generated.
    /// </summary>
    private static bool CanFire(bool[] months, DayField dayOfMonth, DayField dayOfWeek)
    {
        if (!dayOfMonth.Restricted || dayOfWeek.Restricted || dayOfMonth.Items.Any(i => i.CountsFromMonthEnd))
        {
            return true;
        }

        return Enumerable.Range(1, 12).Any(month => months[month]
            && Enumerable.Range(1, DateTime.DaysInMonth(2000, month)).Any(day => dayOfMonth.Items.Any(i => i.NamedDays?.Invoke(day) == true)));
    }

    /// <summary>A numeric field: <c>*</c> with weight <paramref name="starWeight"/> against 7 for a list (of single values only when the weight is 0).</summary>
    private static Gen<Field> NumericField(FieldSpec spec, int starWeight)
    {
        var domain = spec.Weekday ? 7 : spec.Max + 1;
        var list =
            from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
            from items in Gen.ArrayOf(starWeight == 0 ? SingleItems(spec) : NumericItems(spec), count)
            select new Field(
                string.Join(',', items.Select(i => i.Text)),
                [.. Enumerable.Range(0, domain).Select(v => v >= spec.Min && items.Any(i => i.Selects(v)))],
                items.Any(i => i.Repeats));
        var star = Gen.Constant(new Field("*", [.. Enumerable.Range(0, domain).Select(v => v >= spec.Min)], true));
        return starWeight == 0 ? list : Gen.Frequency((starWeight, star), (7, list));
    }

    private static Gen<NumericItem> NumericItems(FieldSpec spec)
    {
        var span = spec.Weekday ? 7 : spec.Max - spec.Min + 1;
        var step = Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, span)));

        var star = Gen.Constant(new NumericItem("*", _ => true, true));
        var starStep =
            from s in Gen.Choose(1, span)
            select new NumericItem($"*/{s}", v => (v - spec.Min) % s == 0, true);
        var single = SingleItems(spec);
        var range =
            from a in spec.Value
            from b in spec.Value
            from s in step
            from first in Spell(spec, a)
            from last in Spell(spec, b)
            select new NumericItem(s == 0 ? $"{first}-{last}" : $"{first}-{last}/{s}", RangeSelects(spec, a, b, Math.Max(s, 1)), true);
        var startingAt =
            from a in spec.Weekday ? Gen.Choose(0, 6) : spec.Value
            from s in Gen.Choose(1, span)
            from text in Spell(spec, a)
            select new NumericItem($"{text}/{s}", v => v >= a && (v - a) % s == 0, true);

        return Gen.Frequency((1, star), (3, starStep), (6, single), (4, range), (2, startingAt));
    }

    private static Gen<NumericItem> SingleItems(FieldSpec spec) =>
        from a in spec.Value
        from text in Spell(spec, a)
        select new NumericItem(text, v => v == (spec.Weekday ? a % 7 : a), false);

    /// <summary>
    /// <c>a-b/s</c>: from a, every s-th value through b; a reversed range runs from a to the end of
    /// the field and on from its start to b. Weekdays count around the week, 7 being Sunday.
    /// </summary>
    private static Func<int, bool> RangeSelects(FieldSpec spec, int a, int b, int s)
    {
        if (spec.Weekday)
        {
            if (a <= b)
            {
                var days = Enumerable.Range(a, b - a + 1).Where(x => (x - a) % s == 0).Select(x => x % 7).ToHashSet();
                return days.Contains;
            }

            var start = a % 7;
            var length = ((b % 7) - start + 7) % 7 + 1;
            return v => (v - start + 7) % 7 is var position && position < length && position % s == 0;
        }

        var size = spec.Max - spec.Min + 1;
        var count = a <= b ? b - a + 1 : (spec.Max - a + 1) + (b - spec.Min + 1);
        return v => (((v - a) % size) + size) % size is var offset && offset < count && offset % s == 0;
    }

    private static Gen<DayField> DayFields(Gen<DayItem> item)
    {
        var list =
            from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)))
            from items in Gen.ArrayOf(item, count)
            select new DayField(string.Join(',', items.Select(i => i.Text)), items);
        return Gen.Frequency((6, Gen.Constant(new DayField("*", []))), (1, Gen.Constant(new DayField("?", []))), (3, list));
    }

    private static Gen<DayItem> DayOfMonthItems()
    {
        var plain = NumericItems(DayOfMonth).Select(i => new DayItem(i.Text, d => i.Selects(d.Day), false, i.Selects));
        var fromEnd =
            from back in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3)), (1, Gen.Choose(4, 30)))
            from weekday in Gen.Elements(false, true)
            from lower in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
            let text = (lower ? "l" : "L") + (back > 0 ? $"-{back}" : string.Empty) + (weekday ? (lower ? "w" : "W") : string.Empty)
            select new DayItem(text, d => CalendarRules.IsBeforeMonthEnd(d, back, weekday), true, null);
        var nearest =
            from day in DayOfMonth.Value
            select new DayItem($"{day}W", d => CalendarRules.IsNearestWeekday(d, day), false, v => v == day);
        return Gen.Frequency((5, plain), (2, fromEnd), (2, nearest));
    }

    private static Gen<DayItem> DayOfWeekItems()
    {
        var plain = NumericItems(Weekday).Select(i => new DayItem(i.Text, d => i.Selects((int)d.DayOfWeek), false, null));
        var last =
            from weekday in Weekday.Value
            from text in Spell(Weekday, weekday)
            select new DayItem($"{text}L", d => CalendarRules.IsLastWeekdayOfMonth(d, weekday), false, null);
        var nth =
            from weekday in Weekday.Value
            from k in Gen.Choose(1, 5)
            from text in Spell(Weekday, weekday)
            select new DayItem($"{text}#{k}", d => CalendarRules.IsNthWeekdayOfMonth(d, weekday, k), false, null);
        return Gen.Frequency((5, plain), (2, last), (2, nth));
    }

    /// <summary>A value as a number or, where the field has names, sometimes as a name in any case.</summary>
    private static FieldSpec HourSpec(int[] preferred) =>
        new(0, 23, null, 0, false, Gen.Frequency((4, Gen.Elements(preferred)), (3, Gen.Choose(0, 23))));

    private static Gen<string> Spell(FieldSpec spec, int value)
    {
        var number = Gen.Constant(value.ToString(CultureInfo.InvariantCulture));
        if (spec.Names is null || value - spec.NameBase < 0 || value - spec.NameBase >= spec.Names.Length)
        {
            return number;
        }

        var name = spec.Names[value - spec.NameBase];
        return Gen.Frequency(
            (3, number),
            (2, Gen.Elements(name, name.ToLowerInvariant(), name[0] + name[1..].ToLowerInvariant())));
    }

    private static bool[] Only(int value, int size) => [.. Enumerable.Range(0, size).Select(v => v == value)];

    /// <summary>A numeric field: its text, the values it selects (index = value) and whether it repeats.</summary>
    private sealed record Field(string Text, bool[] Selected, bool Repeats);

    /// <summary>A field's bounds, names (for values from <paramref name="NameBase"/>) and how values are drawn.</summary>
    private sealed record FieldSpec(int Min, int Max, string[]? Names, int NameBase, bool Weekday, Gen<int> Value);
}
