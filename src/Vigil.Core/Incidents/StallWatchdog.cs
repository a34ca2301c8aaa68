using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Vigil.Incidents;

/// <summary>
/// A dedicated thread that looks at the loops' heartbeats and declares a loop stalled when it is
/// overdue by <see cref="IncidentOptions.StallAfter"/>: logs it, reports it (an incident), calls
/// <see cref="IncidentOptions.OnStall"/>; and reports the recovery when every loop is healthy again.
/// </summary>
/// <remarks>
/// Its own thread, not the thread pool: a pool starved by the very fault that stalls the loops must
/// not silence the watchdog. It reads the injected clock, and waits real time between looks.
/// </remarks>
internal sealed class StallWatchdog : IDisposable
{
    private readonly IReadOnlyList<LoopHeartbeat> _loops;
    private readonly IncidentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<string> _onStalled;
    private readonly Action<string> _recovered;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private readonly bool[] _stalled;
    private volatile string? _stall;

    public StallWatchdog(IReadOnlyList<LoopHeartbeat> loops, IncidentOptions options, TimeProvider time, ILogger logger, Action<string> stalled, Action<string> recovered)
    {
        _loops = loops;
        _options = options;
        _time = time;
        _logger = logger;
        _onStalled = stalled;
        _stalled = new bool[loops.Count];
        _recovered = recovered;
        _thread = new Thread(Run) { IsBackground = true, Name = "vigil-watchdog" };
    }

    /// <summary>The current stall, in one line, or null when every loop is healthy.</summary>
    public string? Stall => _stall;

    public void Start() => _thread.Start();

    /// <summary>Looks once (the thread calls this every <see cref="IncidentOptions.WatchdogInterval"/>; tests may call it directly).</summary>
    /// <remarks>
    /// Each loop that stalls is logged when it stalls, so a second loop stalling behind the first is
    /// not hidden; the stall (one incident, <see cref="IncidentOptions.OnStall"/>) begins with the
    /// first and ends when every loop is healthy again. <see cref="Stall"/> names the first stalled
    /// loop in the order given, the planner first.
    /// </remarks>
    public void Check()
    {
        var now = _time.GetUtcNow();
        string? stall = null;
        for (var i = 0; i < _loops.Count; i++)
        {
            var overdue = _loops[i].Overdue(now);
            var stalled = overdue >= _options.StallAfter;
            if (stalled)
            {
                var detail = Describe(_loops[i], overdue);
                stall ??= detail;
                if (!_stalled[i])
                {
                    IncidentLog.Stalled(_logger, detail);
                }
            }

            _stalled[i] = stalled;
        }

        var previous = _stall;
        _stall = stall;
        if (stall is not null && previous is null)
        {
            _onStalled(stall);
            _options.OnStall?.Invoke(stall);
        }
        else if (stall is null && previous is not null)
        {
            IncidentLog.StallEnded(_logger);
            _recovered(previous);
        }
    }

    private string Describe(LoopHeartbeat loop, TimeSpan overdue) => string.Create(
        CultureInfo.InvariantCulture,
        $"the {loop.Name} loop has made no progress for {Scheduling.Duration.Format(Round(overdue))} (stall_after: {Scheduling.Duration.Format(_options.StallAfter)})");

    public void Dispose()
    {
        _stop.Set();
        if (_thread.IsAlive && Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }

    private static TimeSpan Round(TimeSpan span) => TimeSpan.FromSeconds(Math.Floor(span.TotalSeconds));

    private void Run()
    {
        while (!_stop.Wait(_options.WatchdogInterval))
        {
            try
            {
                Check();
            }
#pragma warning disable CA1031 // The watchdog must outlive any one failed look.
            catch (Exception e)
#pragma warning restore CA1031
            {
                IncidentLog.MonitorFailed(_logger, "watchdog", e);
            }
        }
    }
}
