using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs remove NAME</c>: marks an API job removed; its runs stay in the ledger.</summary>
internal sealed class JobsRemoveCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();

    /// <summary>Creates the command.</summary>
    public JobsRemoveCommand(CliContext context)
        : base("remove", "Remove an API job: it is disabled and marked removed, its run history is kept (pending runs are cancelled by the daemon). "
            + "Jobs declared in the config are refused: take them out of the file instead")
    {
        _context = context;
        Arguments.Add(_name);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var removed = await JobOperations.RemoveAsync(ledger, name, cancellationToken);
        _context.Out.WriteLine(removed ? $"removed job \"{name}\" (its runs are kept)" : $"job \"{name}\" was already removed");
        return ExitCodes.Ok;
    }
}
