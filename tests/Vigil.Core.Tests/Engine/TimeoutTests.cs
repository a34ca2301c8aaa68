using System.Globalization;
using Vigil.Core.Tests.Supervision;
using Vigil.Jobs;
using Vigil.Ledger;

namespace Vigil.Core.Tests.Engine;

/// <summary>
/// G3, no silent wedge: every started run is terminal by started + timeout + kill_grace, whether or
/// not its action ever returns, and its session and concurrency slot are free again then.
/// </summary>
public sealed class TimeoutTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = EngineHarness.Start;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);
    private EngineHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await EngineHarness.CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static JobPolicies Limits(string? session = null) => new() { Timeout = Timeout, KillGrace = KillGrace, Session = session };

    [Fact]
    public async Task Timeout_CommandAndGrandchildIgnoringSigterm_TimedOutAtTimeoutPlusKillGraceNoProcessLeftNextSlotOnTime()
    {
        // The first run hangs: hang.sh ignores TERM and waits for a grandchild that ignores TERM too.
        // Later runs find the marker and exit at once.
        await File.WriteAllTextAsync(Path.Combine(_harness.Directory, "hang.sh"), """
            if [ -e hung-once ]; then exit 0; fi
            : > hung-once
            trap '' TERM
            sh -c 'trap "" TERM; echo $$ > grandchild.tmp; mv grandchild.tmp grandchild.pid; exec sleep 600' &
            echo $$ > child.tmp; mv child.tmp child.pid
            wait
            """);
        await _harness.AddJobAsync(TestJobs.Command("hang", "every 1m", ["sh", "./hang.sh"], _harness.Directory, Limits()));
        await _harness.StartAsync();
        var running = await _harness.WaitForStateAsync("hang", Start, 1, RunState.Running);
        var processes = new[] { await ReadPidAsync("child.pid"), await ReadPidAsync("grandchild.pid") }.Select(TestRuns.Stat).ToArray();

        await _harness.AdvanceToTimerAsync(Start + Timeout);
        await _harness.Clock.WaitForTimerAsync(Start + Timeout + KillGrace, EngineHarness.Patience);
        Assert.All(processes, p => Assert.True(TestRuns.IsRunning(p.Pid, p.StartTime), $"process {p.Pid} did not ignore SIGTERM"));
        _harness.Clock.AdvanceTo(Start + Timeout + KillGrace);
        var ended = await _harness.WaitForEndAsync("hang", Start);

        Assert.Equal(RunState.TimedOut, ended.State);
        Assert.Equal("timeout 30s exceeded", ended.Reason);
        Assert.Equal(running.StartedAt + Timeout, running.Deadline);
        Assert.Equal(running.StartedAt + Timeout + KillGrace, ended.FinishedAt);
        Assert.All(processes, p => Assert.False(TestRuns.IsRunning(p.Pid, p.StartTime), $"process {p.Pid} survived"));

        await _harness.AdvanceToTimerAsync(Start.AddMinutes(1));
        var next = await _harness.WaitForEndAsync("hang", Start.AddMinutes(1));
        Assert.Equal(RunState.Succeeded, next.State);
        Assert.Equal(Start.AddMinutes(1), next.StartedAt);
    }

    [Fact]
    public async Task Timeout_HandlerWhoseTaskNeverCompletes_TimedOutAtTimeoutPlusKillGraceAndReleasesSessionAndSlot()
    {
        // One concurrency slot and one session: "next" can only start once "stuck" lets go of both.
        var stuck = _harness.Gate("stuck", ignoresCancellation: true);
        var nextRuns = _harness.Ok("next");
        await _harness.AddJobAsync(TestJobs.Handler("stuck", "every 1h", Limits("main")));
        await _harness.AddJobAsync(TestJobs.Handler("next", "every 1h", Limits("main")) with { Anchor = Start.AddSeconds(10) });
        await _harness.StartAsync(o => o with { MaxConcurrentRuns = 1 });
        var hung = await stuck.NextAsync();
        await _harness.AdvanceToTimerAsync(Start.AddSeconds(10));
        await _harness.WaitForStateAsync("next", Start.AddSeconds(10), 1, RunState.Pending);

        await _harness.AdvanceToTimerAsync(Start + Timeout);
        await _harness.Clock.WaitForTimerAsync(Start + Timeout + KillGrace, EngineHarness.Patience);
        Assert.True(hung.CancellationToken.IsCancellationRequested);
        _harness.Clock.AdvanceTo(Start + Timeout + KillGrace);

        var ended = await _harness.WaitForEndAsync("stuck", Start);
        Assert.Equal(RunState.TimedOut, ended.State);
        Assert.Equal("timeout 30s exceeded", ended.Reason);
        Assert.Equal(Start + Timeout + KillGrace, ended.FinishedAt);
        var next = await _harness.WaitForEndAsync("next", Start.AddSeconds(10));
        Assert.Equal(RunState.Succeeded, next.State);
        Assert.Equal(Start + Timeout + KillGrace, next.StartedAt);
        Assert.False(hung.Outcome.IsCompleted);
        Assert.Equal(1, nextRuns());
    }

    [Fact]
    public async Task IdleTimeout_NoOutputForTheIdleTimeout_TimedOutEachOutputResetsTheIdleClock()
    {
        var quiet = _harness.Gate("quiet");
        var policies = new JobPolicies { Timeout = TimeSpan.FromHours(1), IdleTimeout = TimeSpan.FromSeconds(10), KillGrace = KillGrace };
        await _harness.AddJobAsync(TestJobs.Handler("quiet", "every 1d", policies));
        await _harness.StartAsync();
        var run = await quiet.NextAsync();
        run.Say("hello");

        // The supervisor arms its idle check for 10 s after the last output. Moving the clock before
        // it did would let it read the output of second 8 and arm for second 18 straight away.
        await _harness.Clock.WaitForTimerAsync(Start.AddSeconds(10), EngineHarness.Patience);
        _harness.Clock.AdvanceTo(Start.AddSeconds(8));
        run.Say("still here");
        await _harness.AdvanceToTimerAsync(Start.AddSeconds(10));
        await _harness.Clock.WaitForTimerAsync(Start.AddSeconds(18), EngineHarness.Patience);
        Assert.Equal(RunState.Running, (await _harness.Ledger.ListAttemptsAsync("quiet", Start, CancellationToken.None))[0].State);
        _harness.Clock.AdvanceTo(Start.AddSeconds(18));

        var ended = await _harness.WaitForEndAsync("quiet", Start);
        Assert.Equal(RunState.TimedOut, ended.State);
        Assert.Equal("no output for 10s (idle_timeout)", ended.Reason);
        Assert.Equal(Start.AddSeconds(18), ended.FinishedAt);
        Assert.True(run.CancellationToken.IsCancellationRequested);
    }

    private async Task<int> ReadPidAsync(string file)
    {
        var path = Path.Combine(_harness.Directory, file);
        await EngineHarness.WaitUntilAsync(() => Task.FromResult(File.Exists(path)), () => file);
        return int.Parse((await File.ReadAllTextAsync(path)).Trim(), CultureInfo.InvariantCulture);
    }
}
