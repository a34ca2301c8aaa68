namespace Vigil.Supervision.Shim;

/// <summary>
/// The daemon's handle on a run under a shim, the same whether this daemon started the shim or
/// adopted it from an earlier one: everything goes through the run's files and lock.
/// </summary>
/// <remarks>
/// <para>The run ends when the shim lets go of its lock (a thread waits on it). Then <c>exit.json</c>
/// says how the command ended; without it the shim died first, so the command's tree is killed (it
/// may still run, in its own session) and the action is reported interrupted, never failed.</para>
/// <para>Stop and kill go straight to the command's process tree, found from <c>state.json</c>
/// (pid and start time, so a reused pid is never signalled): SIGTERM, then SIGKILL to every member,
/// grandchildren included. The shim then records the command's death and exits.</para>
/// </remarks>
internal sealed class RunningShim : IRunningAction
{
    private static readonly TimeSpan StatePatience = TimeSpan.FromSeconds(30);

    private readonly ShimFiles _files;
    private readonly int? _shimPid;
    private readonly long _sinceTicks;
    private readonly TimeProvider _time;
    private readonly int _outputCapacity;
    private readonly TaskCompletionSource<ActionResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private ProcessTree? _tree;

    /// <summary>Watches the run whose files are <paramref name="files"/>.</summary>
    /// <param name="files">The run's files.</param>
    /// <param name="shimPid">The shim's pid when this process started it (and so must reap it); null for an adopted shim.</param>
    /// <param name="since">When the run started: output before it does not count for <c>idle_timeout</c>.</param>
    /// <param name="time">The clock.</param>
    /// <param name="outputCapacity">The output tail's cap in bytes.</param>
    public RunningShim(ShimFiles files, int? shimPid, DateTimeOffset since, TimeProvider time, int outputCapacity = Supervision.OutputTail.DefaultCapacity)
    {
        _files = files;
        _shimPid = shimPid;
        _sinceTicks = since.UtcTicks;
        _time = time;
        _outputCapacity = outputCapacity;
        var waiter = new Thread(WaitForShim) { IsBackground = true, Name = $"vigil-shim-{Path.GetFileName(files.Directory)}" };
        waiter.Start();
    }

    /// <summary>The run's files.</summary>
    public ShimFiles Files => _files;

    /// <inheritdoc />
    public Task<ActionResult> Completion => _completion.Task;

    /// <inheritdoc />
    /// <remarks>The output file's modification time: the shim appends each chunk as it arrives.</remarks>
    public long LastOutputTicks
    {
        get
        {
            try
            {
                var written = File.GetLastWriteTimeUtc(_files.Output);
                return Math.Max(_sinceTicks, written.Ticks);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return _sinceTicks;
            }
        }
    }

    /// <inheritdoc />
    public string OutputTail => OutputLog.ReadTail(_files.Output, _outputCapacity, _time);

    /// <inheritdoc />
    public void RequestStop() => Tree()?.Terminate();

    /// <inheritdoc />
    public void Kill() => Tree()?.KillAll();

    /// <summary>Deletes the run's directory once its outcome is recorded in the ledger (a leftover, if this fails, is harmless).</summary>
    public void DeleteFiles()
    {
        try
        {
            Directory.Delete(_files.Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Kept; recovery only looks at the directories of runs still running.
        }
    }

    /// <summary>Nothing to release: the shim and its command are not this handle's to stop (on_stop: detach).</summary>
    public void Dispose()
    {
    }

    /// <summary>The command's process tree from <c>state.json</c>, waiting for the shim to write it if it just started; null when there is none.</summary>
    private ProcessTree? Tree()
    {
        lock (_lock)
        {
            if (_tree is not null)
            {
                return _tree;
            }

            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                if (ShimState.Read(_files.State) is { } state)
                {
                    _tree = ProcessTree.Adopt(state.ChildPid, state.ChildStartTime);
                    return _tree;
                }

                // No state: the shim has not started the command yet, or never will.
                if (_completion.Task.IsCompleted || !ShimLock.IsHeld(_files.Lock) || waited.Elapsed > StatePatience)
                {
                    return null;
                }

                Thread.Sleep(20);
            }
        }
    }

    private void WaitForShim()
    {
        ShimLock.WaitUntilReleased(_files.Lock);
        if (_shimPid is { } pid)
        {
            ShimProcess.Reap(pid);
        }

        try
        {
            _completion.TrySetResult(Outcome());
        }
#pragma warning disable CA1031 // The run must still end: whatever went wrong becomes its reason.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _completion.TrySetResult(new ActionResult { Success = false, Reason = $"cannot read the run's outcome: {Reasons.Of(e)}" });
        }
    }

    private ActionResult Outcome()
    {
        if (ShimExit.Read(_files.Exit) is { } exit)
        {
            return exit.Result with { Output = OutputTail };
        }

        // The shim died without recording an outcome: never leave its command running unseen.
        _ = KillOrphans(_files);
        return new ActionResult { Success = false, Interrupted = true, Reason = ShimProcess.SupervisorDied, Output = OutputTail };
    }

    /// <summary>
    /// Kills what is left of the command of a run whose shim is gone: its tree as <c>state.json</c>
    /// recorded it, and any process carrying the run's result file in its environment (the shim may
    /// have died after starting the command and before recording it). Nothing after a reboot: the
    /// command died with the machine, and its pid may be another's now.
    /// </summary>
    /// <returns>
    /// Whether the shim got as far as starting the command, as far as can be told (it recorded it, a
    /// process of it was found, or the shim had taken and deleted its spec, which it does just before
    /// the start); and whether anything was left to kill.
    /// </returns>
    public static (bool CommandStarted, bool Killed) KillOrphans(ShimFiles files)
    {
        var state = ShimState.Read(files.State);
        if (state is not null && state.BootId is not null && state.BootId != ShimState.CurrentBootId())
        {
            return (true, false);
        }

        if (state is not null)
        {
            ProcessTree.Adopt(state.ChildPid, state.ChildStartTime).KillAll();
        }

        // The path exactly as the command's environment has it: absolute (Supervisor), whatever
        // form the runs directory was given in.
        var resultFile = state?.ResultFile ?? Path.GetFullPath(files.ResultFile);
        var strays = ProcessTree.KillCarrying(RunContext.ResultFileVariable + "=" + resultFile);
        return (state is not null || strays > 0 || !File.Exists(files.Spec), state is not null || strays > 0);
    }
}
