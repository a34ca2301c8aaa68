using System.CommandLine;
using Vigil.Configuration;
using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// The options <c>jobs add</c> and <c>jobs edit</c> share, and how they turn into a validated
/// <see cref="JobDefinition"/>: the same checks the config loader makes, each failure one usage line.
/// </summary>
internal sealed class JobSpecOptions
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

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

    private readonly Option<string?> _session = new("--session")
    {
        Description = "A durable session key: runs of one session never overlap (\"\" removes it)",
        HelpName = "KEY",
    };

    private Option[] All => [_schedule, _timeZone, _command, _shell, _httpUrl, _httpMethod, _cwd, _timeout, _onInterrupt, _overlap, _session];

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

    /// <summary>
    /// The definition <paramref name="existing"/> becomes with the options applied, or, without one, a
    /// new API job built on the config's defaults.
    /// </summary>
    /// <exception cref="UsageException">An option's value is not valid, or <c>add</c> lacks the schedule or the action.</exception>
    public JobDefinition Build(ParseResult parseResult, string name, JobDefinition? existing, VigilConfig config, DateTimeOffset anchorDefault)
    {
        var zoneId = parseResult.GetValue(_timeZone)?.Trim() ?? existing?.TimeZone ?? config.TimeZone;
        if (!TimeZones.TryFind(zoneId, out var zone, out var zoneError))
        {
            throw new UsageException("--tz: " + zoneError);
        }

        var scheduleText = parseResult.GetValue(_schedule)?.Trim() ?? existing?.Schedule
            ?? throw new UsageException("missing --schedule (e.g. --schedule \"0 22 * * *\" or --schedule \"every 30m\")");
        if (!Schedule.TryParse(scheduleText, zone, out _, out var scheduleError, existing?.Anchor ?? anchorDefault))
        {
            throw new UsageException(scheduleError!);
        }

        var policies = existing?.Policies ?? config.Defaults;
        if (parseResult.GetValue(_timeout) is { } timeoutText)
        {
            policies = policies with { Timeout = ParseDuration("--timeout", timeoutText) };
        }

        if (parseResult.GetValue(_onInterrupt) is { } onInterrupt)
        {
            policies = policies with { OnInterrupt = Choice<InterruptPolicy>("--on-interrupt", onInterrupt, "retry", "record") };
        }

        if (parseResult.GetValue(_overlap) is { } overlap)
        {
            policies = policies with { Overlap = Choice<OverlapPolicy>("--overlap", overlap, "skip", "queue", "allow", "replace") };
        }

        if (parseResult.GetResult(_session) is not null)
        {
            var session = parseResult.GetValue(_session)?.Trim();
            policies = policies with { Session = string.IsNullOrEmpty(session) ? null : session };
        }

        return new JobDefinition
        {
            Name = name,
            Schedule = scheduleText,
            TimeZone = zoneId,
            Anchor = existing?.Anchor,
            Action = BuildAction(parseResult, existing?.Action, config),
            Policies = policies,
            Enabled = existing?.Enabled ?? true,
            Source = JobSource.Api,
        };
    }

    private ActionSpec BuildAction(ParseResult parseResult, ActionSpec? existing, VigilConfig config)
    {
        var argv = parseResult.GetResult(_command) is null ? null : parseResult.GetValue(_command);
        var shell = parseResult.GetValue(_shell);
        var url = parseResult.GetValue(_httpUrl);
        var method = parseResult.GetValue(_httpMethod);
        var cwd = parseResult.GetValue(_cwd);
        var given = (argv is not null ? 1 : 0) + (shell is not null ? 1 : 0) + (url is not null ? 1 : 0);
        if (given > 1)
        {
            throw new UsageException("give one action: --command ARG..., --shell \"CMD\" or --http-url URL");
        }

        if (given == 0 && existing is null)
        {
            throw new UsageException("missing the action: give --command ARG..., --shell \"CMD\" or --http-url URL");
        }

        var action = argv is not null ? Command(argv, shell: false, existing)
            : shell is not null ? Command([shell], shell: true, existing)
            : url is not null ? new HttpAction { Url = CheckUrl(url), Method = existing is HttpAction h ? h.Method : "GET" }
            : existing!;

        if (method is not null)
        {
            action = action is HttpAction http
                ? http with { Method = CheckMethod(method) }
                : throw new UsageException("--http-method only applies to an HTTP action (--http-url URL)");
        }

        if (action is CommandAction command)
        {
            var directory = cwd is not null ? Path.GetFullPath(cwd)
                : existing is CommandAction previous ? previous.Cwd
                : Path.GetDirectoryName(config.ConfigPath);
            action = command with { Cwd = directory };
        }
        else if (cwd is not null)
        {
            throw new UsageException("--cwd only applies to a command (--command or --shell)");
        }

        return action;
    }

    /// <summary>A command action; a replaced command keeps the previous one's environment.</summary>
    private static CommandAction Command(string[] argv, bool shell, ActionSpec? existing)
    {
        if (argv.Length == 0 || string.IsNullOrWhiteSpace(argv[0]))
        {
            throw new UsageException(shell ? "--shell: the command is empty" : "--command: the command is empty");
        }

        return new CommandAction
        {
            Argv = argv,
            Shell = shell,
            Env = existing is CommandAction previous ? previous.Env : new Dictionary<string, string>(),
        };
    }

    private static string CheckUrl(string text)
    {
        var url = text.Trim();
        if (!Placeholders.TryValidate(url, out var error))
        {
            throw new UsageException("--http-url: " + error);
        }

        // A URL that starts with a placeholder (${BASE_URL}/hook) can only be checked once expanded, at run time.
        if (url.StartsWith("${", StringComparison.Ordinal))
        {
            return url;
        }

        Placeholders.TryExpand(url, static _ => "placeholder", out var sample, out _);
        return Uri.TryCreate(sample, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? url
            : throw new UsageException($"--http-url: \"{url}\" is not an absolute http:// or https:// URL");
    }

    private static string CheckMethod(string text)
    {
        var method = text.Trim().ToUpperInvariant();
        return Methods.Contains(method)
            ? method
            : throw new UsageException($"--http-method: \"{text}\" is not one of {string.Join(", ", Methods)}");
    }

    private static TimeSpan ParseDuration(string option, string text)
    {
        if (!Duration.TryParse(text, out var value, out var error))
        {
            throw new UsageException($"{option}: {error}");
        }

        return value > TimeSpan.Zero ? value : throw new UsageException($"{option}: must be greater than 0");
    }

    private static T Choice<T>(string option, string text, params string[] names)
        where T : struct, Enum
    {
        var word = text.Trim().ToLowerInvariant();
        return names.Contains(word) && Enum.TryParse<T>(word, ignoreCase: true, out var value)
            ? value
            : throw new UsageException($"{option}: \"{text}\" is not one of {string.Join(", ", names)}");
    }
}
