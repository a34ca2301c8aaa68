using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vigil.Api.Hosting;
using Vigil.Configuration;
using Vigil.Engine;
using Vigil.Incidents;

namespace Vigil.Cli.Daemon;

/// <summary>
/// <c>vigil run</c>: opens the ledger, applies the config's jobs, runs the engine, and turns signals
/// and file changes into drains and reloads.
/// </summary>
/// <remarks>
/// SIGTERM, SIGINT or <c>vigil drain</c> start a drain; a second signal interrupts it (the engine
/// records what still runs). SIGHUP or a change of the config file reloads the config: a config with
/// errors is reported and the running one kept. A CLI write to the ledger touches the wake file, and
/// the engine re-reads jobs and pending runs.
/// </remarks>
internal sealed partial class DaemonHost : IDisposable
{
    private static readonly TimeSpan ReloadDebounce = TimeSpan.FromMilliseconds(300);

    /// <summary>A second stop signal interrupts the drain only if it comes at least this long after the first.</summary>
    private static readonly TimeSpan SecondSignalAfter = TimeSpan.FromMilliseconds(500);

    private readonly VigilConfig _initial;
    private readonly CliContext _context;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<string> _reloads = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<IDisposable> _disposables = [];
    private VigilEngine? _engine;
    private DaemonLink? _link;
    private DaemonHealth? _health;
    private int _stopSignals;
    private long _firstStopTicks;

    private readonly StderrLoggerProvider _logs;
    private HttpClient? _alertClient;

    private DaemonHost(VigilConfig config, CliContext context, StderrLoggerProvider logs)
    {
        _initial = config;
        _context = context;
        _logs = logs;
        _logger = logs.CreateLogger("vigil");
    }

    /// <summary>Runs the daemon until it has drained; returns the exit code.</summary>
    public static async Task<int> RunAsync(VigilConfig config, CliContext context)
    {
        using var logs = new StderrLoggerProvider(context.Error, context.Time, LogLevel.Information);
        using var host = new DaemonHost(config, context, logs);
        return await host.RunAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _stop.Dispose();
    }

