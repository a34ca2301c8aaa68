using System.CommandLine;
using System.Globalization;
using Vigil.Operations.Json;
using Vigil.Cli.Operating;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil runs retry RUN</c>: a new manual attempt at the slot of a run that ended without success.</summary>
internal sealed class RunsRetryCommand : Command
{
    private readonly CliContext _context;
    private readonly Argument<string> _run = OperatorOptions.RunId();
    private readonly Option<bool> _json = OperatorOptions.Json("the new run object");

    /// <summary>Creates the command.</summary>
    public RunsRetryCommand(CliContext context)
        : base("retry", "Queue a new attempt at the slot of a run that ended without success (failed, timed_out, cancelled, interrupted, skipped, missed) "
            + "and print its id: attempt = the slot's highest + 1, trigger manual, outside the retry policy's limits. A running daemon starts it at once")
    {
        _context = context;
        Arguments.Add(_run);
        Options.Add(_json);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var id = OperatorOptions.ParseRunId(parseResult.GetValue(_run)!);
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var newId = await RunOperations.RetryAsync(ledger, id, cancellationToken);
        if (parseResult.GetValue(_json))
        {
            var inserted = await ledger.GetRunAsync(newId, cancellationToken);
            _context.Out.WriteLine(JsonText.Write(writer => RunJson.Write(writer, inserted)));
        }
        else
        {
            _context.Out.WriteLine(newId.ToString(CultureInfo.InvariantCulture));
        }

        return ExitCodes.Ok;
    }
}
