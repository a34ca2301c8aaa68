using System.Runtime.InteropServices;

namespace Vigil.Cli.Daemon;

/// <summary>Makes SIGHUP reach the daemon's reload handler when the daemon was started with it ignored.</summary>
/// <remarks>
/// <c>nohup</c> (and some process supervisors) start a program with SIGHUP ignored. .NET honours an
/// ignored disposition it finds when a handler is registered: that handler is never called, so
/// <c>kill -HUP</c> would silently not reload. For the daemon SIGHUP is a request to reload, and a
/// terminal hang-up reloading the config is harmless, so an ignored SIGHUP is set back to its
/// default just before the handler is registered. Any other disposition is left as it is, and
/// SIGINT and SIGTERM keep what they were given.
/// </remarks>
internal static unsafe partial class SignalDisposition
{
    private const int SigHup = 1;
    private const nint Default = 0;
    private const nint Ignore = 1;
    private const nint Error = -1;

    /// <summary>Room for glibc's <c>struct sigaction</c> (152 bytes on 64-bit Linux); its first member is the handler.</summary>
    private const int SigActionSize = 256;

    /// <summary>Resets SIGHUP to its default disposition if it is ignored; true when it did.</summary>
    public static bool ResetSighupIfIgnored()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var current = stackalloc byte[SigActionSize];
        if (SigAction(SigHup, null, current) != 0 || *(nint*)current != Ignore)
        {
            return false;
        }

        return Signal(SigHup, Default) != Error;
    }

    [LibraryImport("libc", EntryPoint = "sigaction")]
    private static partial int SigAction(int signal, void* action, void* previous);

    [LibraryImport("libc", EntryPoint = "signal")]
    private static partial nint Signal(int signal, nint handler);
}
