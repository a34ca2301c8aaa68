using System.Runtime.InteropServices;
using Vigil.Jobs;

namespace Vigil.Supervision.Shim;

/// <summary>
/// Runs <see cref="CommandAction"/>s under a run supervisor (<c>vigil shim</c>) in its own session,
/// so that the command outlives the daemon and the next daemon adopts it.
/// </summary>
/// <remarks>
/// <para>What can fail for the operator's reasons (a program not found, a variable that does not
/// expand) is checked here, in the daemon, exactly as the direct runner checks it; the shim only
/// executes. The command's environment goes to the shim in <c>spec.json</c> (mode 0600, deleted by
/// the shim once read), never on a command line another user could read in <c>/proc</c>.</para>
/// <para>Order: prepare → write the spec → take the run's lock → start the shim with the lock as
/// its descriptor 3 → let go of this process's copy. If the daemon dies anywhere before the shim
/// started, the lock is free and nothing ran; after, the shim holds it.</para>
/// </remarks>
internal sealed class ShimRunner : IActionRunner
{
    private readonly CommandRunner _commands;
    private readonly IReadOnlyList<string> _shimCommand;
    private readonly string _runsDirectory;
    private readonly TimeProvider _time;
    private readonly int _outputCapacity;

    /// <summary>Creates the runner.</summary>
    /// <param name="shimCommand">How to start the <c>vigil</c> binary: its path, or the <c>dotnet</c> host and <c>vigil.dll</c>.</param>
    /// <param name="runsDirectory">Where the run directories are (<c>&lt;data_dir&gt;/runs</c>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="outputCapacity">The output tail's cap in bytes.</param>
    public ShimRunner(IReadOnlyList<string> shimCommand, string runsDirectory, TimeProvider time, int outputCapacity = OutputTail.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(shimCommand);
        ArgumentOutOfRangeException.ThrowIfZero(shimCommand.Count);
        _shimCommand = shimCommand;
        _runsDirectory = Path.GetFullPath(runsDirectory);
        _time = time;
        _outputCapacity = outputCapacity;
        _commands = new CommandRunner(time, outputCapacity: outputCapacity);
    }

    /// <inheritdoc />
    public bool CanRun(ActionSpec action) => action is CommandAction;

    /// <inheritdoc />
    public IRunningAction Start(ActionSpec action, RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var files = ShimFiles.For(_runsDirectory, context.RunId);
        if (_commands.Prepare(action, context, out var failure) is not { } prepared)
        {
            return new NotStartedAction(failure!, _time);
        }

        int lockFd;
        try
        {
            Directory.CreateDirectory(files.Directory);
            var spec = new ShimSpec { RunId = context.RunId, Command = prepared, OutputCapacity = _outputCapacity };
            // Not fsynced: the spec matters only to a shim started after it, on this boot. The start
            // path runs on the planner's loop, and an fsync per run there would cost every slot.
            WritePrivate(files.Spec, spec.ToJson());
            lockFd = ShimLock.Acquire(files.Lock, out var errno);
            if (lockFd < 0)
            {
                return new NotStartedAction($"cannot lock {files.Lock}: {Marshal.GetPInvokeErrorMessage(errno)}", _time);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new NotStartedAction($"cannot prepare the run directory: {Reasons.OneLine(e.Message)}", _time);
        }

        int pid;
        int error;
        try
        {
            string[] argv = [.. _shimCommand, "shim", files.Directory];
            var environment = CommandRunner.ProcessEnvironment().Select(e => $"{e.Key}={e.Value}").ToList();
            error = ProcessSpawner.SpawnSupervisor(_shimCommand[0], argv, environment, lockFd, files.Log, out pid);
        }
        finally
        {
            // From here the shim's copy alone holds the lock.
            _ = Libc.close(lockFd);
        }

        if (error != 0)
        {
            return new NotStartedAction($"cannot start the run supervisor {_shimCommand[0]}: {Marshal.GetPInvokeErrorMessage(error)}", _time);
        }

        return new RunningShim(files, pid, _time.GetUtcNow(), _time, _outputCapacity);
    }

    /// <summary>Writes a file only its owner can read (it holds the command's environment).</summary>
    private static void WritePrivate(string path, byte[] bytes)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
    }
}
