using Vigil.Scheduling;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// G3 through the real binary: a command that ignores SIGTERM, and leaves a grandchild that ignores
/// it too, is recorded timed_out by timeout + kill_grace (plus one tick), nothing of it is left
/// running, and the next slot starts on time.
/// </summary>
public sealed class HangTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly Workspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task Run_CommandAndGrandchildIgnoringSigterm_TimedOutWithinTimeoutPlusKillGraceNothingLeftNextSlotOnTime()
    {
        _workspace.Write("hang.sh", """
            trap '' TERM
            sh -c 'trap "" TERM; echo "$VIGIL_SLOT grandchild $$" >> effects.log; exec sleep 600' &
            echo "$VIGIL_SLOT child $$" >> effects.log
            wait
            """);
        _workspace.Write("vigil.yaml", """
            data_dir: ./data
            node: e2e
            timezone: UTC
            drain_timeout: 1s
            jobs:
              hang:
                every: 4s
                timeout: 1s
                kill_grace: 1s
                on_interrupt: record
                run: { command: ["sh", "./hang.sh"] }
            """);
        using var daemon = Daemon.Start(_workspace.Config);
        try
        {
            var runs = await _workspace.Ledger.WaitForRunsAsync(r => r.Count(x => x.State == "timed_out") >= 2, "two runs timed out", Patience);

            var timedOut = runs.Where(r => r.State == "timed_out").Take(2).ToList();
            foreach (var run in timedOut)
            {
                Assert.Equal("timeout 1s exceeded", run.Reason);
                var took = run.FinishedAt!.Value - run.StartedAt!.Value;
                Assert.True(took >= TimeSpan.FromSeconds(2), $"recorded after {took.TotalMilliseconds} ms, before timeout + kill_grace");
                Assert.True(took <= TimeSpan.FromSeconds(2) + Tick, $"recorded after {took.TotalMilliseconds} ms, later than timeout + kill_grace + one tick");
                Assert.True(run.StartedAt - run.Slot <= Tick, $"slot {Iso.Format(run.Slot)} started {(run.StartedAt - run.Slot)!.Value.TotalMilliseconds} ms late");

                var pids = PidsOf(run.Slot);
                Assert.Equal(2, pids.Count);
                Assert.All(pids, pid => Assert.False(Posix.IsRunningIn(pid, _workspace.Directory), $"process {pid} of slot {Iso.Format(run.Slot)} survived"));
            }

            Assert.Equal(TimeSpan.FromSeconds(4), timedOut[1].Slot - timedOut[0].Slot);
            daemon.Signal(Posix.SigTerm);
            Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
        }
        finally
        {
            foreach (var pid in _workspace.LoggedPids(field: 2))
            {
                if (Posix.IsRunningIn(pid, _workspace.Directory))
                {
                    Posix.Signal(pid, Posix.SigKill);
                }
            }
        }
    }

    private List<int> PidsOf(DateTimeOffset slot) =>
        [.. _workspace.EffectLines().Where(l => l[0] == Iso.Format(slot)).Select(l => int.Parse(l[2], System.Globalization.CultureInfo.InvariantCulture))];
}
