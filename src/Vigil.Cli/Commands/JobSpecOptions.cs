using System.CommandLine;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary>
/// The options <c>jobs add</c> and <c>jobs edit</c> share; they become a <see cref="JobSpec"/> that
/// <see cref="JobSpecBuilder"/> validates as the API's JSON body is.
/// </summary>
internal sealed class JobSpecOptions
{
    private readonly Option<string?> _schedule = new("--schedule")
    {
        Description = "The schedule: cron (5 or 6 fields), a macro (@daily), a phrase (\"weekdays at 9am\"), \"every 30m\" or \"at 2026-12-01T09:00:00+01:00\". Quote it",
        HelpName = "S",
    };

    private readonly Option<string?> _timeZone = new("--tz")
    {
        Description = "IANA time zone the schedule is read in (default: the config's timezone)",
        HelpName = "ZONE",
    };

    private readonly Option<string[]> _command = new("--command")
    {
        Description = "Run this program with these arguments (argv, no shell). Takes every following word up to the next option, so put it last",
        HelpName = "ARG...",
        AllowMultipleArgumentsPerToken = true,
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string?> _shell = new("--shell")
    {
        Description = "Run this command line through /bin/sh -c",
        HelpName = "CMD",
    };

    private readonly Option<string?> _httpUrl = new("--http-url")
    {
        Description = "Call this absolute http(s) URL (${VAR} placeholders are expanded from the daemon's environment at run time)",
        HelpName = "URL",
    };

    private readonly Option<string?> _httpMethod = new("--http-method")
    {
        Description = "The HTTP method: GET (default), POST, PUT, PATCH, DELETE or HEAD",
        HelpName = "M",
    };

    private readonly Option<string?> _cwd = new("--cwd")
    {
        Description = "Working directory of a command, relative to the current directory (default: the config file's directory)",
        HelpName = "DIR",
    };

    private readonly Option<string?> _timeout = new("--timeout")
    {
        Description = "Hard wall-clock limit of a run, e.g. 10m (default: the config's defaults, else 1h)",
        HelpName = "D",
    };

    private readonly Option<string?> _onInterrupt = new("--on-interrupt")
    {
        Description = "A run cut short by a crash or restart: retry (at-least-once) or record (at-most-once)",
        HelpName = "retry|record",
    };

    private readonly Option<string?> _overlap = new("--overlap")
    {
        Description = "A slot due while the previous run is still active: skip, queue, allow or replace",
        HelpName = "skip|queue|allow|replace",
    };

    private readonly Option<string?> _onStop = new("--on-stop")
    {
        Description = "When the daemon stops during a run: detach (commands only: the run goes on and the next start adopts it) or drain (wait up to drain_timeout)",
        HelpName = "detach|drain",
    };

    private readonly Option<string?> _session = new("--session")
    {
        Description = "A durable session key: runs of one session never overlap (\"\" removes it)",
        HelpName = "KEY",
    };

    private Option[] All => [_schedule, _timeZone, _command, _shell, _httpUrl, _httpMethod, _cwd, _timeout, _onInterrupt, _overlap, _onStop, _session];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Whether the command line gives any of these options.</summary>
    public bool AnyGiven(ParseResult parseResult) => All.Any(o => parseResult.GetResult(o) is not null);

    /// <summary>The options given, as a spec for <see cref="JobSpecBuilder"/> (absent options stay null).</summary>
    public JobSpec ToSpec(ParseResult parseResult) => new()
    {
        Schedule = parseResult.GetValue(_schedule),
        TimeZone = parseResult.GetValue(_timeZone),
        Command = parseResult.GetResult(_command) is null ? null : parseResult.GetValue(_command),
        Shell = parseResult.GetValue(_shell),
        HttpUrl = parseResult.GetValue(_httpUrl),
        HttpMethod = parseResult.GetValue(_httpMethod),
        Cwd = parseResult.GetValue(_cwd),
        Timeout = parseResult.GetValue(_timeout),
        OnInterrupt = parseResult.GetValue(_onInterrupt),
        Overlap = parseResult.GetValue(_overlap),
        OnStop = parseResult.GetValue(_onStop),
        Session = parseResult.GetValue(_session),
        SessionGiven = parseResult.GetResult(_session) is not null,
    };
}
