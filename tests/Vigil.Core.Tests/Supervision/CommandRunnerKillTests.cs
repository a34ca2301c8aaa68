using System.Globalization;
using Vigil.Jobs;
using Vigil.Supervision;

namespace Vigil.Core.Tests.Supervision;

/// <summary>The hang tests: commands that ignore SIGTERM, fork and escape their process group.</summary>
public sealed class CommandRunnerKillTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Kills the tree when the test ends, so a failing test leaves no sleeping process behind.</summary>
    private static AsyncDisposable KillOnExit(IRunningAction action) => new(action.Kill);

    [Fact]
    public async Task Kill_TreeThatIgnoresSigtermAndEscapesTheGroup_LeavesNoProcess()
    {
        // main.sh ─┬─ grandchild.sh (ignores TERM, then exec sleep)
        //          │     └─ setsid escaped.sh (ignores TERM, own session and group, then exec sleep)
        //          └─ wait (ignores TERM)
        // escaped.sh reports the three pids once everyone ignores TERM and it has left the group.
        await File.WriteAllTextAsync(_temp.File("main.sh"), """
            trap '' TERM
            sh ./grandchild.sh "$$" &
            wait
            """);
        await File.WriteAllTextAsync(_temp.File("grandchild.sh"), """
            trap '' TERM
            setsid sh ./escaped.sh "$1" "$$" &
            exec sleep 600
            """);
        await File.WriteAllTextAsync(_temp.File("escaped.sh"), """
            trap '' TERM
            echo "$1 $2 $$" > "$READY"
            exec sleep 600
            """);
        var ready = _temp.File("ready");
        TestRuns.MakeFifo(ready);
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment());
        var command = new CommandAction
        {
            Argv = ["sh", "./main.sh"],
            Cwd = _temp.Path,
            Env = new Dictionary<string, string> { ["READY"] = ready },
        };
        using var action = (RunningCommand)runner.Start(command, TestRuns.Context(_temp.Path));
        await using var cleanup = KillOnExit(action);

        var pids = (await TestRuns.ReadFifo(ready)).Split(' ', StringSplitOptions.TrimEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var processes = pids.Select(TestRuns.Stat).ToArray();
        Assert.Equal(action.ProcessId, pids[0]);
        Assert.Equal(action.ProcessId, processes[1].GroupId);
        Assert.Equal(pids[2], processes[2].SessionId);
        Assert.NotEqual(action.ProcessId, processes[2].GroupId);

        action.RequestStop();
        Assert.All(processes, p => Assert.True(TestRuns.IsRunning(p.Pid, p.StartTime), $"process {p.Pid} died on SIGTERM"));
        action.Kill();
        var result = await action.Finish();

        Assert.False(result.Success);
        Assert.Equal("killed by signal 9", result.Reason);
        Assert.All(processes, p => Assert.False(TestRuns.IsRunning(p.Pid, p.StartTime), $"process {p.Pid} survived"));
    }

    [Fact]
    public async Task Kill_AfterTheChildExited_StillKillsWhatItLeftInTheGroup()
    {
        var ready = _temp.File("ready");
        TestRuns.MakeFifo(ready);
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment(), outputDrain: TimeSpan.Zero);
        var command = new CommandAction
        {
            Argv = ["sh", "-c", """(trap '' TERM; exec sleep 600) >/dev/null 2>&1 & echo $! > "$1" """, "sh", ready],
        };
        using var action = runner.Start(command, TestRuns.Context(_temp.Path));
        await using var cleanup = KillOnExit(action);
        var leftover = TestRuns.Stat(int.Parse(await TestRuns.ReadFifo(ready), CultureInfo.InvariantCulture));
        var result = await action.Finish();
        Assert.True(result.Success, result.Reason);
        Assert.True(TestRuns.IsRunning(leftover.Pid, leftover.StartTime));

        action.Kill();

        Assert.False(TestRuns.IsRunning(leftover.Pid, leftover.StartTime));
    }

    [Fact]
    public async Task Kill_ChildThatForksInALoop_LeavesNoProcess()
    {
        var ready = _temp.File("ready");
        TestRuns.MakeFifo(ready);
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment());
        var command = new CommandAction
        {
            Argv = ["sh", "-c", """trap '' TERM; echo go > "$1"; while :; do sh -c 'trap "" TERM; exec sleep 600' & done""", "sh", ready],
        };
        using var action = (RunningCommand)runner.Start(command, TestRuns.Context(_temp.Path));
        await using var cleanup = KillOnExit(action);
        await TestRuns.ReadFifo(ready);

        action.Kill();
        var result = await action.Finish();

        Assert.Equal("killed by signal 9", result.Reason);
        Assert.DoesNotContain(ProcStat.ReadAll(), p => p.SessionId == action.ProcessId && !p.IsGone);
    }

    [Fact]
    public async Task AdoptedTree_TerminateThenKillAll_ReachEveryMemberByPidAndStartTime()
    {
        // The run supervisor's view: a tree this process did not start (ProcessTree.Adopt), signalled
        // member by member. TERM ends the shell waiting on its sleep; a TERM-proof grandchild needs the kill.
        await File.WriteAllTextAsync(_temp.File("main.sh"), """
            sh -c 'trap "" TERM; echo "$$" > "$READY"; exec sleep 600' &
            sleep 600
            echo end
            """);
        var ready = _temp.File("ready");
        TestRuns.MakeFifo(ready);
        var runner = new CommandRunner(TimeProvider.System, TestRuns.Environment());
        var command = new CommandAction { Argv = ["sh", "./main.sh"], Cwd = _temp.Path, Env = new Dictionary<string, string> { ["READY"] = ready } };
        using var action = (RunningCommand)runner.Start(command, TestRuns.Context(_temp.Path));
        await using var cleanup = KillOnExit(action);
        var grandchild = TestRuns.Stat(int.Parse((await TestRuns.ReadFifo(ready)).Trim(), CultureInfo.InvariantCulture));
        var adopted = ProcessTree.Adopt(action.ProcessId, action.ProcessStartTime);

        adopted.Terminate();
        var result = await action.Completion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("killed by signal 15", result.Reason);
        Assert.True(TestRuns.IsRunning(grandchild.Pid, grandchild.StartTime), "the TERM-proof grandchild died on SIGTERM");
        Assert.True(adopted.KillAll());
        Assert.False(TestRuns.IsRunning(grandchild.Pid, grandchild.StartTime));
    }
}
