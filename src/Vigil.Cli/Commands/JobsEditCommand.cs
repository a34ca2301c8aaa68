using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs edit NAME</c>: changes a job created through the CLI or API; config jobs are changed in the file.</summary>
internal sealed class JobsEditCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();
    private readonly JobSpecOptions _spec = new();

    /// <summary>Creates the command.</summary>
    public JobsEditCommand(CliContext context)
        : base("edit", "Change an API job (one added with 'vigil jobs add'): only the options given change; a new action replaces the old one. "
            + "Jobs declared in the config are refused: edit the file instead")
    {
        _context = context;
        Arguments.Add(_name);
        _spec.AddTo(this);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        if (!_spec.AnyGiven(parseResult))
        {
            throw new UsageException("nothing to change: give at least one option (see 'vigil jobs edit --help')");
        }

        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var (view, changed) = await JobOperations.EditAsync(ledger, name, _spec.ToSpec(parseResult), JobSpecWords.Cli, cancellationToken);
        _context.Out.WriteLine(changed
            ? $"changed job \"{name}\": {view.Schedule!.Describe()}, next slot {Output.TimeText.Instant(view.NextSlot)}"
            : $"job \"{name}\" unchanged");
        return ExitCodes.Ok;
    }
}
