namespace Vigil.Operations;

/// <summary>
/// A job's definition as an operator gives it, every field optional: <c>vigil jobs add/edit</c>'s
/// options or the API's JSON body. <see cref="JobSpecBuilder"/> turns it into a validated definition.
/// </summary>
/// <remarks>A field left null keeps the existing job's value (edit) or the config's default (add).</remarks>
internal sealed record JobSpec
{
    /// <summary>Cron, macro, phrase, <c>every 30m</c> or <c>at ISO</c>.</summary>
    public string? Schedule { get; init; }

    /// <summary>IANA zone the schedule is read in.</summary>
    public string? TimeZone { get; init; }

    /// <summary>A command's argv (no shell).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>A command line for <c>/bin/sh -c</c>.</summary>
    public string? Shell { get; init; }

    /// <summary>An absolute http(s) URL to call.</summary>
    public string? HttpUrl { get; init; }

    /// <summary>The HTTP method.</summary>
    public string? HttpMethod { get; init; }

    /// <summary>A command's working directory.</summary>
    public string? Cwd { get; init; }

    /// <summary>The hard wall-clock limit, e.g. <c>10m</c>.</summary>
    public string? Timeout { get; init; }

    /// <summary><c>retry</c> or <c>record</c>.</summary>
    public string? OnInterrupt { get; init; }

    /// <summary><c>skip</c>, <c>queue</c>, <c>allow</c> or <c>replace</c>.</summary>
    public string? Overlap { get; init; }

    /// <summary><c>detach</c> (commands only) or <c>drain</c>.</summary>
    public string? OnStop { get; init; }

    /// <summary>The session key; empty removes it. Null with <see cref="SessionGiven"/> false leaves it.</summary>
    public string? Session { get; init; }

    /// <summary>Whether the session was given (an empty or null one removes it).</summary>
    public bool SessionGiven { get; init; }

    /// <summary>Whether any field is given.</summary>
    public bool AnyGiven =>
        Schedule is not null || TimeZone is not null || Command is not null || Shell is not null || HttpUrl is not null
        || HttpMethod is not null || Cwd is not null || Timeout is not null || OnInterrupt is not null || Overlap is not null || OnStop is not null || SessionGiven;
}

/// <summary>
/// How messages about a <see cref="JobSpec"/> name its fields: the CLI's option names
/// (<c>--tz</c>) or the API's JSON names (<c>timezone</c>), so each surface speaks its own words.
/// </summary>
internal sealed record JobSpecWords
{
    /// <summary>The CLI's options.</summary>
    public static readonly JobSpecWords Cli = new()
    {
        Schedule = "--schedule",
        TimeZone = "--tz",
        Command = "--command",
        Shell = "--shell",
        HttpUrl = "--http-url",
        HttpMethod = "--http-method",
        Cwd = "--cwd",
        Timeout = "--timeout",
        OnInterrupt = "--on-interrupt",
        Overlap = "--overlap",
        OnStop = "--on-stop",
        MissingSchedule = "missing --schedule (e.g. --schedule \"0 22 * * *\" or --schedule \"every 30m\")",
        OneAction = "give one action: --command ARG..., --shell \"CMD\" or --http-url URL",
        MissingAction = "missing the action: give --command ARG..., --shell \"CMD\" or --http-url URL",
        HttpMethodOnlyHttp = "--http-method only applies to an HTTP action (--http-url URL)",
        CwdOnlyCommand = "--cwd only applies to a command (--command or --shell)",
    };

    /// <summary>The API's JSON fields.</summary>
    public static readonly JobSpecWords Api = new()
    {
        Schedule = "schedule",
        TimeZone = "timezone",
        Command = "command",
        Shell = "shell",
        HttpUrl = "http_url",
        HttpMethod = "http_method",
        Cwd = "cwd",
        Timeout = "timeout",
        OnInterrupt = "on_interrupt",
        Overlap = "overlap",
        OnStop = "on_stop",
        MissingSchedule = "missing \"schedule\" (e.g. \"0 22 * * *\" or \"every 30m\")",
        OneAction = "give one action: \"command\" (argv array), \"shell\" or \"http_url\"",
        MissingAction = "missing the action: give \"command\" (argv array), \"shell\" or \"http_url\"",
        HttpMethodOnlyHttp = "\"http_method\" only applies to an HTTP action (\"http_url\")",
        CwdOnlyCommand = "\"cwd\" only applies to a command (\"command\" or \"shell\")",
    };

    /// <summary>The schedule field.</summary>
    public required string Schedule { get; init; }

    /// <summary>The zone field.</summary>
    public required string TimeZone { get; init; }

    /// <summary>The argv field.</summary>
    public required string Command { get; init; }

    /// <summary>The shell field.</summary>
    public required string Shell { get; init; }

    /// <summary>The URL field.</summary>
    public required string HttpUrl { get; init; }

    /// <summary>The method field.</summary>
    public required string HttpMethod { get; init; }

    /// <summary>The working directory field.</summary>
    public required string Cwd { get; init; }

    /// <summary>The timeout field.</summary>
    public required string Timeout { get; init; }

    /// <summary>The on_interrupt field.</summary>
    public required string OnInterrupt { get; init; }

    /// <summary>The overlap field.</summary>
    public required string Overlap { get; init; }

    /// <summary>The on_stop field.</summary>
    public required string OnStop { get; init; }

    /// <summary>Said when an add has no schedule.</summary>
    public required string MissingSchedule { get; init; }

    /// <summary>Said when more than one action is given.</summary>
    public required string OneAction { get; init; }

    /// <summary>Said when an add has no action.</summary>
    public required string MissingAction { get; init; }

    /// <summary>Said when a method is given for a command.</summary>
    public required string HttpMethodOnlyHttp { get; init; }

    /// <summary>Said when a working directory is given for an HTTP call.</summary>
    public required string CwdOnlyCommand { get; init; }
}
