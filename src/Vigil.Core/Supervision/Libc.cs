using System.Runtime.InteropServices;

namespace Vigil.Supervision;

/// <summary>The few C library calls the command runner needs (Linux, glibc).</summary>
/// <remarks>
/// <see cref="System.Diagnostics.Process"/> cannot start a child in a new session or process group,
/// cannot merge stdout and stderr into one pipe, and reports a signal death as exit code 128+N.
/// <c>posix_spawn</c> with <c>POSIX_SPAWN_SETSID</c> does all three; errors from <c>chdir</c> and
/// <c>exec</c> in the child come back as its return value.
/// </remarks>
internal static unsafe partial class Libc
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigStop = 19;

    public const int ESrch = 3;
    public const int EIntr = 4;
    public const int EChild = 10;

    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int ORdWr = 2;
    public const int OCreat = 0x40;
    public const int OAppend = 0x400;
    public const nuint FionRead = 0x541B;
    public const nuint FioClex = 0x5451;
    public const int OCloExec = 0x80000;
    public const int XOk = 1;

    public const short PosixSpawnSetSigDef = 0x04;
    public const short PosixSpawnSetSigMask = 0x08;
    public const short PosixSpawnSetSid = 0x80;

    public const int LockEx = 2;
    public const int LockNb = 4;
    public const int LockUn = 8;
    public const int EWouldBlock = 11;

    public const int PPid = 1;
    public const int WNoHang = 1;
    public const int WExited = 4;
    public const int WNoWait = 0x01000000;

    /// <summary>Bytes reserved for <c>posix_spawnattr_t</c>, <c>posix_spawn_file_actions_t</c>, <c>sigset_t</c> and <c>siginfo_t</c>; larger than glibc's on every 64-bit target.</summary>
    public const int OpaqueSize = 512;

    private const string Library = "libc";

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fsync(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, int* argument);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int access(string path, int mode);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addopen(void* actions, int fd, string path, int flags, uint mode);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addchdir_np(void* actions, string path);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport(Library)]
    public static partial int sigemptyset(void* signals);

    [LibraryImport(Library)]
    public static partial int sigfillset(void* signals);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn(int* pid, string path, void* actions, void* attributes, nint* argv, nint* envp);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitid(int idType, int id, void* info, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int signal);
}
