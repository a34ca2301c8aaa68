using System.Runtime.InteropServices;

namespace Vigil.Supervision.Shim;

/// <summary>
/// The run supervisor (the shim): what <c>vigil shim DIR</c> does. It starts the command the daemon
/// prepared, owns it as its parent, and records durably in the run's directory who runs it, its
/// output and finally its outcome. It enforces nothing: deadlines, stops and kills stay the daemon's.
/// </summary>
/// <remarks>
/// <para>The shim leads its own session (the daemon started it with <c>setsid</c>), so a signal to
/// the daemon or to the daemon's process group never reaches it: the daemon may die or restart and
/// the command keeps running; the next daemon adopts the run, or finalizes it from <c>exit.json</c>.</para>
/// <para>It holds the run's lock (inherited as descriptor 3) for as long as it lives. SIGTERM and
/// SIGINT to the shim are passed on to the command's process group and the shim stays to record how
/// the command ended; SIGHUP is ignored.</para>
/// </remarks>
public static class ShimHost
{
    /// <summary>The shim's exit code when it was started wrongly (not by a daemon).</summary>
    public const int UsageExitCode = 2;

    /// <summary>Runs the shim for the run whose files are in <paramref name="directory"/>; returns the process exit code.</summary>
    /// <param name="directory">The run's directory (<c>&lt;data_dir&gt;/runs/&lt;id&gt;</c>).</param>
    /// <param name="time">The clock for the recorded instants.</param>
    /// <param name="error">Where the shim's own diagnostics go (the daemon points stderr at <c>shim.log</c>).</param>
    public static async Task<int> RunAsync(string directory, TimeProvider time, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(error);
        var files = new ShimFiles(Path.GetFullPath(directory));
        if (!HoldsLock(files.Lock))
        {
            await error.WriteLineAsync($"vigil: shim: no run lock on descriptor {ProcessSpawner.SupervisorLockFd}; the run supervisor is started by the daemon ('vigil run'), not by hand").ConfigureAwait(false);
            return UsageExitCode;
        }

        var spec = ShimSpec.Read(files.Spec);
        if (spec is null)
        {
            await error.WriteLineAsync($"vigil: shim: {files.Spec} is missing or unreadable").ConfigureAwait(false);
            return UsageExitCode;
        }

        // The spec holds the command's environment (secrets, often): it is not kept once read.
        File.Delete(files.Spec);

        using var output = new OutputLog(files.Output, spec.OutputCapacity);
        var tail = new OutputTail(spec.OutputCapacity, time, output.Append);
        var running = CommandRunner.Launch(spec.Command, tail, time, CommandRunner.DefaultOutputDrain, out var failure);
        if (running is null)
        {
            WriteExit(files, spec.RunId, new ActionResult { Success = false, Reason = failure }, time);
            return 0;
        }

        using (running)
        {
            var self = ProcStat.Read(Environment.ProcessId);
            var state = new ShimState
            {
                RunId = spec.RunId,
                ShimPid = Environment.ProcessId,
                ShimStartTime = self?.StartTime ?? 0,
                ChildPid = running.ProcessId,
                ChildStartTime = running.ProcessStartTime,
                StartedAt = time.GetUtcNow(),
                ResultFile = spec.Command.ResultFile,
                BootId = ShimState.CurrentBootId(),
            };
            DurableFile.Write(files.State, state.ToJson());

            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, running));
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, running));
            using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);

            var result = await running.Completion.ConfigureAwait(false);
            output.Finish();
            WriteExit(files, spec.RunId, result, time);
        }

        return 0;
    }

    private static void Forward(PosixSignalContext context, RunningCommand running)
    {
        context.Cancel = true;
        running.RequestStop();
    }

    private static void WriteExit(ShimFiles files, long runId, ActionResult result, TimeProvider time) =>
        DurableFile.Write(files.Exit, new ShimExit { RunId = runId, Result = result, FinishedAt = time.GetUtcNow() }.ToJson());

    /// <summary>Whether descriptor 3 is the run's lock file, locked; marks it close-on-exec so the command never inherits it.</summary>
    private static unsafe bool HoldsLock(string lockFile)
    {
        string? target;
        try
        {
            target = new FileInfo($"/proc/self/fd/{ProcessSpawner.SupervisorLockFd}").LinkTarget;
        }
        catch (IOException)
        {
            return false;
        }

        // Taking the lock again on the same open file description succeeds at once.
        return target == lockFile
            && Libc.flock(ProcessSpawner.SupervisorLockFd, Libc.LockEx | Libc.LockNb) == 0
            && Libc.ioctl(ProcessSpawner.SupervisorLockFd, Libc.FioClex, null) == 0;
    }
}
