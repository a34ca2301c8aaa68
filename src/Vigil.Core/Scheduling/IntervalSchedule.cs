namespace Vigil.Scheduling;

/// <summary>
/// <c>every: 30m</c>: the fixed grid anchor + k × period. Fires are never "last finish + period",
/// so a slow run or a restart never makes the schedule drift; the zone does not matter.
/// </summary>
internal sealed class IntervalSchedule : Schedule
{
    /// <summary>The shortest period accepted; below it a scheduler is a busy loop.</summary>
    public static readonly TimeSpan MinimumPeriod = TimeSpan.FromSeconds(1);

    private readonly long _period;
    private readonly long _anchor;

    private IntervalSchedule(string text, TimeSpan period, DateTimeOffset anchor, TimeZoneInfo zone)
        : base(text, $"every {Duration.Format(period)}", zone)
    {
        _period = period.Ticks;
        _anchor = anchor.UtcTicks;
        Period = period;
        Anchor = anchor.ToUniversalTime();
    }

    /// <summary>The grid spacing.</summary>
    public TimeSpan Period { get; }

    /// <summary>An instant on the grid.</summary>
    public DateTimeOffset Anchor { get; }

    /// <inheritdoc />
    public override ScheduleKind Kind => ScheduleKind.Every;

    /// <inheritdoc />
    public override TimeSpan? NominalPeriod => Period;

    public static IntervalSchedule Create(string text, TimeSpan period, DateTimeOffset anchor, TimeZoneInfo zone)
    {
        if (period < MinimumPeriod)
        {
            throw new ScheduleFormatException(text, $"the period {Duration.Format(period)} is shorter than the minimum of 1s");
        }

        if (period.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ScheduleFormatException(text, "the period must be a whole number of milliseconds");
        }

        return new IntervalSchedule(text, period, anchor, zone);
    }

    /// <inheritdoc />
    public override string Describe() =>
        $"every {Duration.Format(Period)} on a fixed grid through {Iso.Format(Anchor)}";

    internal override long NextTicks(long afterUtcTicks)
    {
        // The smallest anchor + k*period strictly greater than "after" (k may be negative).
        var delta = afterUtcTicks - _anchor;
        var steps = delta >= 0 ? (delta / _period) + 1 : -((-delta) / _period) + ((-delta) % _period == 0 ? 1 : 0);
        var next = _anchor + (steps * _period);
        return next >= DateTime.MaxValue.Ticks ? -1 : next;
    }
}
