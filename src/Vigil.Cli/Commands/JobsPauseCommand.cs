using System.CommandLine;
using Vigil.Cli.Operating;

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
        await using var ledger = await OperatorLedger.OpenAsync(parseResult, _context, cancellationToken);
        var stored = await ledger.Store.GetJobAsync(name, cancellationToken);
        if (stored is null)
        {
            throw new UsageException(ledger.Config.Jobs.Any(j => j.Name == name)
                ? $"job \"{name}\" is declared in {ledger.ConfigPath} but not in the ledger yet; start the daemon ('vigil run') to apply the config first"
                : OperatorLedger.NoJob(name));
        }

        if (stored.RemovedAt is not null)
        {
            throw new UsageException($"job \"{name}\" was removed");
        }

        var verb = _pause ? "paused" : "resumed";
        if (stored.Paused == _pause)
        {
            _context.Out.WriteLine($"job \"{name}\" was already {verb}");
            return ExitCodes.Ok;
        }

        await ledger.Store.SetJobPausedAsync(name, _pause, ledger.Now, cancellationToken);
        ledger.Wake();
        _context.Out.WriteLine($"{verb} job \"{name}\"");
        return ExitCodes.Ok;
    }
}
