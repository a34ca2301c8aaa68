using System.CommandLine;
using System.Globalization;
using Vigil.Cli.Operating;
using Vigil.Ledger;

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
        await using var ledger = await OperatorLedger.OpenAsync(parseResult, _context, cancellationToken);
        var run = await ledger.GetRunAsync(id, cancellationToken);
        if (!run.State.IsTerminal())
        {
            throw new UsageException($"run {id} is {run.State.Name()}; only a run that ended without success can be retried");
        }

        if (run.State == RunState.Succeeded)
        {
            throw new UsageException($"run {id} succeeded; only a run that ended without success can be retried (use 'vigil jobs trigger {run.Job}' for a new run)");
        }

        var job = await ledger.Store.GetJobAsync(run.Job, cancellationToken);
        if (job is null || job.RemovedAt is not null)
        {
            throw new UsageException($"job \"{run.Job}\" was removed; a new attempt of its run would not start");
        }

        var attempts = await ledger.Store.ListAttemptsAsync(run.Job, run.Slot, cancellationToken);
        if (attempts.FirstOrDefault(a => !a.State.IsTerminal()) is { } open)
        {
            throw new UsageException($"the slot of run {id} already has attempt {open.Attempt} {open.State.Name()} (run {open.Id})");
        }

        var next = attempts.Count == 0 ? run.Attempt + 1 : attempts.Max(a => a.Attempt) + 1;
        var newId = await ledger.Store.InsertRunAsync(
            new NewRun
            {
                Job = run.Job,
                Slot = run.Slot,
                Attempt = next,
                Trigger = RunTrigger.Manual,
                Session = run.Session,
                Resumed = attempts.Any(a => a.State == RunState.Interrupted),
            },
            ledger.Now,
            cancellationToken)
            ?? throw new UsageException($"attempt {next} of the slot of run {id} was inserted by someone else meanwhile; see 'vigil runs list --job {run.Job}'");
        ledger.Wake();

        if (parseResult.GetValue(_json))
        {
            var inserted = await ledger.GetRunAsync(newId, cancellationToken);
            _context.Out.WriteLine(CliJson.Write(writer => Output.RunJson.Write(writer, inserted)));
        }
        else
        {
            _context.Out.WriteLine(newId.ToString(CultureInfo.InvariantCulture));
        }

        return ExitCodes.Ok;
    }
}
