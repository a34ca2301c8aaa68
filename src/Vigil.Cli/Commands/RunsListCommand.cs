using System.CommandLine;
using Vigil.Operations.Json;
using Vigil.Cli.Operating;
using Vigil.Operations;
using Vigil.Cli.Output;
using Vigil.Ledger;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs list</c>: runs, newest first, filtered by job, state and slot time.</summary>
internal sealed class RunsListCommand : Command
{
    private const int DefaultLimit = 50;

    private readonly CliContext _context;
    private readonly Option<string?> _job = new("--job")
    {
        Description = "Only this job's runs",
        HelpName = "J",
    };

    private readonly Option<string?> _state = new("--state")
    {
        Description = $"Only runs in this state: {RunOperations.StateNames}",
        HelpName = "S",
    };

    private readonly Option<string?> _since = new("--since")
    {
        Description = "Only runs whose slot is at or after T: an ISO-8601 instant (UTC unless it has an offset) or a duration meaning that long ago, e.g. 24h",
        HelpName = "T",
    };

    private readonly Option<int> _limit = new("--limit")
    {
        Description = $"At most N runs (1-{RunOperations.MaxLimit})",
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

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var state = parseResult.GetValue(_state) is { } stateText ? RunOperations.ParseState("--state", stateText) : (RunState?)null;
        var limit = RunOperations.CheckLimit("--limit", parseResult.GetValue(_limit));
        var since = parseResult.GetValue(_since) is { } sinceText ? RunOperations.ParseSince("--since", sinceText, _context.Time.GetUtcNow()) : (DateTimeOffset?)null;

        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var runs = await RunOperations.ListAsync(ledger, new RunQuery { Job = parseResult.GetValue(_job), State = state, Since = since, Limit = limit }, cancellationToken);
        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(JsonText.Write(writer => RunJson.WriteArray(writer, name: null, runs)));
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
