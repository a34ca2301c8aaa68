using System.CommandLine;
using Vigil.Operations.Json;
using Vigil.Cli.Operating;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs trigger NAME</c>: inserts a manual pending run for now; the daemon starts it.</summary>
internal sealed class JobsTriggerCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();
    private readonly Option<bool> _json = OperatorOptions.Json("the new run object");

    /// <summary>Creates the command.</summary>
    public JobsTriggerCommand(CliContext context)
        : base("trigger", "Queue a manual run of a job now (slot = now, attempt 1, trigger manual) and print its id. "
            + "A running daemon starts it at once (paused jobs too; overlap and session rules still apply); without a daemon it waits in the ledger as pending")
    {
        _context = context;
        Arguments.Add(_name);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var id = await JobOperations.TriggerAsync(ledger, name, cancellationToken);
        if (parseResult.GetValue(_json))
        {
            var run = await ledger.GetRunAsync(id, cancellationToken);
            _context.Out.WriteLine(JsonText.Write(writer => RunJson.Write(writer, run)));
        }
        else
        {
            _context.Out.WriteLine(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return ExitCodes.Ok;
    }
}
