using System.CommandLine;
using System.Globalization;
using Vigil.Operations.Json;
using Vigil.Operations;
using Vigil.Cli.Operating;
using Vigil.Incidents;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil incidents ack ID</c>: an operator has seen an incident; no more reminders.</summary>
internal sealed class IncidentsAckCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _id = new("ID") { Description = "The incident id (from 'vigil incidents list')" };
    private readonly Option<bool> _json = OperatorOptions.Json("the incident object");

    /// <summary>Creates the command.</summary>
    public IncidentsAckCommand(CliContext context)
        : base("ack", "Acknowledge an open incident: it stays listed and counted until the job is healthy again, but no more reminders are sent")
    {
        _context = context;
        Arguments.Add(_id);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var text = parseResult.GetValue(_id)!.Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            throw new UsageException($"invalid incident id \"{text}\": expected a positive whole number");
        }

        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var incident = await ledger.Store.GetIncidentAsync(id, cancellationToken) ?? throw new UsageException($"no incident {id}");
        if (incident.State != IncidentState.Open)
        {
            throw new UsageException($"incident {id} is {incident.State.Name()}; only an open incident can be acknowledged");
        }

        if (!await ledger.Store.AcknowledgeIncidentAsync(id, ledger.Now, cancellationToken))
        {
            throw new UsageException($"incident {id} changed meanwhile; see 'vigil incidents list --all'");
        }

        incident = (await ledger.Store.GetIncidentAsync(id, cancellationToken))!;
        if (parseResult.GetValue(_json))
        {
            _context.Out.WriteLine(JsonText.Write(writer => IncidentJson.Write(writer, incident)));
        }
        else
        {
            _context.Out.WriteLine($"incident {id} acknowledged ({incident.Kind.Name()} {incident.Job ?? "node " + incident.Node})");
        }

        return ExitCodes.Ok;
    }
}
