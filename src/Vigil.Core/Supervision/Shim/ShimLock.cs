using System.Runtime.InteropServices;

namespace Vigil.Supervision.Shim;

/// <summary>
/// The run supervisor's lock: an exclusive <c>flock</c> on <c>shim.lock</c>, taken by the daemon and
/// handed to the shim as an inherited descriptor.
/// </summary>
/// <remarks>
/// A <c>flock</c> belongs to the open file description, not to a process: the shim inherits the
/// daemon's description, the daemon closes its copy, and from then on the lock is held exactly as
/// long as the shim lives. The kernel releases it however the shim ends (exit, SIGKILL, a reboot);
/// descendants never hold it because the shim marks the descriptor close-on-exec before it starts
/// the command. The data directory must be on a local file system.
/// </remarks>
internal static class ShimLock
{
    /// <summary>Opens (creating) the lock file and takes the lock; returns the descriptor (close-on-exec), or -1 with the errno.</summary>
    public static int Acquire(string path, out int errno)
    {
        var fd = Libc.open(path, Libc.ORdWr | Libc.OCreat | Libc.OCloExec, 0x180);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (fd < 0)
        {
            return -1;
        }

        if (fd == ProcessSpawner.SupervisorLockFd)
        {
            // dup2 onto the same number would not clear close-on-exec: take another number.
            var other = Libc.open(path, Libc.ORdWr | Libc.OCloExec, 0);
            _ = Libc.close(fd);
            fd = other;
            if (fd < 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return -1;
            }
        }

        if (Libc.flock(fd, Libc.LockEx | Libc.LockNb) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            _ = Libc.close(fd);
            return -1;
        }

        return fd;
    }

    /// <summary>Whether a live shim holds the lock at <paramref name="path"/> (false when there is no such file).</summary>
    /// <remarks>Tests by taking the lock without waiting and releasing it at once: a shim never takes it again once it let go.</remarks>
    public static bool IsHeld(string path)
    {
        var fd = Libc.open(path, Libc.ORdOnly | Libc.OCloExec, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            if (Libc.flock(fd, Libc.LockEx | Libc.LockNb) == 0)
            {
                return false;
            }

            return Marshal.GetLastPInvokeError() == Libc.EWouldBlock;
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }

    /// <summary>Blocks until no shim holds the lock at <paramref name="path"/> (at once when there is no such file).</summary>
    public static void WaitUntilReleased(string path)
    {
        var fd = Libc.open(path, Libc.ORdOnly | Libc.OCloExec, 0);
        if (fd < 0)
        {
            return;
        }

        try
        {
            while (Libc.flock(fd, Libc.LockEx) != 0 && Marshal.GetLastPInvokeError() == Libc.EIntr)
            {
            }
        }
        finally
        {
            _ = Libc.close(fd);
        }
    }
}
