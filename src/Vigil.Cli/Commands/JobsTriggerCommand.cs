using System.CommandLine;
using Vigil.Cli.Operating;
using Vigil.Jobs;
using Vigil.Ledger;

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
            throw new UsageException($"job \"{name}\" was removed; a manual run of it would not start");
        }

        string? session = null;
        try
        {
            session = JobCodec.Deserialize(stored.Definition).Policies.Session;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new UsageException($"job \"{name}\" has a stored definition that cannot be read ({e.Message})");
        }

        var id = await InsertManualRunAsync(ledger, name, session, cancellationToken);
        ledger.Wake();
        if (parseResult.GetValue(_json))
        {
            var run = await ledger.GetRunAsync(id, cancellationToken);
            _context.Out.WriteLine(CliJson.Write(writer => Output.RunJson.Write(writer, run)));
        }
        else
        {
            _context.Out.WriteLine(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return ExitCodes.Ok;
    }

    /// <remarks>
    /// The slot is now, at the ledger's millisecond precision. Two triggers in the same millisecond
    /// would share (job, slot, attempt), so the second moves one millisecond on instead of being lost.
    /// </remarks>
    private static async Task<long> InsertManualRunAsync(OperatorLedger ledger, string name, string? session, CancellationToken cancellationToken)
    {
        var now = ledger.Now;
        var slot = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        for (var i = 0; i < 1000; i++, slot = slot.AddMilliseconds(1))
        {
            var id = await ledger.Store.InsertRunAsync(
                new NewRun { Job = name, Slot = slot, Attempt = 1, Trigger = RunTrigger.Manual, Session = session },
                now,
                cancellationToken);
            if (id is { } inserted)
            {
                return inserted;
            }
        }

        throw new IOException($"could not insert a manual run of \"{name}\": every slot near now is taken");
    }
}