    private async Task<int> RunAsync()
    {
        var time = _context.Time;
        var apiOptions = ApiSettings.Resolve(_initial, _context);
        using var daemonLock = LocalLedger.LockDataDirectory(_initial);
        var store = await LocalLedger.OpenAsync(_initial, time, CancellationToken.None).ConfigureAwait(false);
        await using (store.ConfigureAwait(false))
        {
            await JobSync.ApplyAsync(store, _initial, time.GetUtcNow(), _logger, CancellationToken.None).ConfigureAwait(false);
            using var alertClient = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            _alertClient = alertClient;
            _engine = VigilEngine.Create(
                store,
                new EngineOptions
                {
                    Node = _initial.Node,
                    RunsDirectory = Path.Combine(_initial.DataDir, "runs"),
                    MaxConcurrentRuns = _initial.MaxConcurrentRuns,
                    DrainTimeout = _initial.DrainTimeout,
                    ShimCommand = Commands.ShimCommand.LaunchCommand(),
                    Incidents = new IncidentOptions
                    {
                        StallAfter = _initial.StallAfter,
                        RemindEvery = _initial.AlertReminder,
                        OnStall = _initial.OnStall == StallAction.Exit ? ExitOnStall : null,
                    },
                    AlertSinks = AlertSinks.From(_initial, alertClient),
                },
                time,
                handlers: null,
                _logger);
            using var health = new DaemonHealth(_engine, store, _initial.DataDir, _initial.Node, time, _logger, Environment.GetEnvironmentVariable);
            _health = health;
            using var healthCancel = new CancellationTokenSource();
            var healthLoop = health.RunAsync(healthCancel.Token);

            _disposables.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStopSignal));
            _disposables.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStopSignal));
            SignalDisposition.ResetSighupIfIgnored();
            _disposables.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                _reloads.Writer.TryWrite("SIGHUP");
            }));
            WatchFiles();

            _link = new DaemonLink(store, _engine, time, _initial, RequestDrain);
            var api = await StartApiAsync(apiOptions).ConfigureAwait(false);
            await using (api.ConfigureAwait(false))
            {
                var reloading = ReloadLoopAsync(store);
                LogStarted(_logger, _initial.ConfigPath, _initial.SqlitePath);
                StartupGc.UntilReady(_engine);
                await _engine.RunAsync(_stop.Token).ConfigureAwait(false);
                await healthCancel.CancelAsync().ConfigureAwait(false);
                await healthLoop.ConfigureAwait(false);
                _reloads.Writer.TryComplete();
                await reloading.ConfigureAwait(false);
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>Starts the HTTP surface; an address that cannot be bound is one clear line, not a trace.</summary>
    private async Task<ApiHost> StartApiAsync(ApiOptions options)
    {
        try
        {
            var api = await ApiHost.StartAsync(options, _link!, _logs, CancellationToken.None).ConfigureAwait(false);
            LogApiListening(_logger, api.Address.ToString().TrimEnd('/'), options.Token is null ? "no token (loopback only)" : "bearer token required");
            return api;
        }
        catch (IOException e)
        {
            throw new CommandFailedException(e.Message);
        }
    }

    /// <summary>A drain asked through the API: a first request drains, a repeated one is not a second signal.</summary>
    private bool RequestDrain()
    {
        if (Volatile.Read(ref _stopSignals) > 0)
        {
            return false;
        }

        RequestStop("API drain");
        return true;
    }

    /// <summary>
    /// <c>on_stall: exit</c>: leave at once with <see cref="ExitCodes.Stalled"/>, without a drain (a
    /// stalled loop cannot drain); the runs left running are recovered by the next incarnation,
    /// which the service manager starts (<c>Restart=on-failure</c>).
    /// </summary>
    private void ExitOnStall(string stall)
    {
        LogExitingOnStall(_logger, stall);
        _health?.Exiting(stall);
        Environment.Exit(ExitCodes.Stalled);
    }

    private void OnStopSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        RequestStop(context.Signal.ToString());
    }

    private void RequestStop(string why)
    {
        var now = _context.Time.GetUtcNow().UtcTicks;
        if (Interlocked.Increment(ref _stopSignals) == 1)
        {
            Interlocked.Exchange(ref _firstStopTicks, now);
            LogStopRequested(_logger, why);
            _health?.Stopping();
            _stop.Cancel();
        }
        else if (now - Interlocked.Read(ref _firstStopTicks) < SecondSignalAfter.Ticks)
        {
            // One stop delivered twice (to the process and to its group, as some supervisors do)
            // is not an operator asking for an immediate stop.
            LogDuplicateStop(_logger, why);
        }
        else
        {
            LogSecondStop(_logger, why);
            _engine?.Interrupt();
        }
    }

    private void WatchFiles()
    {
        var configPath = Path.GetFullPath(_initial.ConfigPath);
        var configDirectory = Path.GetDirectoryName(configPath)!;
        var configWatcher = new FileSystemWatcher(configDirectory, Path.GetFileName(configPath))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
        };
        configWatcher.Changed += (_, _) => _reloads.Writer.TryWrite("config file changed");
        configWatcher.Created += (_, _) => _reloads.Writer.TryWrite("config file changed");
        configWatcher.Renamed += (_, _) => _reloads.Writer.TryWrite("config file changed");
        configWatcher.EnableRaisingEvents = true;
        _disposables.Add(configWatcher);

        var drainRequest = Path.Combine(_initial.DataDir, LocalLedger.DrainFile);
        File.Delete(drainRequest);
        var dataWatcher = new FileSystemWatcher(_initial.DataDir)
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName,
        };
        void OnDataFile(object sender, FileSystemEventArgs e)
        {
            if (e.Name == LocalLedger.WakeFile)
            {
                _engine?.ReloadJobs();
            }
            else if (e.Name == LocalLedger.DrainFile && File.Exists(drainRequest))
            {
                File.Delete(drainRequest);
                RequestStop("vigil drain");
            }
        }

        dataWatcher.Changed += OnDataFile;
        dataWatcher.Created += OnDataFile;
        dataWatcher.EnableRaisingEvents = true;
        _disposables.Add(dataWatcher);
    }

    /// <summary>Applies reload requests one at a time; a burst of file events becomes one reload.</summary>
    private async Task ReloadLoopAsync(Vigil.Ledger.IRunStore store)
    {
        var reader = _reloads.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            await Task.Delay(ReloadDebounce, _context.Time).ConfigureAwait(false);
            // Every reason coalesced into this reload, the signal first: "SIGHUP and config file changed".
            var reasons = new List<string>();
            while (reader.TryRead(out var reason))
            {
                if (!reasons.Contains(reason))
                {
                    reasons.Add(reason);
                }
            }

            var why = string.Join(" and ", reasons.OrderBy(r => r == "SIGHUP" ? 0 : 1));

            var result = ConfigLoader.Load(_initial.ConfigPath);
            if (!result.Succeeded)
            {
                foreach (var error in result.Errors)
                {
                    LogReloadFailed(_logger, why, error.ToString());
                }

                continue;
            }

            try
            {
                await JobSync.ApplyAsync(store, result.Config!, _context.Time.GetUtcNow(), _logger, CancellationToken.None).ConfigureAwait(false);
                _link?.Reloaded(result.Config! with { Server = _initial.Server });
                if (_alertClient is not null)
                {
                    _engine?.ReplaceAlertSinks(AlertSinks.From(result.Config!, _alertClient));
                }

                LogReloaded(_logger, why);
                _engine?.ReloadJobs();
            }
#pragma warning disable CA1031 // A failed reload is reported; the daemon keeps running its current jobs.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogReloadFailed(_logger, why, e.Message);
            }
        }
    }

    [LoggerMessage(207, LogLevel.Critical, "on_stall: exit: exiting with code 3 ({Stall})")]
    private static partial void LogExitingOnStall(ILogger logger, string stall);

    [LoggerMessage(201, LogLevel.Information, "Vigil running with {Config}; ledger {Ledger}")]
    private static partial void LogStarted(ILogger logger, string config, string ledger);

    [LoggerMessage(202, LogLevel.Information, "{Why}: draining")]
    private static partial void LogStopRequested(ILogger logger, string why);

    [LoggerMessage(203, LogLevel.Warning, "{Why} again: interrupting the drain")]
    private static partial void LogSecondStop(ILogger logger, string why);

    [LoggerMessage(206, LogLevel.Information, "{Why} again within 500 ms: taken as the same stop request")]
    private static partial void LogDuplicateStop(ILogger logger, string why);

    [LoggerMessage(204, LogLevel.Error, "Config not reloaded ({Why}): {Error}")]
    private static partial void LogReloadFailed(ILogger logger, string why, string error);

    [LoggerMessage(207, LogLevel.Information, "API listening on {Address} ({Access})")]
    private static partial void LogApiListening(ILogger logger, string address, string access);

    [LoggerMessage(205, LogLevel.Information, "Config reloaded ({Why})")]
    private static partial void LogReloaded(ILogger logger, string why);
}
