using System.CommandLine;
using Vigil.Cli.Daemon;
using Vigil.Cli.Operating;
using Vigil.Operations;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil drain</c>: asks the daemon running this config to drain (what SIGTERM does), by creating
/// the drain-request file it watches; <c>--wait</c> waits until it has recorded its stop.
/// </summary>
/// <remarks>
/// Whether a daemon runs is read from the ledger, not from a pid file: an incarnation of this node
/// that has not recorded a stop and whose lease has not run out is alive (it renews the lease
/// while it runs). A daemon killed with SIGKILL leaves a lease that runs out on its own.
/// </remarks>
internal sealed class DrainCommand : Command
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly CliContext _context;
    private readonly Option<bool> _wait = new("--wait")
    {
        Description = "Wait until the daemon has drained and recorded its stop",
    };

    private readonly Option<string?> _timeout = new("--timeout")
    {
        Description = "With --wait, give up after this long, exit 1 (default: the config's drain_timeout + 1m)",
        HelpName = "D",
    };

    /// <summary>Creates the command.</summary>
    public DrainCommand(CliContext context)
        : base("drain", "Ask the running daemon of this config to drain, as SIGTERM does: it starts nothing new, lets running actions finish "
            + "within drain_timeout, records the rest as interrupted and stops. Exits 1 when no daemon is running")
    {
        _context = context;
        Options.Add(_wait);
        Options.Add(_timeout);
        SetAction((parseResult, cancellationToken) => ExecuteAsync(parseResult, cancellationToken));
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        TimeSpan? timeout = null;
        if (parseResult.GetValue(_timeout) is { } timeoutText)
        {
            timeout = Duration.TryParse(timeoutText, out var parsed, out var error) && parsed > TimeSpan.Zero
                ? parsed
                : throw new UsageException($"--timeout: {error ?? "must be greater than 0"}");
        }

        await using var ledger = await CliLedger.OpenAsync(parseResult, _context, cancellationToken);
        var config = ledger.Config;
        var live = await FindLiveAsync(ledger, cancellationToken)
            ?? throw new CommandFailedException($"no daemon is running for {config.ConfigPath} (no live incarnation of node \"{config.Node}\" in the ledger)");

        var incarnation = live.Incarnation;
        if (live.DrainingAt is { } drainingAt)
        {
            // The daemon takes a second request as a second signal and interrupts its drain: asking twice must not do that.
            _context.Out.WriteLine($"incarnation {incarnation.Id} (node {incarnation.Node}, pid {incarnation.Pid}) has been draining since {Iso.Format(drainingAt)}");
        }
        else
        {
            await File.WriteAllTextAsync(Path.Combine(config.DataDir, LocalLedger.DrainFile), string.Empty, cancellationToken);
            _context.Out.WriteLine($"drain requested from incarnation {incarnation.Id} (node {incarnation.Node}, pid {incarnation.Pid})");
        }

        if (!parseResult.GetValue(_wait))
        {
            return ExitCodes.Ok;
        }

        _context.Out.Flush();
        var limit = timeout ?? config.DrainTimeout + TimeSpan.FromMinutes(1);
        var deadline = ledger.Now + limit;
        while (true)
        {
            var record = await GetAsync(ledger, incarnation, cancellationToken);
            if (record?.StoppedAt is { } stoppedAt)
            {
                _context.Out.WriteLine($"incarnation {incarnation.Id} stopped {(record.CleanStop ? "cleanly" : "uncleanly")} at {Iso.Format(stoppedAt)}");
                return ExitCodes.Ok;
            }

            var now = ledger.Now;
            if (record is null || record.LeaseExpiresAt <= now)
            {
                throw new CommandFailedException($"incarnation {incarnation.Id} stopped renewing its lease without recording a stop (killed?); 'vigil run' recovers its runs on the next start");
            }

            if (now >= deadline)
            {
                throw new CommandFailedException($"incarnation {incarnation.Id} did not stop within {Duration.Format(limit)}; it may still be draining");
            }

            await Task.Delay(PollInterval, _context.Time, cancellationToken);
        }
    }

    private static async Task<IncarnationRecord?> FindLiveAsync(OperatorLedger ledger, CancellationToken cancellationToken)
    {
        var now = ledger.Now;
        var incarnations = await ledger.Store.ListIncarnationsAsync(ledger.Config.Node, DateTimeOffset.UnixEpoch, cancellationToken);
        return incarnations.LastOrDefault(i => i.StoppedAt is null && i.LeaseExpiresAt > now);
    }

    private static async Task<IncarnationRecord?> GetAsync(OperatorLedger ledger, Incarnation incarnation, CancellationToken cancellationToken)
    {
        var incarnations = await ledger.Store.ListIncarnationsAsync(incarnation.Node, incarnation.StartedAt, cancellationToken);
        return incarnations.FirstOrDefault(i => i.Incarnation.Id == incarnation.Id);
    }
}
