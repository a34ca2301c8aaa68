using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Vigil.Supervision;

/// <summary>Starts a program in a new session with stdin from <c>/dev/null</c> and stdout and stderr merged into one pipe.</summary>
/// <remarks>
/// <para>
/// The child calls <c>setsid()</c> before <c>exec</c> (<c>POSIX_SPAWN_SETSID</c>), so it leads a new
/// session and a new process group whose id is its pid. A signal sent to that group reaches every
/// process the action starts (unless one of them leaves with its own <c>setsid</c>) and never the
/// daemon. Doing it before <c>exec</c> leaves no window in which the child still shares the daemon's group.
/// </para>
/// <para>
/// Every signal disposition is reset to the default and the signal mask is emptied: the .NET runtime
/// ignores SIGPIPE, and an ignored signal would otherwise stay ignored in the child across <c>exec</c>.
/// Both pipe ends are close-on-exec, so a concurrently started child never inherits another run's pipe.
/// </para>
/// </remarks>
internal static unsafe class ProcessSpawner
{
    /// <summary>The descriptor number a run supervisor finds its lock on.</summary>
    public const int SupervisorLockFd = 3;

    /// <summary>Starts <paramref name="path"/>; returns 0 and the pid and output pipe, or the errno of the failure.</summary>
    /// <param name="path">The program; a relative path with a slash is resolved in <paramref name="cwd"/>.</param>
    /// <param name="argv">The arguments, the program name first.</param>
    /// <param name="environment">The complete environment, as <c>NAME=value</c> strings.</param>
    /// <param name="cwd">The working directory, or null for the daemon's.</param>
    /// <param name="pid">The child's pid (also its process group and session id).</param>
    /// <param name="output">The read end of the child's stdout and stderr.</param>
    public static int Spawn(
        string path,
        IReadOnlyList<string> argv,
        IReadOnlyList<string> environment,
        string? cwd,
        out int pid,
        out SafePipeHandle? output)
    {
        pid = 0;
        output = null;
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.OCloExec) != 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        var writeFd = fds[1];
        try
        {
            var result = SpawnInNewSession(
                path,
                argv,
                environment,
                actions => Check(Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.ORdOnly, 0))
                    ?? Check(Libc.posix_spawn_file_actions_adddup2(actions, writeFd, 1))
                    ?? Check(Libc.posix_spawn_file_actions_adddup2(actions, writeFd, 2))
                    ?? (cwd is null ? null : Check(Libc.posix_spawn_file_actions_addchdir_np(actions, cwd))),
                out pid);
            if (result != 0)
            {
                _ = Libc.close(fds[0]);
                return result;
            }

            output = new SafePipeHandle(fds[0], ownsHandle: true);
            return 0;
        }
        finally
        {
            // The parent keeps only the read end: the pipe reports end-of-file once every writer is gone.
            _ = Libc.close(writeFd);
        }
    }

    /// <summary>
    /// Starts a run supervisor (the shim): a new session, stdin and stdout on <c>/dev/null</c>,
    /// stderr appended to <paramref name="logPath"/>, and <paramref name="inheritedFd"/> (close-on-exec
    /// in this process) passed on as descriptor 3. Returns 0 and the pid, or the errno of the failure.
    /// </summary>
    /// <remarks>
    /// Descriptor 3 carries the run's lock: the shim holds the same open file description, so the lock
    /// stays held exactly as long as the shim lives, with no window between its start and its lock.
    /// </remarks>
    public static int SpawnSupervisor(
        string path,
        IReadOnlyList<string> argv,
        IReadOnlyList<string> environment,
        int inheritedFd,
        string logPath,
        out int pid)
    {
        return SpawnInNewSession(
            path,
            argv,
            environment,
            actions => Check(Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.ORdOnly, 0))
                ?? Check(Libc.posix_spawn_file_actions_addopen(actions, 1, "/dev/null", Libc.OWrOnly, 0))
                ?? Check(Libc.posix_spawn_file_actions_addopen(actions, 2, logPath, Libc.OWrOnly | Libc.OCreat | Libc.OAppend, 0x180))
                ?? Check(Libc.posix_spawn_file_actions_adddup2(actions, inheritedFd, SupervisorLockFd)),
            out pid);
    }

    /// <summary>Adds the file actions of one kind of child; null on success, else the errno.</summary>
    private delegate int? FileActions(void* actions);

    /// <summary>
    /// posix_spawn with <c>POSIX_SPAWN_SETSID</c>, every signal disposition reset to the default and
    /// an empty signal mask, and the descriptors <paramref name="fileActions"/> sets up.
    /// </summary>
    private static int SpawnInNewSession(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment, FileActions fileActions, out int pid)
    {
        pid = 0;
        var actions = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var allSignals = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var noSignals = NativeMemory.AllocZeroed(Libc.OpaqueSize);
        var nativeArgv = ToNativeArray(argv);
        var nativeEnvironment = ToNativeArray(environment);
        try
        {
            var error = Check(Libc.posix_spawn_file_actions_init(actions))
                ?? Check(Libc.posix_spawnattr_init(attributes))
                ?? Check(Libc.sigfillset(allSignals))
                ?? Check(Libc.sigemptyset(noSignals))
                ?? fileActions(actions);
            error ??= Check(Libc.posix_spawnattr_setsigdefault(attributes, allSignals))
                ?? Check(Libc.posix_spawnattr_setsigmask(attributes, noSignals))
                ?? Check(Libc.posix_spawnattr_setflags(
                    attributes,
                    Libc.PosixSpawnSetSid | Libc.PosixSpawnSetSigDef | Libc.PosixSpawnSetSigMask));
            if (error is not null)
            {
                return error.Value;
            }

            int childPid;
            var result = Libc.posix_spawn(&childPid, path, actions, attributes, nativeArgv, nativeEnvironment);
            if (result != 0)
            {
                return result;
            }

            pid = childPid;
            return 0;
        }
        finally
        {
            _ = Libc.posix_spawn_file_actions_destroy(actions);
            _ = Libc.posix_spawnattr_destroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(allSignals);
            NativeMemory.Free(noSignals);
            FreeNativeArray(nativeArgv, argv.Count);
            FreeNativeArray(nativeEnvironment, environment.Count);
        }
    }

    private static int? Check(int result) => result == 0 ? null : result;

    private static nint* ToNativeArray(IReadOnlyList<string> values)
    {
        var array = (nint*)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = Marshal.StringToCoTaskMemUTF8(values[i]);
        }

        return array;
    }

    private static void FreeNativeArray(nint* array, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Marshal.ZeroFreeCoTaskMemUTF8(array[i]);
        }

        NativeMemory.Free(array);
    }
}
