using System.Globalization;
using System.Text;

namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// Random cron expressions that both Vigil and Quartz.NET can express, each as a pair of texts with the
/// same meaning: Vigil's syntax (what users write) and its Quartz translation (the reference).
/// </summary>
/// <remarks>
/// <para>The Vigil side uses the whole surface: names in any case, ranges that wrap, steps on ranges
/// and on single starts, lists, 5 or 6 fields, tabs and repeated blanks. The Quartz side is the same
/// expression in Quartz's dialect (day-of-week 1-7 with 1 = Sunday, a mandatory <c>?</c>, always 6 fields).</para>
/// <para>Constructs left out on purpose, and why, are listed in <see cref="QuartzDifferentialTests"/>.</para>
/// </remarks>
internal sealed class CronPairGenerator(Random random)
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] WeekdayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private readonly Random _random = random;

    /// <summary>A new pair; <paramref name="withSeconds"/> picks the 6-field form for Vigil (Quartz always has seconds).</summary>
    public CronPair Next(bool withSeconds)
    {
        var vigil = new List<string>(6);
        var quartz = new List<string>(6);

        if (withSeconds)
        {
            var seconds = Simple(0, 59, dense: false);
            vigil.Add(seconds);
            quartz.Add(seconds);
        }
        else
        {
            quartz.Add("0");
        }

        var minutes = Simple(0, 59, dense: false);
        var hours = Simple(0, 23, dense: false);
        var months = Month();
        var (vigilDom, quartzDom, vigilDow, quartzDow) = Days();

        vigil.AddRange([minutes, hours, vigilDom, months.Vigil, vigilDow]);
        quartz.AddRange([minutes, hours, quartzDom, months.Quartz, quartzDow]);

        var vigilText = Join(vigil);
        if (_random.Next(10) == 0)
        {
            // Names and L, W, # are case-insensitive in Vigil; Quartz upper-cases the whole text.
            vigilText = vigilText.ToLowerInvariant();
        }

        return new CronPair(vigilText, string.Join(' ', quartz));
    }

    private string Join(List<string> fields)
    {
        var text = new StringBuilder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                text.Append(_random.Next(20) switch
                {
                    0 => "\t",
                    1 => "  ",
                    _ => " ",
                });
            }

            text.Append(fields[i]);
        }

        return text.ToString();
    }

    /// <summary>
    /// Day-of-month and day-of-week: exactly one of them is <c>?</c> (Quartz cannot express both
    /// restricted); the other is <c>*</c>, a plain field or one special item.
    /// </summary>
    private (string VigilDom, string QuartzDom, string VigilDow, string QuartzDow) Days()
    {
        switch (_random.Next(20))
        {
            case 0:
                return ("*", "*", "?", "?");
            case 1:
                return ("?", "?", "*", "*");
            case < 11:
                {
                    var dom = DayOfMonth();
                    return (dom, dom, "?", "?");
                }

            default:
                {
                    var (vigil, quartz) = DayOfWeek();
                    return ("?", "?", vigil, quartz);
                }
        }
    }

    private string DayOfMonth() => _random.Next(10) switch
    {
        0 => "L",
        1 => $"L-{_random.Next(0, 31)}",
        2 => "LW",
        3 => $"L-{_random.Next(0, 31)}W",
        // nW for a day every month has (see the remarks on 29W-31W in QuartzDifferentialTests).
        4 => $"{_random.Next(1, 29)}W",
        _ => Simple(1, 31, dense: true),
    };

    private (string Vigil, string Quartz) DayOfWeek()
    {
        switch (_random.Next(10))
        {
            case 0:
                {
                    var day = _random.Next(0, 8);
                    return ($"{Weekday(day)}L", $"{QuartzWeekday(day)}L");
                }

            case 1:
                {
                    var day = _random.Next(0, 8);
                    var nth = _random.Next(1, 6);
                    return ($"{Weekday(day)}#{nth}", $"{QuartzWeekday(day)}#{nth}");
                }

            default:
                {
                    var count = ListLength();
                    var vigil = new string[count];
                    var quartz = new string[count];
                    for (var i = 0; i < count; i++)
                    {
                        (vigil[i], quartz[i]) = WeekdayItem(allowStar: count == 1);
                    }

                    return (string.Join(',', vigil), string.Join(',', quartz));
                }
        }
    }

    /// <summary>One day-of-week list item, translated to Quartz's 1-7 (Sunday = 1).</summary>
    private (string Vigil, string Quartz) WeekdayItem(bool allowStar)
    {
        var kind = _random.Next(allowStar ? 6 : 4);
        var first = _random.Next(0, 8);
        var last = _random.Next(0, 8);
        var step = _random.Next(1, 8);
        switch (kind)
        {
            case 0:
                return (Weekday(first), QuartzWeekday(first));
            case 1:
                {
                    var (qFirst, qLast) = QuartzWeekdayRange(first, last);
                    return ($"{Weekday(first)}-{Weekday(last)}", $"{qFirst}-{qLast}");
                }

            case 2:
                {
                    // Quartz ignores a step after a name range (MON-FRI/2 is every weekday): numbers only.
                    var (qFirst, qLast) = QuartzWeekdayRange(first, last);
                    return ($"{Weekday(first)}-{Weekday(last)}/{step}", $"{qFirst}-{qLast}/{step}");
                }

            case 3:
                return ($"{Weekday(first)}/{step}", $"{(first % 7) + 1}/{step}");
            case 4:
                return ($"*/{step}", $"*/{step}");
            default:
                return ("*", "*");
        }
    }

    /// <summary>
    /// Vigil's <c>a-b</c> as Quartz's: each end maps to <c>n % 7 + 1</c>; <c>0-7</c> (the whole week,
    /// Sunday to Sunday) would collapse to <c>1-1</c>, so it becomes <c>1-7</c>. Quartz wraps
    /// <c>6-2</c> (Friday to Monday) like Vigil does.
    /// </summary>
    private static (string First, string Last) QuartzWeekdayRange(int first, int last) =>
        first < last && first % 7 == last % 7
            ? ("1", "7")
            : (((first % 7) + 1).ToString(CultureInfo.InvariantCulture), ((last % 7) + 1).ToString(CultureInfo.InvariantCulture));

    private string Weekday(int day) =>
        day < 7 && _random.Next(3) == 0 ? WeekdayNames[day] : day.ToString(CultureInfo.InvariantCulture);

    private string QuartzWeekday(int day) => ((day % 7) + 1).ToString(CultureInfo.InvariantCulture);

    private (string Vigil, string Quartz) Month()
    {
        var count = ListLength();
        var vigil = new string[count];
        var quartz = new string[count];
        for (var i = 0; i < count; i++)
        {
            var item = SimpleItem(1, 12, allowStar: count == 1, dense: true);
            vigil[i] = item.Text;
            quartz[i] = item.Text;
            if (_random.Next(3) == 0 && item.First > 0)
            {
                vigil[i] = item.WithNames(MonthNames, offset: 1);
                // Quartz ignores a step after a month name (MAR/2 is March only): it keeps the numbers.
                if (!item.HasStep)
                {
                    quartz[i] = vigil[i].ToUpperInvariant();
                }
            }
        }

        return (string.Join(',', vigil), string.Join(',', quartz));
    }

    private string Simple(int min, int max, bool dense)
    {
        var count = ListLength();
        var items = new string[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = SimpleItem(min, max, allowStar: count == 1, dense).Text;
        }

        return string.Join(',', items);
    }

    private int ListLength() => _random.Next(6) switch
    {
        0 => 2,
        1 => 3,
        _ => 1,
    };

    /// <summary>
    /// One item of a plain numeric field. <paramref name="dense"/> fields (days, months) favour
    /// <c>*</c> so that most expressions fire often enough to compare many occurrences.
    /// </summary>
    private Item SimpleItem(int min, int max, bool allowStar, bool dense)
    {
        var span = max - min + 1;
        // Quartz rejects a step equal to the whole span for seconds, minutes and hours (*/60, */24).
        var step = _random.Next(1, span);
        var first = _random.Next(min, max + 1);
        var last = _random.Next(min, max + 1);
        var roll = _random.Next(dense ? 12 : 10);
        if (!allowStar && roll >= 5)
        {
            roll = _random.Next(4);
        }

        return roll switch
        {
            0 or 4 => new Item(first, -1, 0),
            1 => new Item(first, last, 0),
            2 => new Item(first, last, step),
            3 => new Item(first, -1, step),
            5 or 6 => new Item(-1, -1, step),
            _ => new Item(-1, -1, 0),
        };
    }

    /// <summary>A numeric item: <c>*</c> (<see cref="First"/> = -1), <c>a</c>, <c>a-b</c>, <c>a/n</c>, <c>a-b/n</c>, <c>*/n</c>.</summary>
    private readonly record struct Item(int First, int Last, int Step)
    {
        public bool HasStep => Step > 0;

        public string Text => Format(First.ToString(CultureInfo.InvariantCulture), Last.ToString(CultureInfo.InvariantCulture));

        public string WithNames(string[] names, int offset) => Format(names[First - offset], Last >= 0 ? names[Last - offset] : "");

        private string Format(string first, string last)
        {
            var body = First < 0 ? "*" : Last < 0 ? first : $"{first}-{last}";
            return Step > 0 ? $"{body}/{Step}" : body;
        }
    }
}

/// <summary>One expression in both dialects.</summary>
internal readonly record struct CronPair(string Vigil, string Quartz)
{
    public override string ToString() => $"Vigil \"{Vigil}\" / Quartz \"{Quartz}\"";
}
