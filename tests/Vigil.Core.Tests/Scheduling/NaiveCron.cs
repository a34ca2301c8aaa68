namespace Vigil.Core.Tests.Scheduling;

/// <summary>
/// A cron expression as the property-test generator built it: its text and, field by field, what
/// each part selects, evaluated directly from the calendar. It shares no code with the engine, so
/// the properties compare two independent readings of the same expression.
/// </summary>
internal sealed class NaiveCron
{
    private readonly bool[] _seconds;
    private readonly bool[] _minutes;
    private readonly bool[] _hours;
    private readonly bool[] _months;
    private readonly DayField _dayOfMonth;
    private readonly DayField _dayOfWeek;
    private readonly Dictionary<int, bool> _days = [];

    public NaiveCron(string text, bool hasSeconds, bool isInterval, bool[] seconds, bool[] minutes, bool[] hours, bool[] months, DayField dayOfMonth, DayField dayOfWeek)
    {
        Text = text;
        HasSeconds = hasSeconds;
        IsInterval = isInterval;
        _seconds = seconds;
        _minutes = minutes;
        _hours = hours;
        _months = months;
        _dayOfMonth = dayOfMonth;
        _dayOfWeek = dayOfWeek;
    }

    public string Text { get; }

    public bool HasSeconds { get; }

    /// <summary>The second, minute or hour field has <c>*</c>, a range or a step: it fires on both passes of a repeated hour.</summary>
    public bool IsInterval { get; }

    /// <summary>Whether a local wall-clock time (whole seconds) matches every field.</summary>
    public bool Matches(DateTime local) =>
        local.Ticks % TimeSpan.TicksPerSecond == 0
        && _seconds[local.Second] && _minutes[local.Minute] && _hours[local.Hour] && _months[local.Month]
        && MatchesDay(DateOnly.FromDateTime(local));

    /// <summary>Day of month and day of week: either one when both are restricted, else the restricted one.</summary>
    public bool MatchesDay(DateOnly date)
    {
        if (!_days.TryGetValue(date.DayNumber, out var matches))
        {
            matches = (_dayOfMonth.Restricted, _dayOfWeek.Restricted) switch
            {
                (false, false) => true,
                (true, false) => _dayOfMonth.Selects(date),
                (false, true) => _dayOfWeek.Selects(date),
                _ => _dayOfMonth.Selects(date) || _dayOfWeek.Selects(date),
            };
            _days[date.DayNumber] = matches;
        }

        return matches;
    }

    public override string ToString() => Text;

    /// <summary>A day-of-month or day-of-week field: <c>*</c> / <c>?</c> (unrestricted) or a list of items.</summary>
    public sealed record DayField(string Text, IReadOnlyList<DayItem> Items)
    {
        public bool Restricted => Text is not ("*" or "?");

        public bool Selects(DateOnly date) => Items.Any(item => item.Selects(date));
    }

    /// <summary>One list item of a day field.</summary>
    /// <param name="Text">How it is written.</param>
    /// <param name="Selects">Whether it selects a date.</param>
    /// <param name="CountsFromMonthEnd">An <c>L</c> form, which the parser does not check against month lengths.</param>
    /// <param name="NamedDays">The day numbers a plain or <c>nW</c> item names (null for other items).</param>
    public sealed record DayItem(string Text, Func<DateOnly, bool> Selects, bool CountsFromMonthEnd, Func<int, bool>? NamedDays);

    /// <summary>One list item of a numeric field (seconds, minutes, hours, months, plain weekdays).</summary>
    /// <param name="Text">How it is written.</param>
    /// <param name="Selects">Whether it selects a value (weekdays: 0-6, Sunday = 0).</param>
    /// <param name="Repeats"><c>*</c>, a range or a step, as opposed to a single value.</param>
    public sealed record NumericItem(string Text, Func<int, bool> Selects, bool Repeats);
}
