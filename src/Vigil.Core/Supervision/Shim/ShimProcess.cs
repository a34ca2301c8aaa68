namespace Vigil.Supervision.Shim;

/// <summary>What recovery finds of a run's shim.</summary>
internal enum ShimStatus
{
    /// <summary>No shim was ever started for the run (no lock file).</summary>
    None,

    /// <summary>The shim lives (its lock is held): the run can be adopted.</summary>
    Alive,

    /// <summary>The shim is gone and recorded the command's outcome: the run is finalized with it.</summary>
    Finished,

    /// <summary>
    /// The shim is gone without an outcome: it may have started the command (and recorded it in
    /// <c>state.json</c>, or died before it could), or have died, or never started, before.
    /// </summary>
    Dead,
}

/// <summary>Looks at a run's shim from outside: for recovery, before anything else touches the run.</summary>
internal static class ShimProcess
{
    /// <summary>The reason recorded when a run's shim died before the command ended.</summary>
    public const string SupervisorDied = "run supervisor died before the command ended";

    /// <summary>What is left of the shim of run <paramref name="runId"/>.</summary>
    public static ShimStatus Inspect(string runsDirectory, long runId)
    {
        var files = ShimFiles.For(runsDirectory, runId);
        if (!File.Exists(files.Lock))
        {
            return ShimStatus.None;
        }

        if (ShimLock.IsHeld(files.Lock))
        {
            return ShimStatus.Alive;
        }

        // The lock is free, so the shim is gone and wrote whatever it was going to write.
        if (ShimExit.Read(files.Exit) is not null)
        {
            return ShimStatus.Finished;
        }

        return ShimStatus.Dead;
    }

    /// <summary>Reaps a shim this process started, once it has let go of its lock (it is exiting).</summary>
    public static unsafe void Reap(int pid)
    {
        int status;
        while (Libc.waitpid(pid, &status, 0) < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Libc.EIntr)
        {
        }
    }
}
