using System.Diagnostics;
using System.Globalization;
using Vigil.Supervision;
using Vigil.Supervision.Shim;

namespace Vigil.Core.Tests.Supervision.Shim;

/// <summary>
/// A shim that died between starting its command and recording it in <c>state.json</c>: the command
/// is found by the run's result file in its environment, with real processes.
/// </summary>
public sealed class OrphanKillTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        _temp.Dispose();
    }

    private ShimFiles Files()
    {
        var files = ShimFiles.For(_temp.Path, 7);
        Directory.CreateDirectory(files.Directory);
        return files;
    }

    private Process Start(string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("sh", ["-c", script]) { UseShellExecute = false, WorkingDirectory = _temp.Path };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        _started.Add(process);
        return process;
    }

    [Fact]
    public async Task KillOrphans_NothingRecorded_KillsTheCommandAndItsEscapedChildByTheirEnvironmentAndNothingElse()
    {
        var files = Files();
        var ready = _temp.File("ready");
        TestRuns.MakeFifo(ready);

        // The command, and a child that left its session; then two processes that must survive: the
        // same variable with another run's path, and the same text under another variable's name.
        var command = Start("setsid sleep 300 & echo $! > ./ready; exec sleep 300", ("VIGIL_RESULT_FILE", files.ResultFile));
        var escaped = int.Parse((await TestRuns.ReadFifo(ready)).Trim(), CultureInfo.InvariantCulture);
        var otherRun = Start("exec sleep 300", ("VIGIL_RESULT_FILE", files.ResultFile + ".8"));
        var otherName = Start("exec sleep 300", ("NOT_VIGIL_RESULT_FILE", files.ResultFile));
        Assert.True(TestRuns.IsRunning(escaped, TestRuns.Stat(escaped).StartTime));

        Assert.Equal((true, true), RunningShim.KillOrphans(files));

        Assert.True(command.WaitForExit(TestRuns.Patience));
        Assert.False(ProcStat.Read(escaped) is { IsGone: false }, "the command's escaped child still runs");
        Assert.False(otherRun.HasExited, "a process of another run was killed");
        Assert.False(otherName.HasExited, "a process with the path under another variable was killed");
    }

    [Fact]
    public void KillOrphans_SpecNotTakenAndNothingRunning_SaysTheCommandNeverStarted()
    {
        var files = Files();
        File.WriteAllText(files.Spec, "{}");
        Assert.Equal((false, false), RunningShim.KillOrphans(files));
    }

    [Fact]
    public void KillOrphans_SpecTakenButNothingRecordedOrRunning_SaysTheShimGotToTheStart()
    {
        // The shim deletes its spec just before it starts the command: it died there, or the command
        // died with it (a write to the shim's closed pipe).
        Assert.Equal((true, false), RunningShim.KillOrphans(Files()));
    }
}
