using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// Turns the raw text of <c>--tz</c>, <c>--from</c>, <c>--anchor</c> and EXPR into engine values, or a
/// <see cref="UsageException"/> with a one-line reason.
/// </summary>
internal static class ScheduleInputs
{
    /// <summary>
    /// The zone for a command: <paramref name="tz"/> when given (it must be known); otherwise <c>$TZ</c>
    /// when it names a known zone; otherwise the host's local zone.
    /// </summary>
    /// <remarks>
    /// An unusable <c>$TZ</c> (a POSIX rule string such as <c>CET-1CEST</c>, say) is skipped rather than
    /// reported: the user did not type it on this command line.
    /// </remarks>
    public static TimeZoneInfo ResolveZone(string? tz, CliContext context)
    {
        if (tz is not null)
        {
            return TimeZones.TryFind(tz, out var zone, out var error) ? zone : throw new UsageException(error!);
        }

        // POSIX lets TZ name a zone file with a leading colon (":Europe/Berlin").
        var fromEnvironment = context.GetEnvironmentVariable("TZ")?.TrimStart(':');
        if (!string.IsNullOrWhiteSpace(fromEnvironment) && TimeZones.TryFind(fromEnvironment, out var environmentZone, out _))
        {
            return environmentZone;
        }

        return context.LocalZone;
    }

    /// <summary>Reads an ISO-8601 instant given as <paramref name="optionName"/>, or null when it was not given.</summary>
    public static DateTimeOffset? ResolveInstant(string? text, string optionName, TimeZoneInfo zone)
    {
        if (text is null)
        {
            return null;
        }

        return Iso.TryParse(text, zone, out var instant)
            ? instant
            : throw new UsageException(InvalidInstant(optionName, text));
    }

    /// <summary>The one-line reason an instant was rejected.</summary>
    public static string InvalidInstant(string name, string text) =>
        $"invalid {name} \"{text}\": expected an ISO-8601 date-time such as 2026-03-29T00:00:00Z";

    /// <summary>Checks a requested number of fires.</summary>
    public static string? CheckCount(int count, string name) =>
        count is >= 1 and <= ScheduleOptions.MaxCount
            ? null
            : $"{name} must be between 1 and {ScheduleOptions.MaxCount} (got {count})";

    /// <summary>Parses a schedule, reporting a bad one as a usage error.</summary>
    public static Schedule ParseSchedule(string text, TimeZoneInfo zone, DateTimeOffset? anchor) =>
        Schedule.TryParse(text, zone, out var schedule, out var error, anchor)
            ? schedule!
            : throw new UsageException(error!);

    /// <summary>The next <paramref name="count"/> fires strictly after <paramref name="after"/> (fewer when the schedule ends).</summary>
    public static List<DateTimeOffset> NextFires(Schedule schedule, DateTimeOffset after, int count)
    {
        var fires = new List<DateTimeOffset>(count);
        var cursor = after;
        while (fires.Count < count && schedule.GetNextOccurrence(cursor) is { } next)
        {
            fires.Add(next);
            cursor = next;
        }

        return fires;
    }

    /// <summary>The kind as it is written in output.</summary>
    public static string KindName(ScheduleKind kind) => kind switch
    {
        ScheduleKind.Cron => "cron",
        ScheduleKind.Every => "every",
        ScheduleKind.At => "at",
        _ => kind.ToString(),
    };
}
