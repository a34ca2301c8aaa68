using System.CommandLine;
using System.Globalization;
using Vigil.Operations.Json;
using Vigil.Operations;
using Vigil.Cli.Operating;
using Vigil.Cli.Output;
using Vigil.Incidents;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil incidents list</c>: incidents, newest first; unresolved ones unless <c>--all</c> or <c>--state</c>.</summary>
internal sealed class IncidentsListCommand : Command
{
    private const int MaxLimit = 10_000;

    private static readonly string StateNames = string.Join(", ", Enum.GetValues<IncidentState>().Select(s => s.Name()));
    private static readonly string KindNames = string.Join(", ", Enum.GetValues<IncidentKind>().Select(s => s.Name()));

    private readonly CliContext _context;
    private readonly Option<string?> _job = new("--job") { Description = "Only this job's incidents", HelpName = "J" };
    private readonly Option<string?> _state = new("--state") { Description = $"Only incidents in this state: {StateNames}", HelpName = "S" };
    private readonly Option<string?> _kind = new("--kind") { Description = $"Only this kind: {KindNames}", HelpName = "K" };
    private readonly Option<bool> _all = new("--all") { Description = "Resolved incidents too (default: open and acknowledged only)" };
    private readonly Option<int> _limit = new("--limit") { Description = $"At most N incidents (1-{MaxLimit})", HelpName = "N", DefaultValueFactory = _ => 100 };
    private readonly Option<bool> _json = OperatorOptions.Json("an array of incident objects");

    /// <summary>Creates the command.</summary>
    public IncidentsListCommand(CliContext context)
        : base("list", "List incidents, newest first: id, state, kind, job (or the node), count, first and last occurrence, detail. " + OperatorOptions.TimesNote)
    {
        _context = context;
        Options.Add(_job);
        Options.Add(_state);
        Options.Add(_kind);
        Options.Add(_all);
        Options.Add(_limit);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        IReadOnlyList<IncidentState> states = parseResult.GetValue(_all) ? [] : [IncidentState.Open, IncidentState.Acknowledged];
        if (parseResult.GetValue(_state) is { } stateText)
        {
            states = IncidentStates.TryParse(stateText.Trim(), out var state)
                ? [state]
                : throw new UsageException($"invalid --state \"{stateText}\": expected one of {StateNames}");
        }

        IncidentKind? kind = null;
        if (parseResult.GetValue(_kind) is { } kindText)
        {
            kind = IncidentKinds.TryParse(kindText.Trim(), out var parsed)
                ? parsed
                : throw new UsageException($"invalid --kind \"{kindText}\": expected one of {KindNames}");
        }

        var limit = parseResult.GetValue(_limit);
        if (limit is < 1 or > MaxLimit)
        {
            throw new UsageException($"--limit must be between 1 and {MaxLimit} (got {limit})");
        }

        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var incidents = await ledger.Store.ListIncidentsAsync(
            new IncidentQuery { Job = parseResult.GetValue(_job), States = states, Kind = kind, Limit = limit },
            cancellationToken);
        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(JsonText.Write(writer =>
            {
                writer.WriteStartArray();
                foreach (var incident in incidents)
                {
                    IncidentJson.Write(writer, incident);
                }

                writer.WriteEndArray();
            }));
        }
        else if (incidents.Count == 0)
        {
            _context.Out.WriteLine(states.Count == 2 ? "no open incidents" : "no incidents");
        }
        else
        {
            var table = new TextTable("ID", "STATE", "KIND", "JOB", "COUNT", "FIRST", "LAST", "DETAIL");
            foreach (var i in incidents)
            {
                table.Add(
                    i.Id.ToString(CultureInfo.InvariantCulture),
                    i.State.Name(),
                    i.Kind.Name(),
                    i.Job ?? "node " + i.Node,
                    i.Count.ToString(CultureInfo.InvariantCulture),
                    TimeText.Instant(i.FirstAt),
                    TimeText.Instant(i.LastAt),
                    i.State == IncidentState.Resolved ? $"{i.Detail} (resolved: {i.Resolution})" : i.Detail);
            }

            table.Write(_context.Out);
        }

        return ExitCodes.Ok;
    }
}
