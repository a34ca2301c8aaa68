using Vigil.Core.Tests.Supervision;
using Vigil.Incidents;

namespace Vigil.Core.Tests.Incidents;

/// <summary>The watchdog's verdicts, one look at a time on a manual clock (its thread is never started).</summary>
public sealed class StallWatchdogTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly LoopHeartbeat _planner = new("planner");
    private readonly LoopHeartbeat _monitor = new("incident monitor");
    private readonly ListLogger _log = new();
    private readonly List<string> _stalls = [];
    private readonly List<string> _recoveries = [];
    private readonly List<string> _onStall = [];

    private StallWatchdog Create() => new(
        [_planner, _monitor],
        new IncidentOptions { StallAfter = TimeSpan.FromSeconds(2), OnStall = _onStall.Add },
        _time,
        _log,
        _stalls.Add,
        _recoveries.Add);

    private int Count(string text) => _log.Lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    [Fact]
    public void Check_SecondLoopStallsBehindTheFirst_EachLoggedOnceOneStallReportedPlannerNamed()
    {
        using var watchdog = Create();
        _planner.Sleeping(_time.GetUtcNow() + TimeSpan.FromSeconds(1));
        _monitor.Busy(_time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(2));
        watchdog.Check();
        Assert.StartsWith("the incident monitor loop has made no progress for 2s", watchdog.Stall, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(1));
        watchdog.Check();
        watchdog.Check();

        Assert.StartsWith("the planner loop has made no progress for 2s", watchdog.Stall, StringComparison.Ordinal);
        Assert.Equal(1, Count("Scheduler stalled: the incident monitor loop has made no progress for 2s"));
        Assert.Equal(1, Count("Scheduler stalled: the planner loop has made no progress for 2s"));
        var only = Assert.Single(_stalls);
        Assert.StartsWith("the incident monitor loop", only, StringComparison.Ordinal);
        Assert.Equal(_stalls, _onStall);
        Assert.Empty(_recoveries);
    }

    [Fact]
    public void Check_EveryLoopHealthyAgain_RecoveryReportedOnceAndANewStallIsLoggedAgain()
    {
        using var watchdog = Create();
        _planner.Busy(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(3));
        watchdog.Check();
        Assert.Single(_stalls);

        _planner.Sleeping(_time.GetUtcNow() + TimeSpan.FromSeconds(10));
        watchdog.Check();
        watchdog.Check();
        Assert.Null(watchdog.Stall);
        Assert.Single(_recoveries);
        Assert.Equal(1, Count("Scheduler loops healthy again"));

        _time.Advance(TimeSpan.FromSeconds(12));
        watchdog.Check();
        Assert.Equal(2, _stalls.Count);
        Assert.Equal(2, Count("Scheduler stalled: the planner loop"));
    }
}
