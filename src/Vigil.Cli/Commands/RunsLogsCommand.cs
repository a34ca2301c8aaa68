using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Operations;
using Vigil.Ledger;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs logs RUN</c>: the run's captured output tail, raw.</summary>
internal sealed class RunsLogsCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _run = OperatorOptions.RunId();

    /// <summary>Creates the command.</summary>
    public RunsLogsCommand(CliContext context)
        : base("logs", "Print the run's captured output (stdout and stderr together, the tail kept when it was long) exactly as stored. "
            + "Output is stored when the run ends; a run without any says so on stderr")
    {
        _context = context;
        Arguments.Add(_run);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var id = OperatorOptions.ParseRunId(parseResult.GetValue(_run)!);
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var run = await ledger.GetRunAsync(id, cancellationToken);
        var output = await ledger.Store.GetRunOutputAsync(id, cancellationToken);
        if (string.IsNullOrEmpty(output))
        {
            _context.Error.WriteLine(run.State.IsTerminal()
                ? $"vigil: run {id} ({run.State.Name()}) has no captured output"
                : $"vigil: run {id} is {run.State.Name()}; its output is stored when it ends");
            return ExitCodes.Ok;
        }

        _context.Out.Write(output);
        return ExitCodes.Ok;
    }
}
