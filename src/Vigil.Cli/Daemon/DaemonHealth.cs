using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vigil.Engine;
using Vigil.Ledger;
using Vigil.Scheduling;

namespace Vigil.Cli.Daemon;

/// <summary>
/// What the running daemon shows outside itself: the health file in the data directory (read by
/// <c>vigil doctor</c>) and, under systemd, READY, STATUS, WATCHDOG and STOPPING notifications.
/// </summary>
/// <remarks>
/// <c>WATCHDOG=1</c> is sent only while the engine's loops are healthy (no stall): a daemon whose
/// planner is wedged stops petting the watchdog, and systemd restarts it after <c>WatchdogSec</c>,
/// even with <c>on_stall: log</c>.
/// </remarks>
internal sealed partial class DaemonHealth : IDisposable
{
    /// <summary>The health file in the data directory.</summary>
    public const string FileName = "daemon-health.json";

    /// <summary>How often the health file is written (and STATUS refreshed) without a watchdog asking for more.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly VigilEngine _engine;
    private readonly IRunStore _store;
    private readonly string _dataDir;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SystemdNotifier? _notifier;
    private readonly TimeSpan? _watchdog;
    private bool _sendFailed;

    public DaemonHealth(VigilEngine engine, IRunStore store, string dataDir, string node, TimeProvider time, ILogger logger, Func<string, string?> environment)
    {
        _engine = engine;
        _store = store;
        _dataDir = dataDir;
        _node = node;
        _time = time;
        _logger = logger;
        _notifier = SystemdNotifier.FromEnvironment(environment);
        _watchdog = _notifier is null ? null : SystemdNotifier.WatchdogInterval(environment, Environment.ProcessId);
    }

    /// <summary>Tells systemd the daemon is stopping (the drain begins).</summary>
    public void Stopping() => Notify("STOPPING=1\n" + SystemdNotifier.Status("draining"));

    /// <summary>Tells systemd about a stall the daemon is about to exit for.</summary>
    public void Exiting(string why) => Notify(SystemdNotifier.Status("exiting: " + why));

    /// <summary>Waits for recovery (READY=1), then keeps the health file and systemd informed until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _engine.Ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            var summary = await SummaryAsync(cancellationToken).ConfigureAwait(false);
            Notify("READY=1\n" + SystemdNotifier.Status(summary));
            var interval = _watchdog is { } w && w < Interval ? w : Interval;
            while (!cancellationToken.IsCancellationRequested)
            {
                var stall = _engine.Stall;
                WriteFile(stall, summary);
                Notify(stall is null ? "WATCHDOG=1\n" + SystemdNotifier.Status(summary) : SystemdNotifier.Status("STALLED: " + stall));
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                summary = await SummaryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _notifier?.Dispose();

    private async Task<string> SummaryAsync(CancellationToken cancellationToken)
    {
        string incidents;
        try
        {
            // Bounded: a ledger that does not answer must not stop the watchdog verdict.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(TimeSpan.FromSeconds(1));
            var counts = await _store.CountUnresolvedIncidentsAsync(limit.Token).ConfigureAwait(false);
            incidents = counts.Values.Sum().ToString(CultureInfo.InvariantCulture);
        }
#pragma warning disable CA1031 // The summary shows what it can.
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            incidents = "?";
        }

        return string.Create(CultureInfo.InvariantCulture, $"running; {_engine.RunningCount} run(s) active; {incidents} incident(s) open");
    }

    private void Notify(string assignments)
    {
        if (_notifier is not null && !_notifier.Send(assignments) && !_sendFailed)
        {
            _sendFailed = true;
            LogNotifyFailed(_logger);
        }
    }

    private void WriteFile(string? stall, string summary)
    {
        var path = Path.Combine(_dataDir, FileName);
        var temp = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteNumber("pid", Environment.ProcessId);
                writer.WriteString("node", _node);
                if (_engine.Incarnation is { } incarnation)
                {
                    writer.WriteNumber("incarnation", incarnation.Id);
                }

                writer.WriteString("written_at", Iso.Format(_time.GetUtcNow()));
                writer.WriteNumber("interval_ms", (long)Interval.TotalMilliseconds);
                writer.WriteBoolean("healthy", stall is null);
                if (stall is null)
                {
                    writer.WriteNull("stall");
                }
                else
                {
                    writer.WriteString("stall", stall);
                }

                writer.WriteString("status", summary);
                writer.WriteEndObject();
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (IOException e)
        {
            LogHealthFileFailed(_logger, path, e.Message);
        }
    }

    [LoggerMessage(210, LogLevel.Warning, "Could not notify systemd through NOTIFY_SOCKET; continuing without")]
    private static partial void LogNotifyFailed(ILogger logger);

    [LoggerMessage(211, LogLevel.Warning, "Could not write the health file {Path}: {Error}")]
    private static partial void LogHealthFileFailed(ILogger logger, string path, string error);
}
