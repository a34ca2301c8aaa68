namespace Vigil.Scheduling;

/// <summary>A cron expression read in a time zone, with Vigil's daylight-saving semantics.</summary>
/// <remarks>
/// <para>The zone's timeline is a sequence of segments of constant UTC offset. The search looks for
/// the next matching local time within the current segment; when a transition comes first it moves
/// into the next segment:</para>
/// <list type="bullet">
/// <item>Spring forward (a gap): a local time the expression names inside the gap fires once, at the
/// first instant after the gap (the transition instant). Several such times collapse into that one fire.</item>
/// <item>Fall back (a repeated range): the first pass fires as usual; the second pass fires only for
/// interval expressions (second, minute or hour field with <c>*</c>, a range or a step), so an hourly
/// job keeps its real-time cadence while "every day at 01:30" fires once.</item>
/// </list>
/// These are the semantics Cronos documents (HangfireIO/Cronos README, "Daylight Saving Time").
/// </remarks>
internal sealed class CronSchedule : Schedule
{
    private static readonly long MaxUtcTicks = DateTime.MaxValue.Ticks;

    private readonly CronExpression _cron;
    private readonly ZoneRules _rules;
    private long _nominalPeriodTicks = -1;

    internal CronSchedule(string text, string expression, CronExpression cron, TimeZoneInfo zone)
        : base(text, expression, zone)
    {
        _cron = cron;
        _rules = ZoneRules.For(zone);
    }

    /// <inheritdoc />
    public override ScheduleKind Kind => ScheduleKind.Cron;

    /// <inheritdoc />
    /// <remarks>
    /// Computed on first use and kept as ticks (a 64-bit read is atomic: a race computes the same
    /// value twice, harmlessly). The incident monitor asks for it on every check.
    /// </remarks>
    public override TimeSpan? NominalPeriod
    {
        get
        {
            var ticks = _nominalPeriodTicks;
            if (ticks < 0)
            {
                ticks = CronDescriber.NominalPeriod(_cron).Ticks;
                _nominalPeriodTicks = ticks;
            }

            return new TimeSpan(ticks);
        }
    }

    internal CronExpression Cron => _cron;

    /// <inheritdoc />
    public override string Describe() => CronDescriber.Describe(_cron, Expression);

    /// <inheritdoc />
    public override DstNote GetDstNote(DateTimeOffset occurrence)
    {
        var utc = occurrence.UtcTicks;
        if (_rules.IsFixed)
        {
            return DstNote.None;
        }

        if (_rules.TryFindLastTransition(utc, 0, out var atTransition) && atTransition.At == utc && atTransition.IsGap)
        {
            var gapStartLocal = atTransition.At + atTransition.OffsetBefore;
            var gapEndLocal = atTransition.At + atTransition.OffsetAfter;
            var named = _cron.NextLocal(gapStartLocal);
            if (named >= 0 && named < gapEndLocal)
            {
                return DstNote.ShiftedFromGap;
            }
        }

        if (_rules.TryFindLastTransition(utc, TimeSpan.TicksPerDay, out var last) && last.IsOverlap
            && utc < last.At + (last.OffsetBefore - last.OffsetAfter))
        {
            return DstNote.RepeatedHourSecondPass;
        }

        if (_rules.TryFindTransition(utc, utc + TimeSpan.TicksPerDay, out var next) && next.IsOverlap
            && utc + next.OffsetBefore >= next.At + next.OffsetAfter)
        {
            return DstNote.RepeatedHourFirstPass;
        }

        return DstNote.None;
    }

    internal override long NextTicks(long afterUtcTicks)
    {
        if (afterUtcTicks < 0)
        {
            afterUtcTicks = 0;
        }

        // The offset at the start; where the current segment began, and the end (local) of its
        // repeated range if it began by falling back and the start instant lies in that range; and
        // the instant of the next transition, before which a candidate needs no further check.
        long offset;
        var segmentStart = afterUtcTicks;
        var repeatedUntilLocal = long.MinValue;
        long quietUntil;
        ZoneLocation location;
        if (_rules.TryLocate(afterUtcTicks, out location))
        {
            offset = location.Offset;
            quietUntil = location.NextAt;
            if (location.HasPrevious && location.Previous.At >= afterUtcTicks - TimeSpan.TicksPerDay)
            {
                segmentStart = location.Previous.At;
                if (location.Previous.IsOverlap)
                {
                    repeatedUntilLocal = location.Previous.At + location.Previous.OffsetBefore;
                }
            }
        }
        else
        {
            offset = _rules.OffsetAt(afterUtcTicks);
            quietUntil = long.MinValue;
            location = default;
            if (_rules.TryFindLastTransition(afterUtcTicks, TimeSpan.TicksPerDay, out var previous))
            {
                segmentStart = previous.At;
                if (previous.IsOverlap)
                {
                    repeatedUntilLocal = previous.At + previous.OffsetBefore;
                }
            }
        }

        // Local times before year 1 cannot be represented (a negative offset at the very start of time).
        var searchLocal = Math.Max(afterUtcTicks + offset + 1, 0);
        while (true)
        {
            var local = _cron.NextLocal(searchLocal);
            if (local < 0)
            {
                return -1;
            }

            var utc = local - offset;
            Transition transition;
            bool crossed;
            if (utc < quietUntil || _rules.IsFixed)
            {
                transition = default;
                crossed = false;
            }
            else if (location.HasNext)
            {
                // The candidate is at or past the next transition, which the look-up already found.
                transition = location.Next;
                crossed = true;
            }
            else
            {
                crossed = _rules.TryFindTransition(Math.Max(segmentStart, afterUtcTicks), Math.Min(utc, MaxUtcTicks), out transition);
            }

            if (!crossed)
            {
                if (utc > MaxUtcTicks)
                {
                    // The local time exists, but its instant lies past the end of DateTimeOffset.
                    return -1;
                }

                if (local < repeatedUntilLocal && !_cron.IsInterval)
                {
                    // Second pass of a repeated range: fixed times already fired on the first pass.
                    searchLocal = repeatedUntilLocal;
                    continue;
                }

                return utc;
            }

            // The segment ends before the candidate: move into the next one.
            if (transition.IsGap)
            {
                if (local < transition.At + transition.OffsetAfter)
                {
                    return transition.At;
                }

                repeatedUntilLocal = long.MinValue;
                searchLocal = local;
            }
            else
            {
                repeatedUntilLocal = transition.At + transition.OffsetBefore;
                // Interval expressions replay the repeated range from its start.
                searchLocal = _cron.IsInterval ? transition.At + transition.OffsetAfter : local;
            }

            offset = transition.OffsetAfter;
            segmentStart = transition.At;
            if (_rules.TryLocate(transition.At, out location))
            {
                quietUntil = location.NextAt;
            }
            else
            {
                quietUntil = long.MinValue;
                location = default;
            }
        }
    }
}
