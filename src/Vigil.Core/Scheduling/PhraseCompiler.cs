using System.Globalization;
using System.Text;

namespace Vigil.Scheduling;

/// <summary>
/// Compiles the phrases people type into cron: <c>hourly</c>, <c>daily at 22:00</c>,
/// <c>weekdays at 9am</c>, <c>every monday at 09:30</c>, <c>every 15 minutes</c>,
/// <c>on the last day of the month at 23:00</c>, <c>first monday of the month at 9am</c>.
/// </summary>
/// <remarks>
/// Phrases are a front for cron, never a second engine: the compiled expression is what is stored,
/// shown back by <c>vigil schedule explain</c> and evaluated. A phrase that cron cannot express
/// exactly (every 45 minutes, 9:00 and 17:30) is an error that says what to write instead.
/// </remarks>
internal static class PhraseCompiler
{
    private const string Examples = "phrases look like \"hourly\", \"daily at 22:00\", \"weekdays at 9am\", \"every monday at 09:30\", \"every 15 minutes\"";

    private static readonly string[][] WeekdayWords =
    [
        ["sun", "sunday", "sundays"],
        ["mon", "monday", "mondays"],
        ["tue", "tues", "tuesday", "tuesdays"],
        ["wed", "wednesday", "wednesdays"],
        ["thu", "thur", "thurs", "thursday", "thursdays"],
        ["fri", "friday", "fridays"],
        ["sat", "saturday", "saturdays"],
    ];

