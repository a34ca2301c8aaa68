using System.Globalization;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// Explains in one line how a daylight-saving transition moves a fire, e.g.
/// <c>2026-03-29 02:30 does not exist in Europe/Berlin (clocks spring forward); fires at 03:00 +02:00 instead</c>.
/// </summary>
/// <remarks>
/// The engine says which fires a transition touches (<see cref="Schedule.GetDstNote"/>); the wording
/// needs more than that, and it is recovered through the public API only: the local times the
/// expression names inside a gap come from the same compiled expression read on a fixed UTC clock,
/// and whether a repeated time fires twice comes from asking the schedule for its other pass.
/// </remarks>
internal static class DstWarnings
{
    /// <summary>The warning for <paramref name="fire"/>, or null when no transition touches it.</summary>
    public static string? For(Schedule schedule, DateTimeOffset fire) => schedule.GetDstNote(fire) switch
    {
        DstNote.ShiftedFromGap => Gap(schedule, fire),
        DstNote.RepeatedHourFirstPass => FirstPass(schedule, fire),
        DstNote.RepeatedHourSecondPass => SecondPass(schedule, fire),
        _ => null,
    };

    /// <summary>The note as it is written in JSON output.</summary>
    public static string NoteName(DstNote note) => note switch
    {
        DstNote.ShiftedFromGap => "shifted_from_gap",
        DstNote.RepeatedHourFirstPass => "repeated_hour_first_pass",
        DstNote.RepeatedHourSecondPass => "repeated_hour_second_pass",
        _ => "none",
    };

    private static string Gap(Schedule schedule, DateTimeOffset fire)
    {
        // Spring forward: the fire is the transition instant. The wall clock jumped from gapStart to
        // gapEnd; written as UTC instants, the expression on a UTC clock lists the times it named in between.
        var zone = schedule.Zone;
        var gapStart = new DateTimeOffset(fire.UtcTicks + zone.GetUtcOffset(fire.AddTicks(-1)).Ticks, TimeSpan.Zero);
        var gapEnd = new DateTimeOffset(fire.UtcTicks + zone.GetUtcOffset(fire).Ticks, TimeSpan.Zero);
        var local = TimeZoneInfo.ConvertTime(fire, zone);
        var shifted = $"{Clock(local)} {Offset(local)}";

        var named = new List<DateTimeOffset>();
        if (Schedule.TryParse(schedule.Expression, TimeZoneInfo.Utc, out var wallClock, out _))
        {
            foreach (var time in wallClock!.GetOccurrences(gapStart, gapEnd))
            {
                named.Add(time);
            }
        }

        return named.Count switch
        {
            0 => $"{Day(local)} {Clock(local)} comes right after a daylight-saving gap in {zone.Id} (clocks spring forward)",
            1 => $"{Day(named[0])} {Clock(named[0])} does not exist in {zone.Id} (clocks spring forward); fires at {shifted} instead",
            _ => $"{Day(named[0])} {Clock(named[0])} to {Clock(named[^1])} ({named.Count} times) do not exist in {zone.Id} "
                + $"(clocks spring forward); fires once at {shifted} instead",
        };
    }

    private static string FirstPass(Schedule schedule, DateTimeOffset fire)
    {
        var local = TimeZoneInfo.ConvertTime(fire, schedule.Zone);
        var prefix = $"{Clock(local)} occurs twice on {Day(local)} in {schedule.Zone.Id} (clocks fall back); ";
        if (OtherPass(schedule.Zone, local) is not { } laterOffset)
        {
            return prefix + $"fires on the first pass ({Offset(local)})";
        }

        var secondPass = new DateTimeOffset(local.DateTime, laterOffset);
        var firesAgain = schedule.GetNextOccurrence(secondPass.AddTicks(-1)) == secondPass;
        return firesAgain
            ? prefix + $"fires on both passes, at {Clock(local)} {Offset(local)} and again at {Clock(secondPass)} {Offset(secondPass)}"
            : prefix + $"fires on the first pass only, at {Clock(local)} {Offset(local)}";
    }

    private static string SecondPass(Schedule schedule, DateTimeOffset fire)
    {
        var local = TimeZoneInfo.ConvertTime(fire, schedule.Zone);
        var prefix = $"{Day(local)} {Clock(local)} {Offset(local)} is the second pass of a repeated hour in {schedule.Zone.Id} "
            + "(clocks fall back); ";
        return OtherPass(schedule.Zone, local) is { } earlierOffset
            ? prefix + $"interval schedules fire on both passes (the first was {Clock(local)} {Offset(new DateTimeOffset(local.DateTime, earlierOffset))})"
            : prefix + "interval schedules fire on both passes";
    }

    /// <summary>The other offset an ambiguous local time can have, or null when it is not ambiguous.</summary>
    private static TimeSpan? OtherPass(TimeZoneInfo zone, DateTimeOffset local)
    {
        var wall = local.DateTime;
        if (!zone.IsAmbiguousTime(wall))
        {
            return null;
        }

        foreach (var offset in zone.GetAmbiguousTimeOffsets(wall))
        {
            if (offset != local.Offset)
            {
                return offset;
            }
        }

        return null;
    }

    private static string Day(DateTimeOffset wall) => wall.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Clock(DateTimeOffset wall) =>
        wall.ToString(wall.Second == 0 && wall.Millisecond == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Offset(DateTimeOffset wall) => wall.ToString("zzz", CultureInfo.InvariantCulture);
}
