using System.CommandLine;

namespace Vigil.Cli.Commands;

/// <summary>The options the <c>schedule</c> verbs share, so they read and document them the same way.</summary>
internal static class ScheduleOptions
{
    /// <summary>The largest number of fires one request may ask for.</summary>
    public const int MaxCount = 1000;

    /// <summary>The schedule text argument.</summary>
    public static Argument<string?> Expression(ArgumentArity arity) => new("EXPR")
    {
        Description = "The schedule: cron (5 or 6 fields), a macro (@daily), a phrase (\"weekdays at 9am\"), "
            + "\"every 30m\" or \"at 2026-12-01T09:00:00+01:00\". Quote it.",
        Arity = arity,
    };

    /// <summary><c>--tz ZONE</c>.</summary>
    public static Option<string?> TimeZone() => new("--tz")
    {
        Description = "IANA time zone local times are read in, e.g. Europe/Berlin "
            + "(default: $TZ when it names a known zone, else the host's local zone)",
        HelpName = "ZONE",
    };

    /// <summary><c>--from ISO</c>.</summary>
    public static Option<string?> From() => new("--from")
    {
        Description = "List fires strictly after this instant (default: now). "
            + "ISO-8601; without an offset it is a local time in the --tz zone",
        HelpName = "ISO",
    };

    /// <summary><c>--anchor ISO</c>.</summary>
    public static Option<string?> Anchor() => new("--anchor")
    {
        Description = "The instant an \"every\" grid runs through (default: 1970-01-01T00:00:00Z). "
            + "Ignored by other schedules",
        HelpName = "ISO",
    };

    /// <summary><c>--json</c>.</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Print one JSON object instead of text",
    };
}
