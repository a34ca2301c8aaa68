using Vigil.Configuration;
using Vigil.Jobs;
using Vigil.Scheduling;

namespace Vigil.Operations;

/// <summary>
/// Turns a <see cref="JobSpec"/> into a validated <see cref="JobDefinition"/>: the same checks the
/// config loader makes, each failure one line naming the field in the caller's words.
/// </summary>
internal static class JobSpecBuilder
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"];

    /// <summary>
    /// The definition <paramref name="existing"/> becomes with the spec applied, or, without one, a
    /// new API job built on the config's defaults.
    /// </summary>
    /// <exception cref="OperationException">A value is not valid, or an add lacks the schedule or the action.</exception>
    public static JobDefinition Build(JobSpec spec, JobSpecWords words, string name, JobDefinition? existing, VigilConfig config, DateTimeOffset anchorDefault)
    {
        var zoneId = spec.TimeZone?.Trim() ?? existing?.TimeZone ?? config.TimeZone;
        if (!TimeZones.TryFind(zoneId, out var zone, out var zoneError))
        {
            throw new OperationException($"{words.TimeZone}: {zoneError}");
        }

        var scheduleText = spec.Schedule?.Trim() ?? existing?.Schedule ?? throw new OperationException(words.MissingSchedule);
        if (!Schedule.TryParse(scheduleText, zone, out _, out var scheduleError, existing?.Anchor ?? anchorDefault))
        {
            throw new OperationException(scheduleError!);
        }

        var policies = existing?.Policies ?? config.Defaults;
        if (spec.Timeout is { } timeoutText)
        {
            policies = policies with { Timeout = ParseDuration(words.Timeout, timeoutText) };
        }

        if (spec.OnInterrupt is { } onInterrupt)
        {
            policies = policies with { OnInterrupt = Choice<InterruptPolicy>(words.OnInterrupt, onInterrupt, "retry", "record") };
        }

        if (spec.Overlap is { } overlap)
        {
            policies = policies with { Overlap = Choice<OverlapPolicy>(words.Overlap, overlap, "skip", "queue", "allow", "replace") };
        }

        if (spec.OnStop is { } onStop)
        {
            policies = policies with { OnStop = Choice<StopPolicy>(words.OnStop, onStop, "detach", "drain") };
        }

        if (spec.SessionGiven)
        {
            var session = spec.Session?.Trim();
            policies = policies with { Session = string.IsNullOrEmpty(session) ? null : session };
        }

        var action = BuildAction(spec, words, existing?.Action, config);
        if (spec.OnStop is not null && policies.OnStop == StopPolicy.Detach && !action.CanDetach)
        {
            throw new OperationException($"{words.OnStop}: detach applies to command actions only; {action.Kind} actions always drain");
        }

        return new JobDefinition
        {
            Name = name,
            Schedule = scheduleText,
            TimeZone = zoneId,
            Anchor = existing?.Anchor,
            Action = action,
            Policies = policies,
            Enabled = existing?.Enabled ?? true,
            Source = JobSource.Api,
        };
    }

    private static ActionSpec BuildAction(JobSpec spec, JobSpecWords words, ActionSpec? existing, VigilConfig config)
    {
        var given = (spec.Command is not null ? 1 : 0) + (spec.Shell is not null ? 1 : 0) + (spec.HttpUrl is not null ? 1 : 0);
        if (given > 1)
        {
            throw new OperationException(words.OneAction);
        }

        if (given == 0 && existing is null)
        {
            throw new OperationException(words.MissingAction);
        }

        var action = spec.Command is { } argv ? Command([.. argv], shell: false, existing, words)
            : spec.Shell is { } shell ? Command([shell], shell: true, existing, words)
            : spec.HttpUrl is { } url ? new HttpAction { Url = CheckUrl(url, words), Method = existing is HttpAction h ? h.Method : "GET" }
            : existing!;

        if (spec.HttpMethod is { } method)
        {
            action = action is HttpAction http
                ? http with { Method = CheckMethod(method, words) }
                : throw new OperationException(words.HttpMethodOnlyHttp);
        }

        if (action is CommandAction command)
        {
            var directory = spec.Cwd is { } cwd ? Path.GetFullPath(cwd)
                : existing is CommandAction previous ? previous.Cwd
                : Path.GetDirectoryName(config.ConfigPath);
            action = command with { Cwd = directory };
        }
        else if (spec.Cwd is not null)
        {
            throw new OperationException(words.CwdOnlyCommand);
        }

        return action;
    }

    /// <summary>A command action; a replaced command keeps the previous one's environment.</summary>
    private static CommandAction Command(string[] argv, bool shell, ActionSpec? existing, JobSpecWords words)
    {
        if (argv.Length == 0 || string.IsNullOrWhiteSpace(argv[0]))
        {
            throw new OperationException(shell ? $"{words.Shell}: the command is empty" : $"{words.Command}: the command is empty");
        }

        return new CommandAction
        {
            Argv = argv,
            Shell = shell,
            Env = existing is CommandAction previous ? previous.Env : new Dictionary<string, string>(),
        };
    }

    private static string CheckUrl(string text, JobSpecWords words)
    {
        var url = text.Trim();
        if (!Placeholders.TryValidate(url, out var error))
        {
            throw new OperationException($"{words.HttpUrl}: {error}");
        }

        // A URL that starts with a placeholder (${BASE_URL}/hook) can only be checked once expanded, at run time.
        if (url.StartsWith("${", StringComparison.Ordinal))
        {
            return url;
        }

        Placeholders.TryExpand(url, static _ => "placeholder", out var sample, out _);
        return Uri.TryCreate(sample, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? url
            : throw new OperationException($"{words.HttpUrl}: \"{url}\" is not an absolute http:// or https:// URL");
    }

    private static string CheckMethod(string text, JobSpecWords words)
    {
        var method = text.Trim().ToUpperInvariant();
        return Methods.Contains(method)
            ? method
            : throw new OperationException($"{words.HttpMethod}: \"{text}\" is not one of {string.Join(", ", Methods)}");
    }

    private static TimeSpan ParseDuration(string field, string text)
    {
        if (!Duration.TryParse(text, out var value, out var error))
        {
            throw new OperationException($"{field}: {error}");
        }

        return value > TimeSpan.Zero ? value : throw new OperationException($"{field}: must be greater than 0");
    }

    private static T Choice<T>(string field, string text, params string[] names)
        where T : struct, Enum
    {
        var word = text.Trim().ToLowerInvariant();
        return names.Contains(word) && Enum.TryParse<T>(word, ignoreCase: true, out var value)
            ? value
            : throw new OperationException($"{field}: \"{text}\" is not one of {string.Join(", ", names)}");
    }
}
