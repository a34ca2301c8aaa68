using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Cli.Output;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs list</c>: runs, newest first, filtered by job, state and slot time.</summary>
internal sealed class RunsListCommand : Command
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 10_000;

    private static readonly string StateNames = string.Join(", ", Enum.GetValues<RunState>().Select(s => s.Name()));

    private readonly CliContext _context;
    private readonly Option<string?> _job = new("--job")
    {
        Description = "Only this job's runs",
        HelpName = "J",
    };

    private readonly Option<string?> _state = new("--state")
    {
        Description = $"Only runs in this state: {StateNames}",
        HelpName = "S",
    };

    private readonly Option<string?> _since = new("--since")
    {
        Description = "Only runs whose slot is at or after T: an ISO-8601 instant (UTC unless it has an offset) or a duration meaning that long ago, e.g. 24h",
        HelpName = "T",
    };

    private readonly Option<int> _limit = new("--limit")
    {
        Description = $"At most N runs (1-{MaxLimit})",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultLimit,
    };

    private readonly Option<bool> _json = OperatorOptions.Json("an array of run objects");

    /// <summary>Creates the command.</summary>
    public RunsListCommand(CliContext context)
        : base("list", "List runs, newest first: id, job, slot, attempt, state, trigger, start, duration, exit code, reason. " + OperatorOptions.TimesNote)
    {
        _context = context;
        Options.Add(_job);
        Options.Add(_state);
        Options.Add(_since);
        Options.Add(_limit);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    /// <summary>Reads <c>--since</c>: an ISO instant, or a duration before <paramref name="now"/>.</summary>
    internal static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        if (Iso.TryParse(text, TimeZoneInfo.Utc, out var instant))
        {
            return instant;
        }

        if (Duration.TryParse(text, out var ago, out _))
        {
            return now - ago;
        }

        throw new UsageException($"invalid --since \"{text}\": expected an ISO-8601 instant such as 2026-03-29T00:00:00Z or a duration such as 24h");
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        RunState? state = null;
        if (parseResult.GetValue(_state) is { } stateText)
        {
            state = RunStates.TryParse(stateText.Trim(), out var parsed)
                ? parsed
                : throw new UsageException($"invalid --state \"{stateText}\": expected one of {StateNames}");
        }

        var limit = parseResult.GetValue(_limit);
        if (limit is < 1 or > MaxLimit)
        {
            throw new UsageException($"--limit must be between 1 and {MaxLimit} (got {limit})");
        }

        var since = parseResult.GetValue(_since) is { } sinceText ? ParseSince(sinceText, _context.Time.GetUtcNow()) : (DateTimeOffset?)null;

        await using var ledger = await OperatorLedger.OpenAsync(parseResult, _context, cancellationToken);
        var job = parseResult.GetValue(_job);
        if (job is not null && await ledger.Store.GetJobAsync(job, cancellationToken) is null && !ledger.Config.Jobs.Any(j => j.Name == job))
        {
            throw new UsageException(OperatorLedger.NoJob(job));
        }

        var runs = await ledger.Store.ListRunsAsync(new RunQuery { Job = job, State = state, Since = since, Limit = limit }, cancellationToken);
        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(CliJson.Write(writer => RunJson.WriteArray(writer, name: null, runs)));
        }
        else if (runs.Count == 0)
        {
            _context.Out.WriteLine("no runs");
        }
        else
        {
            RunTable.Write(_context.Out, runs, withJob: true);
        }

        return ExitCodes.Ok;
    }
}
