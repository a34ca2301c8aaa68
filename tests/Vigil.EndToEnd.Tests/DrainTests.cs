namespace Vigil.EndToEnd.Tests;

/// <summary>SIGTERM through the real binary: the drain lets runs finish, interrupts what outlasts it, and records a clean stop.</summary>
public sealed class DrainTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    /// <summary>One job every 5 s running <paramref name="command"/> (a shell line), and a daemon whose first run of it is running.</summary>
    private async Task<(Daemon Daemon, RunRow Run)> StartWithRunningCommandAsync(string drainTimeout, string command)
    {
        _workspace.Write("vigil.yaml", $$"""
            data_dir: ./data
            node: e2e
            timezone: UTC
            drain_timeout: {{drainTimeout}}
            on_stop: drain
            jobs:
              work:
                every: 5s
                kill_grace: 1s
                run: { command: ["sh", "-c", "{{command}}"] }
            """);
        var daemon = Daemon.Start(_workspace.Config);
        var runs = await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.State == "running"), "a running run", Patience);
        return (daemon, runs.First(x => x.State == "running"));
    }

    private IncarnationRow Incarnation() => Assert.Single(_workspace.Ledger.Incarnations());

    private RunRow Row(RunRow run) => _workspace.Ledger.Runs().Single(r => r.Id == run.Id);

    [Fact]
    public async Task Sigterm_CommandEndsWithinTheDrain_IsRecordedSucceededAndTheStopIsClean()
    {
        var (daemon, running) = await StartWithRunningCommandAsync("30s", "sleep 3; echo finished >> effects.log");
        using (daemon)
        {
            daemon.Signal(Posix.SigTerm);

            Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
        }

        var run = Row(running);
        Assert.Equal("succeeded", run.State);
        Assert.True(run.Draining);
        Assert.True(run.FinishedAt - run.StartedAt >= TimeSpan.FromSeconds(3));
        Assert.Equal("finished", Assert.Single(_workspace.EffectLines())[0]);
        var incarnation = Incarnation();
        Assert.True(incarnation.CleanStop);
        Assert.DoesNotContain(_workspace.Ledger.Runs(), r => r.StartedAt > incarnation.DrainingAt);
    }

    [Fact]
    public async Task Sigterm_CommandOutlastsTheDrainTimeout_IsInterruptedDrainTimedOut()
    {
        var (daemon, running) = await StartWithRunningCommandAsync("1s", "sleep 30");
        using (daemon)
        {
            daemon.Signal(Posix.SigTerm);

            Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
        }

        var run = Row(running);
        var incarnation = Incarnation();
        Assert.Equal("interrupted", run.State);
        Assert.StartsWith("drain timed out", run.Reason, StringComparison.Ordinal);
        var after = run.FinishedAt - incarnation.DrainingAt;
        Assert.True(after >= TimeSpan.FromSeconds(1) && after <= TimeSpan.FromSeconds(3), $"recorded {after!.Value.TotalMilliseconds} ms after the drain began (drain_timeout 1s, kill_grace 1s)");
        Assert.True(incarnation.CleanStop);
    }

    [Fact]
    public async Task Sigterm_SecondSigtermDuringTheDrain_InterruptsTheRunAtOnce()
    {
        var (daemon, running) = await StartWithRunningCommandAsync("60s", "sleep 30");
        using (daemon)
        {
            daemon.Signal(Posix.SigTerm);
            await daemon.WaitForLogAsync("waiting up to 1m", Patience);

            // A repeat within 500 ms counts as the same stop; an operator's second signal comes later.
            await Task.Delay(700);
            daemon.Signal(Posix.SigTerm);

            Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
        }

        var run = Row(running);
        var incarnation = Incarnation();
        Assert.Equal("interrupted", run.State);
        Assert.StartsWith("interrupted by a second stop signal during the drain", run.Reason, StringComparison.Ordinal);
        Assert.True(run.FinishedAt - incarnation.DrainingAt < TimeSpan.FromSeconds(10), "the second signal did not end the drain");
        Assert.True(incarnation.CleanStop);
    }
}
