using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Operations;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil jobs pause NAME</c> and <c>vigil jobs resume NAME</c>: one verb each, the same steps with
/// the flag set or cleared. Works on every job, config jobs included; a pause survives config reloads.
/// </summary>
internal sealed class JobsPauseCommand : Command
{
    private readonly CliContext _context;
    private readonly bool _pause;
    private readonly Argument<string> _name = OperatorOptions.JobName();

    /// <summary>Creates <c>pause</c> (<paramref name="pause"/> true) or <c>resume</c>.</summary>
    public JobsPauseCommand(CliContext context, bool pause)
        : base(
            pause ? "pause" : "resume",
            pause
                ? "Pause a job (config or API): no slot is planned while it is paused, and the pause survives config reloads. Manual runs ('vigil jobs trigger') still run"
                : "Resume a paused job: planning starts again from now; the slots that fell due while it was paused are not run")
    {
        _context = context;
        _pause = pause;
        Arguments.Add(_name);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var verb = _pause ? "paused" : "resumed";
        var changed = await JobOperations.SetPausedAsync(ledger, name, _pause, cancellationToken);
        _context.Out.WriteLine(changed ? $"{verb} job \"{name}\"" : $"job \"{name}\" was already {verb}");
        return ExitCodes.Ok;
    }
}
