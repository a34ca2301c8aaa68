using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil jobs add NAME</c>: creates a job in the ledger (an API job: config reloads leave it alone).</summary>
internal sealed class JobsAddCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _name = OperatorOptions.JobName();
    private readonly JobSpecOptions _spec = new();

    /// <summary>Creates the command.</summary>
    public JobsAddCommand(CliContext context)
        : base("add", "Add a job to the ledger (an API job: it survives config reloads; the config wins if it later declares the same name). "
            + "Needs --schedule and one action (--command, --shell or --http-url); other policies come from the config's defaults")
    {
        _context = context;
        Arguments.Add(_name);
        _spec.AddTo(this);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        JobOperations.CheckName(name);
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var (view, replaced) = await JobOperations.AddAsync(ledger, name, _spec.ToSpec(parseResult), JobSpecWords.Cli, cancellationToken);
        var history = replaced ? " (the earlier job of this name was removed; its runs are kept)" : string.Empty;
        _context.Out.WriteLine($"added job \"{name}\"{history}: {view.Schedule!.Describe()}, next slot {Output.TimeText.Instant(view.NextSlot)}");
        return ExitCodes.Ok;
    }
}
