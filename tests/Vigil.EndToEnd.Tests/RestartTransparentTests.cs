using System.Globalization;
using System.Text.Json;

namespace Vigil.EndToEnd.Tests;

/// <summary>
/// Restart-transparent runs through the real binary: a command run outlives its daemon under its
/// run supervisor (the shim) and the next daemon adopts it, or finalizes it with its real outcome;
/// only a run whose shim died without an outcome is interrupted, and only after its command is killed.
/// </summary>
/// <remarks>
/// The command counts its seconds in a progress file; "kill the daemon at second 3" waits for that
/// file to say 3 rather than for a clock. Every command logs its pid and attempt to <c>pids.log</c>:
/// the proof that no second process ever ran.
/// </remarks>
public sealed class RestartTransparentTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly Workspace _workspace = new();

    public RestartTransparentTests()
    {
        // Ten ticks of a second, then a result file and a final line; attempt 2 (a retry) is short.
        // SIGPIPE ignored: a command whose shim died keeps running (its output pipe has no reader)
        // until the next daemon finds and kills it, rather than dying at its next line of output.
        _workspace.Write("work.sh", """
            trap '' PIPE
            echo "$$ $VIGIL_ATTEMPT" >> pids.log
            total=${TICKS:-10}
            [ "$VIGIL_ATTEMPT" = 1 ] || total=1
            i=0
            while [ $i -lt $total ]; do
              sleep 1
              i=$((i + 1))
              echo "tick $i"
              echo $i > progress.$VIGIL_ATTEMPT
            done
            echo '{"status":"ok","summary":"all ticks done"}' > "$VIGIL_RESULT_FILE"
            echo "final line"
            exit ${EXIT:-0}
            """);
    }

    public void Dispose()
    {
        // Shims and commands outlive daemons by design: whatever a failing test left is killed here.
        foreach (var pid in Pids().Select(p => p.Pid).Concat(ShimPids()))
        {
            if (Posix.IsRunningIn(pid, _workspace.Directory))
            {
                Posix.Signal(pid, Posix.SigKill);
            }
        }

        _workspace.Dispose();
    }

    [Fact]
    public async Task Sigkill_DaemonKilledAtSecond3RestartedAtSecond5_RunIsAdoptedAndSucceedsOnceWithItsFullOutput()
    {
        WriteConfig();
        using (var first = await StartWithRunAsync())
        {
            await ProgressAsync(3);
            first.Signal(Posix.SigKill);
            await first.WaitForExitAsync(Patience);
        }

        Assert.Equal("running", Single().State);
        await ProgressAsync(5);
        using var second = Daemon.Start(_workspace.Config);
        await second.WaitForLogAsync("1 adopted", Patience);

        var run = await FinishedAsync();
        AssertSucceededOnceWithFullOutput(run);
        Assert.Equal(Incarnations()[1].Id, run.AdoptedBy);
        await StopAsync(second);
    }

    [Fact]
    public async Task Sigterm_OnStopDetach_DaemonStopsAtOnceAndTheNextStartAdoptsTheRun()
    {
        WriteConfig(onStop: "detach");
        using (var first = await StartWithRunAsync())
        {
            await ProgressAsync(3);
            first.Signal(Posix.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync(Patience));
            Assert.Contains("Detached 1 command run(s)", first.Log, StringComparison.Ordinal);
        }

        // The daemon stopped cleanly while its command still runs, and says so in the ledger.
        Assert.True(Progress() < 10, "the daemon waited for the command");
        Assert.Equal("running", Single().State);
        Assert.True(Incarnations()[0].CleanStop);

        await ProgressAsync(5);
        using var second = Daemon.Start(_workspace.Config);
        var run = await FinishedAsync();
        AssertSucceededOnceWithFullOutput(run);
        Assert.Equal(Incarnations()[1].Id, run.AdoptedBy);
        await StopAsync(second);
    }

    [Fact]
    public async Task Sigterm_OnStopDrain_DaemonWaitsForTheCommandAndRecordsItsEnd()
    {
        WriteConfig(onStop: "drain");
        using (var daemon = await StartWithRunAsync())
        {
            await ProgressAsync(3);
            daemon.Signal(Posix.SigTerm);
            Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
        }

        var run = Single();
        AssertSucceededOnceWithFullOutput(run);
        Assert.Null(run.AdoptedBy);
        Assert.True(run.Draining);
        Assert.True(run.FinishedAt - run.StartedAt >= TimeSpan.FromSeconds(10));
        var incarnation = Assert.Single(Incarnations());
        Assert.True(incarnation.CleanStop);
    }

    /// <remarks>
    /// Without <paramref name="commandRecorded"/>, <c>state.json</c> is deleted after the kill: the
    /// files are then as a shim leaves them when it dies between starting the command and recording
    /// it, and the command is found by the run's result file in its environment.
    /// </remarks>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ShimKilledWhileNoDaemonRuns_RunIsInterruptedAfterItsCommandIsKilledAndRetried(bool commandRecorded)
    {
        WriteConfig();
        using (var first = await StartWithRunAsync())
        {
            await ProgressAsync(2);
            first.Signal(Posix.SigTerm);
            Assert.Equal(0, await first.WaitForExitAsync(Patience));
        }

        var shim = Assert.Single(ShimPids());
        Posix.Signal(shim, Posix.SigKill);
        await Until.TrueAsync(() => !Posix.IsRunningIn(shim, _workspace.Directory), "the shim to die", Patience);
        var orphan = Assert.Single(Pids()).Pid;
        Assert.True(Posix.IsRunningIn(orphan, _workspace.Directory), "the command died with its shim; the test proves nothing");
        if (!commandRecorded)
        {
            var state = Assert.Single(Directory.GetFiles(Path.Combine(_workspace.Directory, "data", "runs"), "state.json", SearchOption.AllDirectories));
            File.Delete(state);
        }

        using var second = Daemon.Start(_workspace.Config);
        var runs = await _workspace.Ledger.WaitForRunsAsync(r => r.Any(x => x.Attempt == 2 && x.FinishedAt is not null), "the retry to finish", Patience);

        var interrupted = runs.Single(r => r.Attempt == 1);
        Assert.Equal("interrupted", interrupted.State);
        Assert.StartsWith("run supervisor died before the command ended", interrupted.Reason, StringComparison.Ordinal);
        Assert.False(Posix.IsRunningIn(orphan, _workspace.Directory), "the orphaned command still runs after its run was recorded interrupted");
        var retry = runs.Single(r => r.Attempt == 2);
        Assert.Equal("succeeded", retry.State);
        Assert.Equal("retry", retry.Trigger);
        Assert.True(retry.Resumed);
        Assert.True(retry.StartedAt >= interrupted.FinishedAt);
        Assert.Equal([1, 2], Pids().Select(p => p.Attempt).Order());
        await StopAsync(second);
    }

    [Fact]
    public async Task CommandFinishedWhileNoDaemonRan_RunIsFinalizedWithItsRealOutcome()
    {
        WriteConfig(environment: "{ TICKS: \"2\", EXIT: \"3\" }");
        using (var first = await StartWithRunAsync())
        {
            await ProgressAsync(1);
            first.Signal(Posix.SigKill);
            await first.WaitForExitAsync(Patience);
        }

        var shim = Assert.Single(ShimPids());
        await Until.TrueAsync(() => !Posix.IsRunningIn(shim, _workspace.Directory), "the shim to record the exit and end", Patience);
        Assert.Equal("running", Single().State);

        using var second = Daemon.Start(_workspace.Config);
        var run = await FinishedAsync();
        Assert.Equal("failed", run.State);
        Assert.Equal("exit code 3", run.Reason);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal(1, run.Attempt);
        Assert.Equal(Incarnations()[1].Id, run.AdoptedBy);
        Assert.Equal("all ticks done", run.Summary);
        Assert.Equal("tick 1\ntick 2\nfinal line\n", _workspace.Ledger.Output(run.Id));
        Assert.Single(Pids());
        await StopAsync(second);
    }

    [Fact]
    public async Task AdoptedRun_TimesOutAtItsOriginalDeadlineAndItsWholeTreeIsKilled()
    {
        _workspace.Write("hang.sh", """
            trap '' TERM
            sh -c 'trap "" TERM; echo "$$ 1" >> pids.log; exec sleep 600' &
            echo "$$ 1" >> pids.log
            i=0
            while true; do sleep 1; i=$((i + 1)); echo $i > progress.1; done
            """);
        WriteConfig(script: "hang.sh", timeout: "6s");
        using (var first = await StartWithRunAsync())
        {
            await ProgressAsync(1);
            first.Signal(Posix.SigKill);
            await first.WaitForExitAsync(Patience);
        }

        using var second = Daemon.Start(_workspace.Config);
        await second.WaitForLogAsync("1 adopted", Patience);
        var run = await FinishedAsync();

        Assert.Equal("timed_out", run.State);
        Assert.Equal("timeout 6s exceeded", run.Reason);
        Assert.Equal(Incarnations()[1].Id, run.AdoptedBy);
        var took = run.FinishedAt!.Value - run.StartedAt!.Value;
        Assert.True(took >= TimeSpan.FromSeconds(7), $"recorded {took.TotalMilliseconds} ms after the start, before the original timeout + kill_grace");
        Assert.True(took <= TimeSpan.FromSeconds(9), $"recorded {took.TotalMilliseconds} ms after the start: the timeout did not count from the original start");
        var pids = Pids().Select(p => p.Pid).ToList();
        Assert.Equal(2, pids.Count);
        await Until.TrueAsync(() => pids.All(p => !Posix.IsRunningIn(p, _workspace.Directory)), "the command's tree to be gone", TimeSpan.FromSeconds(10));
        await StopAsync(second);
    }

    private void WriteConfig(string? onStop = null, string script = "work.sh", string timeout = "1m", string environment = "{}")
    {
        _workspace.Write("vigil.yaml", $$"""
            data_dir: ./data
            node: e2e
            timezone: UTC
            drain_timeout: 60s
            {{(onStop is null ? string.Empty : $"on_stop: {onStop}")}}
            defaults:
              retry: { backoff: 100ms }
            jobs:
              work:
                at: "2099-01-01T00:00:00Z"
                timeout: {{timeout}}
                kill_grace: 1s
                run: { command: ["sh", "./{{script}}"], env: {{environment}} }
            """);
    }

    /// <summary>Starts the first daemon and one manual run of the job (its schedule never fires during a test).</summary>
    private async Task<Daemon> StartWithRunAsync()
    {
        var daemon = Daemon.Start(_workspace.Config);
        try
        {
            await daemon.WaitForLogAsync("Recovery done", Patience);
            var (exit, output) = await Daemon.RunCommandAsync(_workspace.Config, Patience, "jobs", "trigger", "work");
            Assert.True(exit == 0, output);
            return daemon;
        }
        catch
        {
            daemon.Dispose();
            throw;
        }
    }

    private static async Task StopAsync(Daemon daemon)
    {
        daemon.Signal(Posix.SigTerm);
        Assert.Equal(0, await daemon.WaitForExitAsync(Patience));
    }

    private void AssertSucceededOnceWithFullOutput(RunRow run)
    {
        Assert.Equal("succeeded", run.State);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, run.Attempt);
        Assert.Equal("all ticks done", run.Summary);
        var expected = string.Concat(Enumerable.Range(1, 10).Select(i => $"tick {i}\n")) + "final line\n";
        Assert.Equal(expected, _workspace.Ledger.Output(run.Id));
        Assert.Single(_workspace.Ledger.Runs());
        Assert.Single(Pids());
    }

    private async Task<RunRow> FinishedAsync() =>
        (await _workspace.Ledger.WaitForRunsAsync(r => r.Count == 1 && r[0].FinishedAt is not null, "the run to finish", Patience))[0];

    private RunRow Single() => Assert.Single(_workspace.Ledger.Runs());

    private IReadOnlyList<IncarnationRow> Incarnations() => _workspace.Ledger.Incarnations();

    private int Progress()
    {
        try
        {
            return int.Parse(File.ReadAllText(_workspace.File("progress.1")).Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return 0;
        }
    }

    private Task ProgressAsync(int second) => Until.TrueAsync(() => Progress() >= second, $"the command's second {second}", Patience);

    private List<(int Pid, int Attempt)> Pids()
    {
        var path = _workspace.File("pids.log");
        return !File.Exists(path)
            ? []
            : [.. File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(f => (int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture)))];
    }

    private List<int> ShimPids()
    {
        var runs = Path.Combine(_workspace.Directory, "data", "runs");
        if (!Directory.Exists(runs))
        {
            return [];
        }

        var pids = new List<int>();
        foreach (var state in Directory.GetFiles(runs, "state.json", SearchOption.AllDirectories))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(state));
            pids.Add(document.RootElement.GetProperty("shim_pid").GetInt32());
        }

        return pids;
    }
}
