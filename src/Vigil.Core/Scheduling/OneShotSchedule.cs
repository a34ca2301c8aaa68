namespace Vigil.Scheduling;

/// <summary><c>at: 2026-12-01T09:00:00+01:00</c>: a single instant.</summary>
internal sealed class OneShotSchedule : Schedule
{
    internal OneShotSchedule(string text, DateTimeOffset instant, TimeZoneInfo zone)
        : base(text, $"at {Iso.Format(instant)}", zone)
    {
        Instant = instant.ToUniversalTime();
    }

    /// <summary>When it fires.</summary>
    public DateTimeOffset Instant { get; }

    /// <inheritdoc />
    public override ScheduleKind Kind => ScheduleKind.At;

    /// <inheritdoc />
    public override TimeSpan? NominalPeriod => null;

    /// <inheritdoc />
    public override string Describe() => $"once, at {Iso.FormatLocal(Instant, Zone)}";

    internal override long NextTicks(long afterUtcTicks) =>
        Instant.UtcTicks > afterUtcTicks ? Instant.UtcTicks : -1;
}