    private static readonly string[] MonthWords =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] OrdinalWords = ["first", "second", "third", "fourth", "fifth"];

    public static string Compile(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            throw new ScheduleFormatException(text, Examples);
        }

        var state = new State(text);
        var i = 0;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            switch (token)
            {
                case "hourly":
                    state.Unit = Unit.Hour;
                    state.Step = 1;
                    i++;
                    break;
                case "daily" or "nightly" or "day" or "days" or "everyday":
                    state.Daily = true;
                    i++;
                    break;
                case "weekly":
                    state.Weekly = true;
                    i++;
                    break;
                case "monthly":
                    state.Monthly = true;
                    i++;
                    break;
                case "yearly" or "annually":
                    state.Yearly = true;
                    i++;
                    break;
                case "every" or "each":
                    i = state.ReadEvery(tokens, i + 1);
                    break;
                case "at":
                    i = state.ReadTimes(tokens, i + 1);
                    break;
                case "on" or "the" or "of" or "and" or "," or "in" or "month" or "every-month" or "from":
                    i++;
                    break;
                case "weekday" or "weekdays":
                    state.AddWeekdays(1, 5);
                    i++;
                    break;
                case "weekend" or "weekends":
                    state.AddWeekday(0);
                    state.AddWeekday(6);
                    i++;
                    break;
                case "last":
                    i = state.ReadLast(tokens, i + 1);
                    break;
                case "noon" or "midnight":
                    i = state.ReadTimes(tokens, i);
                    break;
                default:
                    i = state.ReadOther(tokens, i);
                    break;
            }
        }

        return state.Build();
    }

    private static List<string> Tokenize(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (c == ',')
            {
                builder.Append(" , ");
            }
            else
            {
                builder.Append(c);
            }
        }

        return [.. builder.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
    }

    private static int Weekday(string token)
    {
        for (var day = 0; day < WeekdayWords.Length; day++)
        {
            if (Array.IndexOf(WeekdayWords[day], token) >= 0)
            {
                return day;
            }
        }

        return -1;
    }

    private static int Month(string token)
    {
        for (var month = 0; month < MonthWords.Length; month++)
        {
            if (token == MonthWords[month] || (token.Length == 3 && MonthWords[month].StartsWith(token, StringComparison.Ordinal)))
            {
                return month + 1;
            }
        }

        return -1;
    }

    private enum Unit
    {
        None,
        Second,
        Minute,
        Hour,
    }

    private sealed class State(string text)
    {
        private readonly SortedSet<int> _weekdays = [];
        private readonly SortedSet<int> _months = [];
        private readonly List<string> _days = [];
        private readonly List<(int Hour, int Minute)> _times = [];
        private int? _minutePastHour;

        public Unit Unit { get; set; }

        public int Step { get; set; }

        public bool Daily { get; set; }

        public bool Weekly { get; set; }

        public bool Monthly { get; set; }

        public bool Yearly { get; set; }

        public void AddWeekday(int day) => _weekdays.Add(day);

        public void AddWeekdays(int first, int last)
        {
            for (var day = first; day != (last + 1) % 7; day = (day + 1) % 7)
            {
                _weekdays.Add(day);
            }
        }

        public int ReadEvery(List<string> tokens, int i)
        {
            if (i >= tokens.Count)
            {
                throw Error("\"every\" needs something after it, e.g. \"every 15 minutes\" or \"every monday\"");
            }

            var token = tokens[i];
            if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                if (i + 1 >= tokens.Count)
                {
                    throw Error($"\"every {amount}\" needs a unit: seconds, minutes or hours");
                }

                SetInterval(tokens[i + 1], amount);
                return i + 2;
            }

            if (token is "other")
            {
                throw Error("\"every other\" cannot be expressed in cron; use every: 2d (or 14d) for a fixed grid");
            }

            if (UnitOf(token) != Unit.None)
            {
                SetInterval(token, 1);
                return i + 1;
            }

            // "every day", "every monday", "every weekday": the next token says which.
            return i;
        }

        public int ReadTimes(List<string> tokens, int i)
        {
            var read = 0;
            while (i < tokens.Count)
            {
                var token = tokens[i];
                if (token is "and" or ",")
                {
                    i++;
                    continue;
                }

                if (token.StartsWith(':') && token.Length is 2 or 3 && int.TryParse(token.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var past))
                {
                    if (past > 59)
                    {
                        throw Error($"minute {past} is outside 0-59");
                    }

                    _minutePastHour = past;
                    i++;
                    read++;
                    continue;
                }

                var suffix = i + 1 < tokens.Count ? tokens[i + 1] : null;
                if (!TryTime(token, suffix, out var time, out var usedSuffix))
                {
                    break;
                }

                _times.Add(time);
                i += usedSuffix ? 2 : 1;
                read++;
            }

            if (read == 0)
            {
                throw Error(i < tokens.Count
                    ? $"\"{tokens[i]}\" is not a time (write 22:00, 9am, 9:30pm, noon or midnight)"
                    : "\"at\" needs a time, e.g. at 22:00");
            }

            return i;
        }

        public int ReadLast(List<string> tokens, int i)
        {
            if (i < tokens.Count)
            {
                var token = tokens[i];
                if (token is "day")
                {
                    _days.Add("L");
                    return i + 1;
                }

                if (token is "weekday")
                {
                    _days.Add("LW");
                    return i + 1;
                }

                var weekday = Weekday(token);
                if (weekday >= 0)
                {
                    _days.Add("dow:" + weekday.ToString(CultureInfo.InvariantCulture) + "L");
                    return i + 1;
                }
            }

            throw Error("\"last\" must be followed by day, weekday or a day name (e.g. \"last friday of the month\")");
        }

        public int ReadOther(List<string> tokens, int i)
        {
            var token = tokens[i];
            var weekday = Weekday(token);
            if (weekday >= 0)
            {
                if (i + 2 < tokens.Count && tokens[i + 1] is "through" or "to" or "-" or "till" or "until")
                {
                    var end = Weekday(tokens[i + 2]);
                    if (end < 0)
                    {
                        throw Error($"\"{tokens[i + 2]}\" is not a day of the week");
                    }

                    AddWeekdays(weekday, end);
                    return i + 3;
                }

                if (token.Contains('-', StringComparison.Ordinal))
                {
                    return i + 1;
                }

                _weekdays.Add(weekday);
                return i + 1;
            }

            var dash = token.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && Weekday(token[..dash]) is var from and >= 0 && Weekday(token[(dash + 1)..]) is var to and >= 0)
            {
                AddWeekdays(from, to);
                return i + 1;
            }

            var month = Month(token);
            if (month >= 0)
            {
                _months.Add(month);
                return i + 1;
            }

            var ordinal = Array.IndexOf(OrdinalWords, token);
            if (ordinal < 0 && TryNumericOrdinal(token, out var dayOfMonth))
            {
                if (i + 1 < tokens.Count && Weekday(tokens[i + 1]) is var nthDay and >= 0 && dayOfMonth <= 5)
                {
                    _days.Add($"dow:{nthDay}#{dayOfMonth}");
                    return i + 2;
                }

                if (dayOfMonth is < 1 or > 31)
                {
                    throw Error($"day {dayOfMonth} is outside 1-31");
                }

                _days.Add(dayOfMonth.ToString(CultureInfo.InvariantCulture));
                return i + 1;
            }

            if (ordinal >= 0 && i + 1 < tokens.Count && Weekday(tokens[i + 1]) is var day and >= 0)
            {
                _days.Add($"dow:{day}#{ordinal + 1}");
                return i + 2;
            }

            // A bare time such as "22:00" or "9am" without "at".
            if (TryTime(token, i + 1 < tokens.Count ? tokens[i + 1] : null, out _, out _))
            {
                return ReadTimes(tokens, i);
            }

            throw Error($"cannot read \"{token}\"; {Examples}");
        }

        public string Build()
        {
            var dayOfWeek = _weekdays.Count > 0 ? Compact(_weekdays) : "*";
            var dayOfMonth = "*";
            var dayOfWeekSpecials = _days.Where(d => d.StartsWith("dow:", StringComparison.Ordinal)).Select(d => d[4..]).ToList();
            var dayOfMonthItems = _days.Where(d => !d.StartsWith("dow:", StringComparison.Ordinal)).ToList();
            if (dayOfWeekSpecials.Count > 0)
            {
                dayOfWeek = _weekdays.Count > 0 ? dayOfWeek + "," + string.Join(',', dayOfWeekSpecials) : string.Join(',', dayOfWeekSpecials);
            }

            if (dayOfMonthItems.Count > 0)
            {
                dayOfMonth = string.Join(',', dayOfMonthItems);
            }

            if (Weekly && dayOfWeek == "*")
            {
                dayOfWeek = "0";
            }

            if ((Monthly || Yearly) && dayOfMonth == "*" && dayOfWeek == "*")
            {
                dayOfMonth = "1";
            }

            var month = _months.Count > 0 ? string.Join(',', _months) : (Yearly ? "1" : "*");
            var days = $"{dayOfMonth} {month} {dayOfWeek}";

            switch (Unit)
            {
                case Unit.Second:
                    RequireNoTimes("seconds");
                    return $"{Every(60, "seconds")} * * {days}";
                case Unit.Minute:
                    RequireNoTimes("minutes");
                    return $"{Every(60, "minutes")} * {days}";
                case Unit.Hour:
                    if (_times.Count > 0)
                    {
                        throw Error("an hourly schedule takes a minute past the hour (\"hourly at :15\"), not a time of day");
                    }

                    return $"{_minutePastHour ?? 0} {Every(24, "hours")} {days}";
            }

            if (_minutePastHour is not null)
            {
                throw Error("\":MM\" (minutes past the hour) only goes with hourly or every N hours");
            }

            if (_times.Count == 0)
            {
                if (!(Daily || Weekly || Monthly || Yearly || _weekdays.Count > 0 || _days.Count > 0 || _months.Count > 0))
                {
                    throw Error(Examples);
                }

                _times.Add((0, 0));
            }

            var hours = _times.Select(t => t.Hour).Distinct().Order().ToList();
            var minutes = _times.Select(t => t.Minute).Distinct().Order().ToList();
            if (hours.Count * minutes.Count != _times.Distinct().Count())
            {
                throw Error("these times cannot be one cron expression (each hour must share the same minutes); declare one job per time");
            }

            return $"{string.Join(',', minutes)} {string.Join(',', hours)} {days}";
        }

        /// <summary>Writes a sorted set as cron list items, runs of three or more as ranges: 1-5, 0,6.</summary>
        private static string Compact(IEnumerable<int> values)
        {
            var items = new List<string>();
            var sorted = values.ToList();
            for (var start = 0; start < sorted.Count;)
            {
                var end = start;
                while (end + 1 < sorted.Count && sorted[end + 1] == sorted[end] + 1)
                {
                    end++;
                }

                if (end - start >= 2)
                {
                    items.Add(string.Create(CultureInfo.InvariantCulture, $"{sorted[start]}-{sorted[end]}"));
                }
                else
                {
                    for (var index = start; index <= end; index++)
                    {
                        items.Add(sorted[index].ToString(CultureInfo.InvariantCulture));
                    }
                }

                start = end + 1;
            }

            return string.Join(',', items);
        }

        private void RequireNoTimes(string unit)
        {
            if (_times.Count > 0 || _minutePastHour is not null)
            {
                throw Error($"\"every N {unit}\" does not take a time of day");
            }
        }

        private string Every(int cycle, string unit)
        {
            if (Step == 1)
            {
                return "*";
            }

            if (Step < 1 || Step >= cycle || cycle % Step != 0)
            {
                var compact = unit[0].ToString();
                throw Error($"every {Step} {unit} does not divide {(cycle == 24 ? "a day" : cycle == 60 && unit == "seconds" ? "a minute" : "an hour")} evenly, so cron cannot express it; use \"every {Step}{compact}\" (every: {Step}{compact}) for a fixed grid");
            }

            return $"*/{Step}";
        }

        private void SetInterval(string unitWord, int amount)
        {
            var unit = UnitOf(unitWord);
            if (unit == Unit.None)
            {
                if (unitWord is "day" or "days" or "week" or "weeks" or "month" or "months")
                {
                    if (amount == 1)
                    {
                        Daily |= unitWord.StartsWith("day", StringComparison.Ordinal);
                        Weekly |= unitWord.StartsWith("week", StringComparison.Ordinal);
                        Monthly |= unitWord.StartsWith("month", StringComparison.Ordinal);
                        return;
                    }

                    throw Error($"every {amount} {unitWord} cannot be expressed in cron; use every: {amount}{unitWord[0]} for a fixed grid");
                }

                throw Error($"\"{unitWord}\" is not a unit (seconds, minutes or hours)");
            }

            Unit = unit;
            Step = amount;
        }

        private static Unit UnitOf(string word) => word switch
        {
            "second" or "seconds" or "sec" or "secs" => Unit.Second,
            "minute" or "minutes" or "min" or "mins" => Unit.Minute,
            "hour" or "hours" or "hr" or "hrs" => Unit.Hour,
            _ => Unit.None,
        };

        private static bool TryNumericOrdinal(string token, out int value)
        {
            value = 0;
            var digits = token.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || digits > 2)
            {
                return false;
            }

            var suffix = token[digits..];
            return suffix is "st" or "nd" or "rd" or "th"
                && int.TryParse(token.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        private bool TryTime(string token, string? next, out (int Hour, int Minute) time, out bool usedNext)
        {
            time = default;
            usedNext = false;
            if (token == "noon")
            {
                time = (12, 0);
                return true;
            }

            if (token == "midnight")
            {
                time = (0, 0);
                return true;
            }

            var meridiem = string.Empty;
            var body = token;
            if (body.EndsWith("am", StringComparison.Ordinal) || body.EndsWith("pm", StringComparison.Ordinal))
            {
                meridiem = body[^2..];
                body = body[..^2];
            }
            else if (next is "am" or "pm")
            {
                meridiem = next;
                usedNext = true;
            }

            int hour, minute = 0;
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                if (!int.TryParse(body.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out hour)
                    || body.Length - colon - 1 != 2
                    || !int.TryParse(body.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out minute))
                {
                    usedNext = false;
                    return false;
                }
            }
            else if (meridiem.Length == 0 || !int.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out hour))
            {
                usedNext = false;
                return false;
            }

            if (minute > 59)
            {
                throw Error($"minute {minute} is outside 0-59 in \"{token}\"");
            }

            if (meridiem.Length > 0)
            {
                if (hour is < 1 or > 12)
                {
                    throw Error($"hour {hour} is outside 1-12 in \"{token}{(usedNext ? " " + meridiem : string.Empty)}\"");
                }

                hour = (hour % 12) + (meridiem == "pm" ? 12 : 0);
            }
            else if (hour > 23)
            {
                throw Error($"hour {hour} is outside 0-23 in \"{token}\"");
            }

            time = (hour, minute);
            return true;
        }

        private ScheduleFormatException Error(string reason) => new(text, reason);
    }
}
