namespace Vigil.Scheduling;

/// <summary>
/// A parsed schedule: a cron expression, a phrase compiled to cron, a fixed <c>every</c> grid or an
/// <c>at</c> one-shot, bound to a time zone. Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// Schedule maths is pure: an instant goes in, an instant comes out; nothing here reads the clock.
/// Parse once (at config load) and ask for occurrences as often as needed: the hot path
/// (<see cref="GetNextOccurrence"/>) does not allocate.
/// </remarks>
public abstract class Schedule
{
    private protected Schedule(string text, string expression, TimeZoneInfo zone)
    {
        Text = text;
        Expression = expression;
        Zone = zone;
    }

    /// <summary>The schedule as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>
    /// The compiled form: the cron expression for cron, macros and phrases
    /// (<c>daily at 22:00</c> gives <c>0 22 * * *</c>), <c>every 30m</c> or <c>at &lt;ISO&gt;</c> otherwise.
    /// </summary>
    public string Expression { get; }

    /// <summary>The time zone local times are read in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The kind of schedule.</summary>
    public abstract ScheduleKind Kind { get; }

    /// <summary>
    /// The typical distance between two fires (a day for <c>0 22 * * *</c>, the period of an
    /// <c>every</c> grid), or null for a one-shot. Policies derive defaults such as <c>grace</c> from it.
    /// </summary>
    public abstract TimeSpan? NominalPeriod { get; }

    /// <summary>
    /// Parses <paramref name="text"/>: a 5- or 6-field cron expression, a macro (<c>@daily</c>),
    /// a phrase (<c>weekdays at 9am</c>), <c>every &lt;duration&gt;</c> or <c>at &lt;ISO-8601&gt;</c>.
    /// </summary>
    /// <param name="text">The schedule text.</param>
    /// <param name="zone">The zone local times are read in.</param>
    /// <param name="anchor">The instant an <c>every</c> grid is anchored at (default: the Unix epoch).</param>
    /// <exception cref="ScheduleFormatException">The text is not a valid schedule.</exception>
    public static Schedule Parse(string text, TimeZoneInfo zone, DateTimeOffset? anchor = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(zone);
        return ScheduleParser.Parse(text, zone, anchor ?? DateTimeOffset.UnixEpoch);
    }

    /// <summary>Parses like <see cref="Parse"/> but reports a bad schedule as a one-line error instead of throwing.</summary>
    public static bool TryParse(string text, TimeZoneInfo zone, out Schedule? schedule, out string? error, DateTimeOffset? anchor = null)
    {
        try
        {
            schedule = Parse(text, zone, anchor);
            error = null;
            return true;
        }
        catch (ScheduleFormatException e)
        {
            schedule = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A fixed grid: <paramref name="anchor"/> + k × <paramref name="period"/> for every integer k.</summary>
    public static Schedule Every(TimeSpan period, DateTimeOffset anchor, TimeZoneInfo? zone = null) =>
        IntervalSchedule.Create($"every {Duration.Format(period)}", period, anchor, zone ?? TimeZoneInfo.Utc);

    /// <summary>A one-shot at <paramref name="instant"/>.</summary>
    public static Schedule At(DateTimeOffset instant, TimeZoneInfo? zone = null) =>
        new OneShotSchedule($"at {Iso.Format(instant)}", instant, zone ?? TimeZoneInfo.Utc);

    /// <summary>
    /// The first occurrence strictly after <paramref name="after"/>, in UTC, or null when there is none
    /// (a past one-shot, or a cron expression that never matches again before year 9999).
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        var ticks = NextTicks(after.UtcTicks);
        return ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>Every occurrence in the half-open range [<paramref name="from"/>, <paramref name="to"/>), in order.</summary>
    /// <remarks>The planner enumerates missed slots with this; the enumerator is a struct and does not allocate.</remarks>
    public OccurrenceRange GetOccurrences(DateTimeOffset from, DateTimeOffset to) =>
        new(this, from.UtcTicks, to.UtcTicks);

    /// <summary>A plain-language description, e.g. "at 22:00 every day".</summary>
    public abstract string Describe();

    /// <summary>
    /// Whether <paramref name="occurrence"/> (one this schedule produced) is affected by a
    /// daylight-saving transition: shifted out of a gap, or inside a repeated hour.
    /// </summary>
    public virtual DstNote GetDstNote(DateTimeOffset occurrence) => DstNote.None;

    /// <summary>The next occurrence strictly after <paramref name="afterUtcTicks"/>, or -1.</summary>
    internal abstract long NextTicks(long afterUtcTicks);

    /// <inheritdoc />
    public override string ToString() => Expression;
}

/// <summary>What a schedule is made of.</summary>
public enum ScheduleKind
{
    /// <summary>A cron expression (also macros and phrases, which compile to cron).</summary>
    Cron,

    /// <summary>A fixed grid from an anchor instant.</summary>
    Every,

    /// <summary>A single instant.</summary>
    At,
}

/// <summary>How a daylight-saving transition touches one occurrence.</summary>
public enum DstNote
{
    /// <summary>Not affected.</summary>
    None,

    /// <summary>The local time the schedule names did not exist (spring forward); it fires at the first instant after the gap.</summary>
    ShiftedFromGap,

    /// <summary>The local time occurs twice (fall back) and this is its first pass.</summary>
    RepeatedHourFirstPass,

    /// <summary>The local time occurs twice (fall back) and this is its second pass (interval expressions only).</summary>
    RepeatedHourSecondPass,
}
